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

-- The facts the liaison's statistics count, kept on the case so that the
-- dashboard is one scan of cases (internal/storage/statistics.go): the
-- first reply's send (round 1's: a later round starts only after a sent
-- reply was rated) and the due date then in force; whether a meeting or
-- visit (面商) was recorded; the class of the latest signed reply and the
-- ratings of the latest feedback. Triggers on replies, feedback and
-- communications keep them, in the writing transaction; they write only
-- when a value changes, so a loader that copies cases with their facts
-- already set costs them one lookup a row.
ALTER TABLE cases
    ADD COLUMN first_sent_at         timestamptz,
    ADD COLUMN first_sent_due        date,
    ADD COLUMN met                   boolean NOT NULL DEFAULT false,
    ADD COLUMN latest_class          text CHECK (latest_class IN ('A', 'B', 'C', 'D')),
    ADD COLUMN latest_result_rating  text CHECK (latest_result_rating IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
    ADD COLUMN latest_work_rating    text CHECK (latest_work_rating IN ('satisfied', 'basically_satisfied', 'dissatisfied'));
UPDATE cases c SET first_sent_at = r.sent_at, first_sent_due = r.sent_due
    FROM replies r WHERE r.case_id = c.id AND r.round = 1 AND r.sent_at IS NOT NULL;
UPDATE cases c SET latest_class = r.class
    FROM (SELECT DISTINCT ON (case_id) case_id, class FROM replies ORDER BY case_id, round DESC) r WHERE r.case_id = c.id;
UPDATE cases c SET latest_result_rating = f.result_rating, latest_work_rating = f.work_rating
    FROM (SELECT DISTINCT ON (case_id) case_id, result_rating, work_rating FROM feedback ORDER BY case_id, round DESC) f
    WHERE f.case_id = c.id;
UPDATE cases c SET met = true
    WHERE EXISTS (SELECT 1 FROM communications m WHERE m.case_id = c.id AND m.method IN ('meeting', 'visit'));

-- The session of a case's proposal, on the case: the dashboard's default
-- scope (a session) reads its cases by index. A trigger sets it on every
-- insert (COPY too) from the proposal, which never changes session.
ALTER TABLE cases ADD COLUMN session_id bigint REFERENCES congress_sessions (id);
UPDATE cases c SET session_id = p.session_id FROM proposals p WHERE p.id = c.proposal_id;
ALTER TABLE cases ALTER COLUMN session_id SET NOT NULL;
CREATE INDEX cases_session_id_idx ON cases (session_id);

-- +goose StatementBegin
CREATE FUNCTION cases_session_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.session_id := (SELECT p.session_id FROM proposals p WHERE p.id = NEW.proposal_id);
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER cases_session_id BEFORE INSERT OR UPDATE OF proposal_id, session_id ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_session_id();

-- +goose StatementBegin
CREATE FUNCTION cases_reply_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.round = 1 AND NEW.sent_at IS NOT NULL THEN
        UPDATE cases SET first_sent_at = NEW.sent_at, first_sent_due = NEW.sent_due
            WHERE id = NEW.case_id AND (first_sent_at, first_sent_due) IS DISTINCT FROM (NEW.sent_at, NEW.sent_due);
    END IF;
    IF TG_OP = 'INSERT' THEN
        UPDATE cases SET latest_class = NEW.class
            WHERE id = NEW.case_id AND latest_class IS DISTINCT FROM NEW.class
              AND NOT EXISTS (SELECT 1 FROM replies r WHERE r.case_id = NEW.case_id AND r.round > NEW.round);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION cases_feedback_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cases SET latest_result_rating = NEW.result_rating, latest_work_rating = NEW.work_rating
        WHERE id = NEW.case_id
          AND (latest_result_rating, latest_work_rating) IS DISTINCT FROM (NEW.result_rating, NEW.work_rating)
          AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.case_id = NEW.case_id AND f.round > NEW.round);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION cases_met_fact() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cases SET met = true WHERE id = NEW.case_id AND NOT met;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER replies_case_facts AFTER INSERT OR UPDATE OF sent_at, sent_due ON replies
    FOR EACH ROW EXECUTE FUNCTION cases_reply_facts();
CREATE TRIGGER feedback_case_facts AFTER INSERT OR UPDATE ON feedback
    FOR EACH ROW EXECUTE FUNCTION cases_feedback_facts();
CREATE TRIGGER communications_case_met AFTER INSERT OR UPDATE OF method ON communications
    FOR EACH ROW WHEN (NEW.method IN ('meeting', 'visit')) EXECUTE FUNCTION cases_met_fact();

-- Search (检索): lexemes of character bigrams, written by storage (and the
-- synthetic loader) with every proposal and signed reply. NULL: not yet
-- indexed (rows from before this migration); `banli serve` fills them in
-- the background when it starts.
ALTER TABLE proposals
    ADD COLUMN search_title tsvector,  -- title and number
    ADD COLUMN search_body tsvector;   -- all of search_title, the body and the deputies' names
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
DROP TRIGGER cases_session_id ON cases;
DROP FUNCTION cases_session_id();
ALTER TABLE cases DROP COLUMN session_id;
DROP TRIGGER communications_case_met ON communications;
DROP TRIGGER feedback_case_facts ON feedback;
DROP TRIGGER replies_case_facts ON replies;
DROP FUNCTION cases_met_fact();
DROP FUNCTION cases_feedback_facts();
DROP FUNCTION cases_reply_facts();
ALTER TABLE cases DROP COLUMN first_sent_at, DROP COLUMN first_sent_due, DROP COLUMN met,
    DROP COLUMN latest_class, DROP COLUMN latest_result_rating, DROP COLUMN latest_work_rating;
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
