-- +goose Up
-- The reply letter (答复函) as a session decides it (workflow.LetterSettings):
-- the opening ({标题} and {编号} stand for the suggestion's title and
-- number), the closing, the offices it is copied to (抄送), one letter per
-- deputy (逐人答复) or one to the lead deputy with copies, and whether it
-- names its 签发人. A change is recorded in the administration log.
ALTER TABLE congress_sessions
    ADD COLUMN letter_opening     text NOT NULL DEFAULT '您提出的《{标题}》（第{编号}号）收悉。现答复如下：' CHECK (btrim(letter_opening) <> ''),
    ADD COLUMN letter_closing     text NOT NULL DEFAULT '专此答复。',
    ADD COLUMN letter_copy_to     text[] NOT NULL DEFAULT '{市人大常委会代表工作委员会,市人民政府办公厅}',
    ADD COLUMN letter_per_deputy  boolean NOT NULL DEFAULT true,
    ADD COLUMN letter_show_signer boolean NOT NULL DEFAULT false;

-- The administration log records a session's letter settings changed
-- (session_letter): the session concerned and its short name at the time.
ALTER TABLE admin_events
    ADD COLUMN session_id bigint REFERENCES congress_sessions (id),
    ADD COLUMN session    text NOT NULL DEFAULT '';

-- +goose StatementBegin
DO $$
DECLARE
    c text;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint
             WHERE conrelid = 'admin_events'::regclass AND contype = 'c'
               AND pg_get_constraintdef(oid) LIKE '%department_create%'
    LOOP
        EXECUTE format('ALTER TABLE admin_events DROP CONSTRAINT %I', c);
    END LOOP;
END;
$$;
-- +goose StatementEnd

ALTER TABLE admin_events
    ADD CONSTRAINT admin_events_action_check CHECK (action IN ('user_create', 'role_grant', 'role_revoke', 'user_department', 'user_disable', 'user_enable', 'department_create', 'session_letter')),
    ADD CONSTRAINT admin_events_whom_check CHECK ((action IN ('department_create', 'session_letter')) = (user_id IS NULL)),
    ADD CONSTRAINT admin_events_department_check CHECK (action <> 'department_create' OR department_id IS NOT NULL),
    ADD CONSTRAINT admin_events_session_check CHECK ((action = 'session_letter') = (session_id IS NOT NULL));

-- +goose Down
-- 00210 replaced admin_events_whom_check by admin_events_user_check (and
-- put that back when reverted): drop whichever is there.
ALTER TABLE admin_events
    DROP CONSTRAINT admin_events_action_check,
    DROP CONSTRAINT IF EXISTS admin_events_whom_check,
    DROP CONSTRAINT IF EXISTS admin_events_user_check,
    DROP CONSTRAINT admin_events_department_check,
    DROP CONSTRAINT admin_events_session_check;
ALTER TABLE admin_events DISABLE TRIGGER admin_events_no_update_delete;
DELETE FROM admin_events WHERE action = 'session_letter';
ALTER TABLE admin_events ENABLE TRIGGER admin_events_no_update_delete;
ALTER TABLE admin_events
    ADD CONSTRAINT admin_events_action_check CHECK (action IN ('user_create', 'role_grant', 'role_revoke', 'user_department', 'user_disable', 'user_enable', 'department_create')),
    ADD CONSTRAINT admin_events_check2 CHECK ((action = 'department_create') = (user_id IS NULL)),
    ADD CONSTRAINT admin_events_check3 CHECK (action <> 'department_create' OR department_id IS NOT NULL),
    DROP COLUMN session_id,
    DROP COLUMN session;
ALTER TABLE congress_sessions
    DROP COLUMN letter_opening,
    DROP COLUMN letter_closing,
    DROP COLUMN letter_copy_to,
    DROP COLUMN letter_per_deputy,
    DROP COLUMN letter_show_signer;
