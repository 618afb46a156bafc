-- +goose Up
-- banli at a province's volume (issue 9): the indexes the statistics, the
-- portal and the lists need; the due date in force when a reply was sent,
-- stored instead of read back from the audit log; the search columns
-- (character bigrams, see internal/storage/search_text.go); and version
-- counters that tell every process when its cached calendar and rules are
-- stale.

-- Per-case lookups that were sequential scans.
CREATE INDEX extensions_case_id_idx ON extensions (case_id);
CREATE INDEX communications_case_id_idx ON communications (case_id);
CREATE INDEX cases_proposal_id_idx ON cases (proposal_id);
CREATE INDEX deadlines_case_id_idx ON deadlines (case_id);
CREATE INDEX proposals_session_id_idx ON proposals (session_id, id);
-- /api/cases and the case lists: newest assignment first, keyset paging.
CREATE INDEX cases_assigned_at_idx ON cases (assigned_at DESC, id DESC);
-- The public portal: published replies, newest first.
CREATE INDEX publications_published_idx ON publications (published_at DESC, id DESC) WHERE state = 'published';

-- 按时办复率: the reply due date in force when the reply was sent (the
-- case's reply_due at that moment: as assigned, extended or recomputed).
-- Replies sent before this migration get it from the audit log, as the
-- statistics used to read it, for their first round; later rounds stay
-- NULL (no statistic reads them).
ALTER TABLE replies ADD COLUMN sent_due date;
UPDATE replies r SET sent_due = coalesce(
    (SELECT e.granted_due FROM extensions e
        WHERE e.case_id = r.case_id AND e.state = 'granted' AND e.decided_at <= r.sent_at
        ORDER BY e.decided_at DESC, e.id DESC LIMIT 1),
    (SELECT (ev.payload->>'reply_due')::date FROM case_events ev
        WHERE ev.case_id = r.case_id AND ev.action IN ('assign', 'recompute_due_dates') AND ev.payload ? 'reply_due'
          AND ev.at <= r.sent_at
        ORDER BY ev.seq DESC LIMIT 1),
    (SELECT c.reply_due FROM cases c WHERE c.id = r.case_id))
WHERE r.sent_at IS NOT NULL AND r.round = 1;
ALTER TABLE replies ADD CONSTRAINT replies_sent_due_check CHECK (sent_at IS NOT NULL OR sent_due IS NULL);

-- Search (检索): lexemes of character bigrams, written by storage (and the
-- synthetic loader) with every proposal and signed reply. NULL: not yet
-- indexed (rows from before this migration); `banli serve` fills them in
-- the background when it starts.
ALTER TABLE proposals
    ADD COLUMN search_title tsvector,  -- title and number
    ADD COLUMN search_body tsvector;   -- body and the deputies' names
ALTER TABLE replies ADD COLUMN search_text tsvector;  -- the signed draft's headings and text
CREATE INDEX proposals_search_title_idx ON proposals USING gin (search_title);
CREATE INDEX proposals_search_body_idx ON proposals USING gin (search_body);
CREATE INDEX replies_search_text_idx ON replies USING gin (search_text);
CREATE INDEX proposals_unindexed_idx ON proposals (id) WHERE search_title IS NULL;
CREATE INDEX replies_unindexed_idx ON replies (id) WHERE search_text IS NULL;

-- Cache versions: a process keeps the working-day calendar and the session
-- rules in memory and reads one row to learn whether they changed (in any
-- process): the triggers bump the counter in the changing transaction.
CREATE TABLE cache_versions (
    name     text PRIMARY KEY CHECK (name IN ('calendar', 'rules')),
    version  bigint NOT NULL DEFAULT 1
);
INSERT INTO cache_versions (name) VALUES ('calendar'), ('rules');

-- +goose StatementBegin
CREATE FUNCTION cache_versions_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = TG_ARGV[0];
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER holiday_overrides_cache_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON holiday_overrides
    FOR EACH STATEMENT EXECUTE FUNCTION cache_versions_bump('calendar');
CREATE TRIGGER deadline_rules_cache_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON deadline_rules
    FOR EACH STATEMENT EXECUTE FUNCTION cache_versions_bump('rules');
CREATE TRIGGER congress_sessions_cache_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON congress_sessions
    FOR EACH STATEMENT EXECUTE FUNCTION cache_versions_bump('rules');

-- +goose Down
DROP TRIGGER congress_sessions_cache_version ON congress_sessions;
DROP TRIGGER deadline_rules_cache_version ON deadline_rules;
DROP TRIGGER holiday_overrides_cache_version ON holiday_overrides;
DROP FUNCTION cache_versions_bump();
DROP TABLE cache_versions;
DROP INDEX replies_unindexed_idx;
DROP INDEX proposals_unindexed_idx;
ALTER TABLE replies DROP COLUMN search_text;
ALTER TABLE proposals DROP COLUMN search_title, DROP COLUMN search_body;
ALTER TABLE replies DROP CONSTRAINT replies_sent_due_check;
ALTER TABLE replies DROP COLUMN sent_due;
DROP INDEX publications_published_idx;
DROP INDEX cases_assigned_at_idx;
DROP INDEX proposals_session_id_idx;
DROP INDEX deadlines_case_id_idx;
DROP INDEX cases_proposal_id_idx;
DROP INDEX communications_case_id_idx;
DROP INDEX extensions_case_id_idx;
