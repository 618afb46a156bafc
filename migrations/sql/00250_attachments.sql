-- +goose Up
-- 附件: files on a suggestion, a case, a contact with the deputy (面商), a
-- draft version or a signed reply (the scanned stamped letter). The
-- content is stored once per SHA-256 (attachment_blobs, the PostgreSQL
-- blob store of internal/storage/attachment_blob.go); attachments names
-- it, with who added it and when. A row is never deleted: deleting marks
-- it deleted, by whom and when, once (a trigger refuses anything else).
CREATE TABLE attachment_blobs (
    sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size        bigint NOT NULL CHECK (size >= 0),
    content     bytea NOT NULL,
    created_at  timestamptz NOT NULL
);
-- Uncompressed out-of-line storage: the files are already compressed
-- (PDF, JPEG, PNG, OOXML), and substring() then reads only the chunk a
-- download asks for.
ALTER TABLE attachment_blobs ALTER COLUMN content SET STORAGE EXTERNAL;

CREATE TABLE attachments (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    proposal_id       bigint NOT NULL REFERENCES proposals (id),
    -- The case the file belongs to; NULL for the suggestion's own files,
    -- which whoever sees a case of the suggestion sees.
    case_id           bigint REFERENCES cases (id),
    owner             text NOT NULL CHECK (owner IN ('proposal', 'case', 'communication', 'draft', 'reply')),
    communication_id  bigint REFERENCES communications (id),
    draft_id          bigint REFERENCES drafts (id),
    reply_id          bigint REFERENCES replies (id),
    filename          text NOT NULL CHECK (btrim(filename) <> '' AND length(filename) <= 255),
    content_type      text NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png',
                          'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
                          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/ofd')),
    size              bigint NOT NULL CHECK (size > 0),
    sha256            text NOT NULL REFERENCES attachment_blobs (sha256),
    -- public: shown on the portal with the reply once it is published;
    -- only a reply's file can be.
    public            boolean NOT NULL DEFAULT false,
    added_by          bigint NOT NULL REFERENCES users (id),
    added_at          timestamptz NOT NULL,
    deleted_by        bigint REFERENCES users (id),
    deleted_at        timestamptz,
    CHECK ((owner = 'proposal') = (case_id IS NULL)),
    CHECK ((owner = 'communication') = (communication_id IS NOT NULL)),
    CHECK ((owner = 'draft') = (draft_id IS NOT NULL)),
    CHECK ((owner = 'reply') = (reply_id IS NOT NULL)),
    CHECK (NOT public OR owner = 'reply'),
    CHECK ((deleted_by IS NULL) = (deleted_at IS NULL))
);
CREATE INDEX attachments_case_idx ON attachments (case_id, id) WHERE case_id IS NOT NULL;
CREATE INDEX attachments_proposal_idx ON attachments (proposal_id, id);
CREATE INDEX attachments_reply_idx ON attachments (reply_id) WHERE reply_id IS NOT NULL;

-- +goose StatementBegin
CREATE FUNCTION attachments_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL
       AND (to_jsonb(OLD) - 'deleted_by' - 'deleted_at') = (to_jsonb(NEW) - 'deleted_by' - 'deleted_at') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'attachments are kept: only marking one deleted, once, is allowed (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER attachments_keep BEFORE UPDATE OR DELETE ON attachments
    FOR EACH ROW EXECUTE FUNCTION attachments_keep();
CREATE TRIGGER attachments_keep_truncate BEFORE TRUNCATE ON attachments
    FOR EACH STATEMENT EXECUTE FUNCTION attachments_keep();

-- Adding and deleting a file are records in the case's audit chain.
ALTER TABLE case_events DROP CONSTRAINT case_events_action_check;
ALTER TABLE case_events ADD CONSTRAINT case_events_action_check
    CHECK (action IN ('assign', 'accept', 'request_return', 'approve_return', 'reject_return', 'submit', 'forward', 'return_for_revision', 'sign', 'send', 'record_feedback', 'waive_co_opinions', 'request_extension', 'grant_extension', 'refuse_extension', 'publish', 'withhold', 'save_draft', 'add_communication', 'add_attachment', 'delete_attachment', 'recompute_due_dates'));

-- +goose Down
ALTER TABLE case_events DROP CONSTRAINT case_events_action_check;
ALTER TABLE case_events ADD CONSTRAINT case_events_action_check
    CHECK (action IN ('assign', 'accept', 'request_return', 'approve_return', 'reject_return', 'submit', 'forward', 'return_for_revision', 'sign', 'send', 'record_feedback', 'waive_co_opinions', 'request_extension', 'grant_extension', 'refuse_extension', 'publish', 'withhold', 'save_draft', 'add_communication', 'recompute_due_dates'));
DROP TABLE attachments;
DROP FUNCTION attachments_keep();
DROP TABLE attachment_blobs;
