-- +goose Up
-- 管理日志: every administrative change to a user or a department — who
-- made it, to whom, what, when — written in the transaction of the change.
-- Append-only like case_events: UPDATE, DELETE and TRUNCATE are refused.
-- And the admin role stays alone on its account (workflow.CheckRoles),
-- enforced here by a trigger as well.

CREATE TABLE admin_events (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at                   timestamptz NOT NULL,
    action               text NOT NULL CHECK (action IN ('user_create', 'role_grant', 'role_revoke', 'user_department', 'user_disable', 'user_enable', 'department_create')),
    -- Who: an administrator (actor_id), the command line (the OS user in
    -- actor_name), an identity provider at login (its issuer), or banli.
    actor_kind           text NOT NULL CHECK (actor_kind IN ('user', 'cli', 'login', 'system')),
    actor_id             bigint REFERENCES users (id),
    actor_name           text NOT NULL CHECK (btrim(actor_name) <> ''),
    -- Whom: the user changed, and their name at the time.
    user_id              bigint REFERENCES users (id),
    user_name            text NOT NULL DEFAULT '',
    -- What: the role granted or revoked; the department concerned (the
    -- user's for a role, the new one for a move, a new user or a new
    -- department) and, for a move, the previous one; names at the time.
    role                 text CHECK (role IN ('drafter', 'reviewer', 'approver', 'liaison', 'admin')),
    department_id        bigint REFERENCES departments (id),
    department           text NOT NULL DEFAULT '',
    previous_department  text NOT NULL DEFAULT '',
    CHECK ((actor_kind = 'user') = (actor_id IS NOT NULL)),
    CHECK ((action IN ('role_grant', 'role_revoke')) = (role IS NOT NULL)),
    CHECK ((action = 'department_create') = (user_id IS NULL)),
    CHECK (action <> 'department_create' OR department_id IS NOT NULL)
);
-- The log and a user's history, newest first, paged.
CREATE INDEX admin_events_at_idx ON admin_events (at DESC, id DESC);
CREATE INDEX admin_events_user_idx ON admin_events (user_id, at DESC, id DESC) WHERE user_id IS NOT NULL;

-- +goose StatementBegin
CREATE FUNCTION admin_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'admin_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER admin_events_no_update_delete BEFORE UPDATE OR DELETE ON admin_events
    FOR EACH ROW EXECUTE FUNCTION admin_events_append_only();
CREATE TRIGGER admin_events_no_truncate BEFORE TRUNCATE ON admin_events
    FOR EACH STATEMENT EXECUTE FUNCTION admin_events_append_only();

-- Accounts that held the admin role with another role before this rule
-- keep admin and lose the others — the shape of the abuse this rule
-- closes, an administrator who granted themselves a unit role — each
-- revocation recorded as banli's. A person who needs both gets a second
-- account for the unit work.
INSERT INTO admin_events (at, action, actor_kind, actor_name, user_id, user_name, role, department_id, department)
SELECT now(), 'role_revoke', 'system', '系统', u.id, u.name, r.role, u.department_id, coalesce(d.name, '')
FROM user_roles r
JOIN users u ON u.id = r.user_id
LEFT JOIN departments d ON d.id = u.department_id
WHERE r.role <> 'admin' AND EXISTS (SELECT 1 FROM user_roles a WHERE a.user_id = r.user_id AND a.role = 'admin')
ORDER BY u.id, r.role;
DELETE FROM user_roles r
WHERE r.role <> 'admin' AND EXISTS (SELECT 1 FROM user_roles a WHERE a.user_id = r.user_id AND a.role = 'admin');

-- The admin role alone: a role added next to admin, or admin next to
-- another role, is refused. The user's row is locked first, so two
-- concurrent grants to one user cannot both pass.
-- +goose StatementBegin
CREATE FUNCTION user_roles_admin_alone() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    replaced user_roles;  -- the row an UPDATE replaces, which does not count
BEGIN
    IF TG_OP = 'UPDATE' THEN
        replaced := OLD;
    END IF;
    PERFORM 1 FROM users WHERE id = NEW.user_id FOR NO KEY UPDATE;
    IF EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = NEW.user_id AND r.role <> NEW.role
               AND (r.role = 'admin' OR NEW.role = 'admin')
               AND (r.user_id, r.role) IS DISTINCT FROM (replaced.user_id, replaced.role)) THEN
        RAISE EXCEPTION 'user %: an admin account holds no other role', NEW.user_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'user_roles_admin_alone';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER user_roles_admin_alone BEFORE INSERT OR UPDATE ON user_roles
    FOR EACH ROW EXECUTE FUNCTION user_roles_admin_alone();

-- +goose Down
DROP TRIGGER user_roles_admin_alone ON user_roles;
DROP FUNCTION user_roles_admin_alone();
DROP TABLE admin_events;
DROP FUNCTION admin_events_append_only();
