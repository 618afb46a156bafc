-- +goose Up
-- The deputy's feedback link (征询意见表) a liaison issued for a round of a
-- case: its expiry, which with the case and round makes the signed token
-- (internal/web/feedback_token.go), so that the case page shows the same
-- link until it is used or revoked, and a revoked link stops working.
CREATE TABLE feedback_links (
    case_id     bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    round       integer NOT NULL CHECK (round >= 1),
    expires_at  timestamptz NOT NULL,
    created_by  bigint NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz,
    PRIMARY KEY (case_id, round)
);

-- +goose Down
DROP TABLE feedback_links;
