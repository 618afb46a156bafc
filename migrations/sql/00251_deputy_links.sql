-- +goose Up
-- The deputy's own page (代表查询页): a signed link per deputy and congress
-- session, issued by a liaison, through which the deputy sees all their
-- suggestions of the session without an account. As with feedback_links,
-- the expiry with the deputy and session makes the signed token
-- (internal/web/deputy_token.go); a revoked link stops working.
CREATE TABLE deputy_links (
    deputy_id   bigint NOT NULL REFERENCES deputies (id),
    session_id  bigint NOT NULL REFERENCES congress_sessions (id),
    expires_at  timestamptz NOT NULL,
    created_by  bigint NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL,
    revoked_by  bigint REFERENCES users (id),
    revoked_at  timestamptz,
    CHECK ((revoked_by IS NULL) = (revoked_at IS NULL)),
    PRIMARY KEY (deputy_id, session_id)
);

-- Every issue and revocation of a deputy's link, by whom and when:
-- append-only.
CREATE TABLE deputy_link_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deputy_id   bigint NOT NULL REFERENCES deputies (id),
    session_id  bigint NOT NULL REFERENCES congress_sessions (id),
    action      text NOT NULL CHECK (action IN ('issue', 'revoke')),
    expires_at  timestamptz NOT NULL,
    actor_id    bigint NOT NULL REFERENCES users (id),
    at          timestamptz NOT NULL
);
CREATE INDEX deputy_link_events_deputy_idx ON deputy_link_events (deputy_id, session_id, at);

-- +goose StatementBegin
CREATE FUNCTION deputy_link_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'deputy_link_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER deputy_link_events_append_only BEFORE UPDATE OR DELETE ON deputy_link_events
    FOR EACH ROW EXECUTE FUNCTION deputy_link_events_append_only();

-- +goose Down
DROP TABLE deputy_link_events;
DROP FUNCTION deputy_link_events_append_only();
DROP TABLE deputy_links;
