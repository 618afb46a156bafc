-- +goose Up
-- Deadlines that act: the deadlines each case carries now (reconciled in
-- every transaction that changes the case, see workflow.ActiveDeadlines),
-- their reminder policy per session, and two rules that drive reminders.

ALTER TABLE deadline_rules DROP CONSTRAINT deadline_rules_rule_check;
ALTER TABLE deadline_rules ADD CONSTRAINT deadline_rules_rule_check
    CHECK (rule IN ('reply', 'reply-extended', 'co-opinion', 'return-window', 'rehandle', 'publication', 'extension-decision', 'feedback'));
INSERT INTO deadline_rules (session_id, rule, amount, unit)
    SELECT id, 'extension-decision', 5, 'working_days' FROM congress_sessions
    UNION ALL
    SELECT id, 'feedback', 1, 'months' FROM congress_sessions;

-- The reminder policy: working days before a due date, and the time of day.
ALTER TABLE congress_sessions
    ADD COLUMN reminder_days integer[] NOT NULL DEFAULT '{15,7,3,1}'
        CHECK (array_position(reminder_days, NULL) IS NULL AND 1 <= ALL (reminder_days) AND 60 >= ALL (reminder_days)),
    ADD COLUMN reminder_time time NOT NULL DEFAULT '09:00';

-- The liaison's decision on an extension is due by decide_due.
ALTER TABLE extensions ADD COLUMN decide_due date;

CREATE TABLE deadlines (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     bigint NOT NULL REFERENCES cases (id),
    kind        text NOT NULL CHECK (kind IN ('reply', 'co_opinion', 'return_window', 'extension_decision', 'rehandle', 'feedback', 'publication')),
    due_on      date NOT NULL,
    started_at  timestamptz NOT NULL,
    ended_at    timestamptz,
    -- met: what it measured was done; moved: replaced by another due date
    -- (an extension); void: no longer owed (returned, closed, …).
    end_reason  text CHECK (end_reason IN ('met', 'moved', 'void')),
    CHECK ((ended_at IS NULL) = (end_reason IS NULL))
);
CREATE UNIQUE INDEX deadlines_one_active_idx ON deadlines (case_id, kind) WHERE ended_at IS NULL;
CREATE INDEX deadlines_active_due_idx ON deadlines (due_on) WHERE ended_at IS NULL;

-- +goose Down
DROP TABLE deadlines;
ALTER TABLE extensions DROP COLUMN decide_due;
ALTER TABLE congress_sessions DROP COLUMN reminder_days, DROP COLUMN reminder_time;
DELETE FROM deadline_rules WHERE rule IN ('extension-decision', 'feedback');
ALTER TABLE deadline_rules DROP CONSTRAINT deadline_rules_rule_check;
ALTER TABLE deadline_rules ADD CONSTRAINT deadline_rules_rule_check
    CHECK (rule IN ('reply', 'reply-extended', 'co-opinion', 'return-window', 'rehandle', 'publication'));
