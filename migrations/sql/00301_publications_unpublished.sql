-- +goose Up
-- The queue looks for the cases whose publication awaits an action (a
-- pending publication, storage.queueConditions): a few among 120,000
-- published ones at 100,000 suggestions.
CREATE INDEX publications_unpublished_idx ON publications (state, reply_id) WHERE state <> 'published';

-- +goose Down
DROP INDEX publications_unpublished_idx;
