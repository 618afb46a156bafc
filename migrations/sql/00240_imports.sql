-- +goose Up
-- 导入记录: every import of an assignment list (交办清单) or a deputies'
-- roster (代表名册) — who ran it, from which file, what it created —
-- written in the transaction of the import. Append-only like admin_events.
CREATE TABLE imports (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('proposals', 'deputies')),
    session_id   bigint REFERENCES congress_sessions (id),
    -- Who: a liaison on the import page (actor_id) or the command line
    -- (the OS user in actor_name).
    actor_kind   text NOT NULL CHECK (actor_kind IN ('user', 'cli', 'login', 'system')),
    actor_id     bigint REFERENCES users (id),
    actor_name   text NOT NULL CHECK (btrim(actor_name) <> ''),
    file_name    text NOT NULL,
    rows_read    integer NOT NULL CHECK (rows_read >= 0),
    -- proposals: suggestions created, cases assigned, rows already there;
    -- deputies: deputies created, updated, rows unchanged.
    created      integer NOT NULL CHECK (created >= 0),
    assigned     integer NOT NULL DEFAULT 0 CHECK (assigned >= 0),
    updated      integer NOT NULL DEFAULT 0 CHECK (updated >= 0),
    skipped      integer NOT NULL CHECK (skipped >= 0),
    CHECK ((actor_kind = 'user') = (actor_id IS NOT NULL)),
    CHECK (kind <> 'proposals' OR session_id IS NOT NULL)
);
CREATE INDEX imports_at_idx ON imports (at DESC, id DESC);

CREATE TRIGGER imports_no_update_delete BEFORE UPDATE OR DELETE ON imports
    FOR EACH ROW EXECUTE FUNCTION admin_events_append_only();

-- A file uploaded on the import page between its preview (dry run) and
-- its import, so that the import runs exactly the file previewed. Kept
-- for a day at most.
CREATE TABLE import_uploads (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    kind        text NOT NULL CHECK (kind IN ('proposals', 'deputies')),
    session_id  bigint REFERENCES congress_sessions (id),
    file_name   text NOT NULL,
    content     bytea NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX import_uploads_created_idx ON import_uploads (created_at);

-- The deputy picker of the registration form searches names.
CREATE INDEX deputies_name_idx ON deputies (name, delegation, id);

-- +goose Down
DROP INDEX deputies_name_idx;
DROP TABLE import_uploads;
DROP TABLE imports;
