-- +goose Up
-- The branches of the 2026-12-02 work each re-created the CHECK constraints
-- that list the audit log's actions and the administration log's changes,
-- each with its own additions only (00200 letter settings, 00210 the
-- supervisor's name, 00220 withdrawal and conversion, 00230 key suggestions
-- and merging, 00250 attachments). This migration lists them all, in
-- workflow's order (TestSchemaMirrorsWorkflow checks it): every later change
-- of these lists starts from here.
ALTER TABLE case_events DROP CONSTRAINT case_events_action_check;
ALTER TABLE case_events ADD CONSTRAINT case_events_action_check
    CHECK (action IN ('assign', 'accept', 'request_return', 'approve_return', 'reject_return', 'submit', 'forward',
        'return_for_revision', 'sign', 'send', 'record_feedback', 'waive_co_opinions', 'request_extension',
        'grant_extension', 'refuse_extension', 'publish', 'withhold', 'withdraw', 'convert', 'save_draft',
        'add_communication', 'mark_key', 'unmark_key', 'add_progress_report', 'merge', 'unmerge', 'add_attachment',
        'delete_attachment', 'recompute_due_dates'));

ALTER TABLE admin_events DROP CONSTRAINT admin_events_action_check, DROP CONSTRAINT admin_events_user_check;
ALTER TABLE admin_events
    ADD CONSTRAINT admin_events_action_check CHECK (action IN ('user_create', 'role_grant', 'role_revoke',
        'user_department', 'user_disable', 'user_enable', 'department_create', 'supervisor_label', 'principal_set',
        'principal_unset', 'session_letter')),
    ADD CONSTRAINT admin_events_user_check
        CHECK ((action IN ('department_create', 'supervisor_label', 'session_letter')) = (user_id IS NULL));

-- +goose Down
ALTER TABLE admin_events DROP CONSTRAINT admin_events_action_check, DROP CONSTRAINT admin_events_user_check;
ALTER TABLE admin_events DISABLE TRIGGER admin_events_no_update_delete;
DELETE FROM admin_events WHERE action = 'session_letter';
ALTER TABLE admin_events ENABLE TRIGGER admin_events_no_update_delete;
ALTER TABLE admin_events
    ADD CONSTRAINT admin_events_action_check CHECK (action IN ('user_create', 'role_grant', 'role_revoke',
        'user_department', 'user_disable', 'user_enable', 'department_create', 'supervisor_label', 'principal_set',
        'principal_unset')),
    ADD CONSTRAINT admin_events_user_check
        CHECK ((action IN ('department_create', 'supervisor_label')) = (user_id IS NULL));
ALTER TABLE case_events DROP CONSTRAINT case_events_action_check;
ALTER TABLE case_events ADD CONSTRAINT case_events_action_check
    CHECK (action IN ('assign', 'accept', 'request_return', 'approve_return', 'reject_return', 'submit', 'forward',
        'return_for_revision', 'sign', 'send', 'record_feedback', 'waive_co_opinions', 'request_extension',
        'grant_extension', 'refuse_extension', 'publish', 'withhold', 'save_draft', 'add_communication',
        'add_attachment', 'delete_attachment', 'recompute_due_dates'));
