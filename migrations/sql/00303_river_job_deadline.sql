-- +goose Up
-- Every change of a case's deadlines looks up the reminder jobs of each
-- deadline (storage.pendingReminderJobs and the deadline checks). By
-- River's GIN index on args that lookup also scanned the index's pending
-- list, which River's inserts keep long: at 100,000 suggestions it took
-- 13 ms at the median and up to 575 ms, most of a transition's time. A
-- B-tree over the reminder jobs' deadline answers in about 0.03 ms.
-- River's own migrations (goose 1-8) leave indexes they do not know alone.
CREATE INDEX river_job_deadline_idx ON river_job (((args->>'deadline_id')::bigint), scheduled_at)
	WHERE kind = 'deadline_reminder';

-- +goose Down
DROP INDEX river_job_deadline_idx;
