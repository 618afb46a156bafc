-- +goose Up
-- Hand-off notifications (交接通知, issue 10): when a case changes hands,
-- whoever acts next is told (notify kind 'handoff'). A user may turn off the
-- e-mail copy of hand-offs (the in-app notification stays); reminders and
-- overdue notices are not affected.

ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('reminder', 'due', 'overdue', 'digest', 'info', 'handoff'));

-- Whether the user gets hand-offs by e-mail as well as in the inbox.
ALTER TABLE users ADD COLUMN handoff_email boolean NOT NULL DEFAULT true;

-- +goose Down
ALTER TABLE users DROP COLUMN handoff_email;
UPDATE notifications SET kind = 'info' WHERE kind = 'handoff';
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('reminder', 'due', 'overdue', 'digest', 'info'));
