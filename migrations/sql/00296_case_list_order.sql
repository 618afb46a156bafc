-- +goose Up
-- The case list's default order (urgency: open cases before the others,
-- each by the deadline owed, then by the suggestion's number) served by an
-- index, so that a page reads its 50 rows instead of sorting every case.
-- The number is the proposal's, copied onto the case on insert (COPY too)
-- by the trigger that already copies the session: a proposal's number never
-- changes. The index's open states are workflow.State.Open's, in
-- workflow's order; storage builds the same expression for its ORDER BY
-- (TestCaseListUrgencyIndex holds the two lists together).
ALTER TABLE cases ADD COLUMN number text;
UPDATE cases c SET number = p.number FROM proposals p WHERE p.id = c.proposal_id;
ALTER TABLE cases ALTER COLUMN number SET NOT NULL;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION cases_session_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT p.session_id, p.number INTO NEW.session_id, NEW.number FROM proposals p WHERE p.id = NEW.proposal_id;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

DROP TRIGGER cases_session_id ON cases;
CREATE TRIGGER cases_session_id BEFORE INSERT OR UPDATE OF proposal_id, session_id, number ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_session_id();

CREATE INDEX cases_urgency_idx ON cases (
    (state NOT IN ('assigned', 'return_requested', 'drafting', 'in_review', 'awaiting_approval', 'approved', 'rehandling')),
    (CASE WHEN kind = 'co' THEN co_opinion_due ELSE reply_due END), number, id);

-- +goose Down
DROP INDEX cases_urgency_idx;
DROP TRIGGER cases_session_id ON cases;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION cases_session_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.session_id := (SELECT p.session_id FROM proposals p WHERE p.id = NEW.proposal_id);
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER cases_session_id BEFORE INSERT OR UPDATE OF proposal_id, session_id ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_session_id();
ALTER TABLE cases DROP COLUMN number;
