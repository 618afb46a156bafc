-- +goose Up
-- 重点建议 and 并案 (issue 11 parts 6 and 7).
--
-- A key suggestion (重点建议) is overseen by a leader (领衔督办领导) and a
-- supervising office; its unit files progress reports (办理进展) every
-- `progress` period, a deadline like any other; its sign-off needs the
-- unit's principal leader (主要负责人), a user attribute an admin sets.
-- A merged suggestion (并案) is handled on its main suggestion's case: its
-- own case follows the main case's steps (workflow.MergeFollows).

CREATE TABLE key_suggestions (
    proposal_id    bigint PRIMARY KEY REFERENCES proposals (id),
    leader_name    text NOT NULL CHECK (btrim(leader_name) <> ''),
    leader_title   text NOT NULL DEFAULT '',
    office         text NOT NULL CHECK (btrim(office) <> ''),
    marked_by      bigint REFERENCES users (id),
    marked_at      timestamptz NOT NULL
);

CREATE TABLE progress_reports (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id      bigint NOT NULL REFERENCES cases (id),
    reported_on  date NOT NULL,
    body         text NOT NULL CHECK (btrim(body) <> ''),
    author_id    bigint REFERENCES users (id),
    created_at   timestamptz NOT NULL
);
CREATE INDEX progress_reports_case_idx ON progress_reports (case_id, reported_on DESC, id DESC);

-- A merged suggestion points at its main one; no chains (a main is never
-- merged itself: checked by storage under the proposals' locks).
CREATE TABLE proposal_merges (
    proposal_id       bigint PRIMARY KEY REFERENCES proposals (id),
    main_proposal_id  bigint NOT NULL REFERENCES proposals (id),
    merged_by         bigint REFERENCES users (id),
    merged_at         timestamptz NOT NULL,
    CHECK (proposal_id <> main_proposal_id)
);
CREATE INDEX proposal_merges_main_idx ON proposal_merges (main_proposal_id);

ALTER TABLE users ADD COLUMN principal_leader boolean NOT NULL DEFAULT false;

ALTER TABLE deadline_rules DROP CONSTRAINT deadline_rules_rule_check;
ALTER TABLE deadline_rules ADD CONSTRAINT deadline_rules_rule_check
    CHECK (rule IN ('reply', 'reply-extended', 'co-opinion', 'return-window', 'rehandle', 'publication', 'extension-decision', 'feedback', 'progress'));
INSERT INTO deadline_rules (session_id, rule, amount, unit)
    SELECT id, 'progress', 30, 'days' FROM congress_sessions;

ALTER TABLE deadlines DROP CONSTRAINT deadlines_kind_check;
ALTER TABLE deadlines ADD CONSTRAINT deadlines_kind_check
    CHECK (kind IN ('reply', 'co_opinion', 'return_window', 'extension_decision', 'rehandle', 'feedback', 'publication', 'progress'));

ALTER TABLE case_events DROP CONSTRAINT case_events_action_check;
ALTER TABLE case_events ADD CONSTRAINT case_events_action_check
    CHECK (action IN ('assign', 'accept', 'request_return', 'approve_return', 'reject_return', 'submit', 'forward', 'return_for_revision', 'sign', 'send', 'record_feedback', 'waive_co_opinions', 'request_extension', 'grant_extension', 'refuse_extension', 'publish', 'withhold', 'save_draft', 'add_communication',
        'mark_key', 'unmark_key', 'add_progress_report', 'merge', 'unmerge', 'recompute_due_dates'));

ALTER TABLE admin_events DROP CONSTRAINT admin_events_action_check;
ALTER TABLE admin_events ADD CONSTRAINT admin_events_action_check
    CHECK (action IN ('user_create', 'role_grant', 'role_revoke', 'user_department', 'user_disable', 'user_enable', 'department_create',
        'supervisor_label', 'principal_set', 'principal_unset'));

-- +goose Down
ALTER TABLE admin_events DROP CONSTRAINT admin_events_action_check;
ALTER TABLE admin_events ADD CONSTRAINT admin_events_action_check
    CHECK (action IN ('user_create', 'role_grant', 'role_revoke', 'user_department', 'user_disable', 'user_enable', 'department_create',
        'supervisor_label'));
ALTER TABLE case_events DROP CONSTRAINT case_events_action_check;
ALTER TABLE case_events ADD CONSTRAINT case_events_action_check
    CHECK (action IN ('assign', 'accept', 'request_return', 'approve_return', 'reject_return', 'submit', 'forward', 'return_for_revision', 'sign', 'send', 'record_feedback', 'waive_co_opinions', 'request_extension', 'grant_extension', 'refuse_extension', 'publish', 'withhold', 'save_draft', 'add_communication', 'recompute_due_dates'));
DELETE FROM deadlines WHERE kind = 'progress';
ALTER TABLE deadlines DROP CONSTRAINT deadlines_kind_check;
ALTER TABLE deadlines ADD CONSTRAINT deadlines_kind_check
    CHECK (kind IN ('reply', 'co_opinion', 'return_window', 'extension_decision', 'rehandle', 'feedback', 'publication'));
DELETE FROM deadline_rules WHERE rule = 'progress';
ALTER TABLE deadline_rules DROP CONSTRAINT deadline_rules_rule_check;
ALTER TABLE deadline_rules ADD CONSTRAINT deadline_rules_rule_check
    CHECK (rule IN ('reply', 'reply-extended', 'co-opinion', 'return-window', 'rehandle', 'publication', 'extension-decision', 'feedback'));
ALTER TABLE users DROP COLUMN principal_leader;
DROP TABLE proposal_merges;
DROP TABLE progress_reports;
DROP TABLE key_suggestions;
