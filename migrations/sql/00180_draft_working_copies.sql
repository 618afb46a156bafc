-- +goose Up
-- The draft editor's working copy (未保存的内容): what a user has typed into
-- a case's draft since the version they edited, saved as they type, so that
-- a closed tab, a lost connection or an expired login loses nothing. One per
-- user and case, replaced at each autosave; not a version (drafts are), not
-- audited, and gone when the user saves a version or discards it.
CREATE TABLE draft_working_copies (
    case_id       bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The version the text was edited from (0 before the first).
    base_version  integer NOT NULL CHECK (base_version >= 0),
    sections      jsonb NOT NULL CHECK (jsonb_typeof(sections) = 'array'),
    saved_at      timestamptz NOT NULL,
    PRIMARY KEY (case_id, user_id)
);

-- +goose Down
DROP TABLE draft_working_copies;
