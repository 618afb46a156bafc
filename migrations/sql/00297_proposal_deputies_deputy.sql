-- +goose Up
-- The deputy's own page (deputy_link.go) lists a deputy's suggestions of a
-- session: without this index that read scans every proposal's deputies
-- (371,283 rows at 100,000 proposals).
CREATE INDEX proposal_deputies_deputy_idx ON proposal_deputies (deputy_id, proposal_id);

-- +goose Down
DROP INDEX proposal_deputies_deputy_idx;
