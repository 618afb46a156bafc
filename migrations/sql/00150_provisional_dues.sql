-- +goose Up
-- Provisional due dates (暂定). A due date whose count reads a year the
-- calendar has no holiday data for is counted Monday to Friday there and
-- flagged; when the year's data arrives it is recomputed from its start day
-- (assigned_at, the feedback's received_at, the extension's requested_at,
-- the reply's sent_at — all stored already) and its rule, and the case gets
-- a recompute_due_dates event. See workflow.DueDate.

ALTER TABLE cases
    ADD COLUMN reply_due_provisional       boolean NOT NULL DEFAULT false,
    ADD COLUMN co_opinion_due_provisional  boolean NOT NULL DEFAULT false,
    ADD COLUMN return_due_provisional      boolean NOT NULL DEFAULT false,
    ADD COLUMN rehandle_due_provisional    boolean NOT NULL DEFAULT false;
ALTER TABLE cases ADD CONSTRAINT cases_co_opinion_due_provisional_check
    CHECK (co_opinion_due IS NOT NULL OR NOT co_opinion_due_provisional);
ALTER TABLE cases ADD CONSTRAINT cases_rehandle_due_provisional_check
    CHECK (rehandle_due IS NOT NULL OR NOT rehandle_due_provisional);

-- The extension cap (reply-extended) is computed when an extension is
-- requested or decided, with the calendar of that moment
-- (workflow.Calendar.ExtensionCap), not stored at assignment: in the second
-- half of a year it reads next year, whose schedule is rarely out yet.
ALTER TABLE cases DROP COLUMN extension_cap;

ALTER TABLE extensions ADD COLUMN decide_due_provisional boolean NOT NULL DEFAULT false;
ALTER TABLE publications ADD COLUMN due_provisional boolean NOT NULL DEFAULT false;
ALTER TABLE deadlines ADD COLUMN provisional boolean NOT NULL DEFAULT false;

-- Finding what to recompute is one query over the few flagged cases.
CREATE INDEX cases_provisional_idx ON cases (id)
    WHERE reply_due_provisional OR co_opinion_due_provisional OR return_due_provisional OR rehandle_due_provisional;
CREATE INDEX deadlines_provisional_idx ON deadlines (case_id) WHERE provisional AND ended_at IS NULL;

-- The system's record of a recomputation.
ALTER TABLE case_events DROP CONSTRAINT case_events_action_check;
ALTER TABLE case_events ADD CONSTRAINT case_events_action_check
    CHECK (action IN ('assign', 'accept', 'request_return', 'approve_return', 'reject_return', 'submit', 'forward', 'return_for_revision', 'sign', 'send', 'record_feedback', 'waive_co_opinions', 'request_extension', 'grant_extension', 'refuse_extension', 'publish', 'withhold', 'save_draft', 'add_communication', 'recompute_due_dates'));

-- +goose Down
ALTER TABLE case_events DROP CONSTRAINT case_events_action_check;
ALTER TABLE case_events ADD CONSTRAINT case_events_action_check
    CHECK (action IN ('assign', 'accept', 'request_return', 'approve_return', 'reject_return', 'submit', 'forward', 'return_for_revision', 'sign', 'send', 'record_feedback', 'waive_co_opinions', 'request_extension', 'grant_extension', 'refuse_extension', 'publish', 'withhold', 'save_draft', 'add_communication'));
DROP INDEX deadlines_provisional_idx;
DROP INDEX cases_provisional_idx;
ALTER TABLE deadlines DROP COLUMN provisional;
ALTER TABLE publications DROP COLUMN due_provisional;
ALTER TABLE extensions DROP COLUMN decide_due_provisional;
-- The cap comes back approximately (six months, not moved off a holiday),
-- never before the reply due date.
ALTER TABLE cases ADD COLUMN extension_cap date;
UPDATE cases SET extension_cap = greatest(reply_due, coalesce(rehandle_due, reply_due),
    ((assigned_at AT TIME ZONE 'Asia/Shanghai') + interval '6 months')::date);
ALTER TABLE cases ALTER COLUMN extension_cap SET NOT NULL;
ALTER TABLE cases ADD CONSTRAINT cases_extension_cap_check CHECK (reply_due <= extension_cap);
ALTER TABLE cases
    DROP COLUMN reply_due_provisional,
    DROP COLUMN co_opinion_due_provisional,
    DROP COLUMN return_due_provisional,
    DROP COLUMN rehandle_due_provisional;
