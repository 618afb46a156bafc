-- +goose Up
-- The name the supervising role (督办, code name liaison) goes by in this
-- deployment: 督办人员 unless an administrator sets the office's own name,
-- e.g. 人大代表工作机构 or 政府督查室. Pages say it wherever they name the
-- role. One row; a change is recorded in admin_events.
CREATE TABLE deployment_settings (
    id                boolean PRIMARY KEY DEFAULT true CHECK (id),
    supervisor_label  text NOT NULL DEFAULT '督办人员'
                      CHECK (btrim(supervisor_label) = supervisor_label AND char_length(supervisor_label) BETWEEN 2 AND 20),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
INSERT INTO deployment_settings DEFAULT VALUES;

-- The administration log records a change of a setting: its previous and
-- new value. Such a record concerns no user.
ALTER TABLE admin_events
    ADD COLUMN previous_value text NOT NULL DEFAULT '',
    ADD COLUMN value text NOT NULL DEFAULT '';
ALTER TABLE admin_events DROP CONSTRAINT admin_events_action_check;
ALTER TABLE admin_events ADD CONSTRAINT admin_events_action_check CHECK (action IN ('user_create', 'role_grant',
    'role_revoke', 'user_department', 'user_disable', 'user_enable', 'department_create', 'supervisor_label'));
-- +goose StatementBegin
DO $$
DECLARE
    c text;
BEGIN
    SELECT conname INTO STRICT c FROM pg_constraint
    WHERE conrelid = 'admin_events'::regclass AND contype = 'c'
      AND pg_get_constraintdef(oid) LIKE '%department_create%user_id IS NULL%';
    EXECUTE format('ALTER TABLE admin_events DROP CONSTRAINT %I', c);
END;
$$;
-- +goose StatementEnd
ALTER TABLE admin_events ADD CONSTRAINT admin_events_user_check
    CHECK ((action IN ('department_create', 'supervisor_label')) = (user_id IS NULL));
ALTER TABLE admin_events ADD CONSTRAINT admin_events_value_check
    CHECK ((action = 'supervisor_label') = (value <> ''));

-- +goose Down
ALTER TABLE admin_events DROP CONSTRAINT admin_events_value_check;
ALTER TABLE admin_events DROP CONSTRAINT admin_events_user_check;
ALTER TABLE admin_events ADD CONSTRAINT admin_events_user_check
    CHECK ((action = 'department_create') = (user_id IS NULL));
ALTER TABLE admin_events DROP CONSTRAINT admin_events_action_check;
ALTER TABLE admin_events ADD CONSTRAINT admin_events_action_check CHECK (action IN ('user_create', 'role_grant',
    'role_revoke', 'user_department', 'user_disable', 'user_enable', 'department_create'));
ALTER TABLE admin_events DROP COLUMN value, DROP COLUMN previous_value;
DROP TABLE deployment_settings;
