-- +goose Up
-- Disclosure done properly (公开): a reply signed 摘要公开 carries the summary
-- the portal publishes; the approver may withhold passages (区分处理), kept
-- as [{"section": i, "paragraph": j}] (workflow.Passage); search_public is
-- the search vector of the public text only (workflow.SignedText.Public),
-- which the portal's search reads — NULL until written, filled by
-- IndexSearch for replies signed before this column existed.
ALTER TABLE replies
    ADD COLUMN summary text NOT NULL DEFAULT '',
    ADD COLUMN withheld jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(withheld) = 'array'),
    ADD COLUMN search_public tsvector;
-- Replies signed 摘要公开 before summaries existed have none: checked from now on.
ALTER TABLE replies ADD CONSTRAINT replies_summary_check CHECK (disclosure <> 'summary' OR btrim(summary) <> '') NOT VALID;
CREATE INDEX replies_search_public_idx ON replies USING gin (search_public);
CREATE INDEX replies_unindexed_public_idx ON replies (id) WHERE search_public IS NULL;

-- A suggestion's ends without a reply: withdrawn by the deputy (撤回) or not
-- handled as a suggestion (不作为建议处理, with where it went). Each open case
-- of the suggestion ends in the state of that name.
ALTER TABLE cases DROP CONSTRAINT cases_state_check;
ALTER TABLE cases ADD CONSTRAINT cases_state_check CHECK (state IN ('assigned', 'return_requested', 'returned', 'drafting',
    'in_review', 'awaiting_approval', 'approved', 'replied', 'rehandling', 'closed', 'opinion_submitted', 'withdrawn', 'converted'));
ALTER TABLE cases DROP CONSTRAINT cases_check;
ALTER TABLE cases ADD CONSTRAINT cases_check CHECK (kind <> 'co' OR state IN ('assigned', 'return_requested', 'returned',
    'drafting', 'in_review', 'awaiting_approval', 'opinion_submitted', 'withdrawn', 'converted'));
ALTER TABLE case_events DROP CONSTRAINT case_events_action_check;
ALTER TABLE case_events ADD CONSTRAINT case_events_action_check CHECK (action IN ('assign', 'accept', 'request_return',
    'approve_return', 'reject_return', 'submit', 'forward', 'return_for_revision', 'sign', 'send', 'record_feedback',
    'waive_co_opinions', 'request_extension', 'grant_extension', 'refuse_extension', 'publish', 'withhold', 'withdraw',
    'convert', 'save_draft', 'add_communication', 'recompute_due_dates'));
ALTER TABLE proposals
    ADD COLUMN outcome text CHECK (outcome IN ('withdrawn', 'converted')),
    ADD COLUMN outcome_reason text NOT NULL DEFAULT '',
    ADD COLUMN outcome_destination text NOT NULL DEFAULT '',
    ADD COLUMN outcome_by bigint REFERENCES users (id),
    ADD COLUMN outcome_at timestamptz,
    ADD CONSTRAINT proposals_outcome_recorded_check CHECK ((outcome IS NULL) = (outcome_at IS NULL)
        AND (outcome IS NULL OR btrim(outcome_reason) <> '')
        AND ((coalesce(outcome, '') = 'converted') = (btrim(outcome_destination) <> '')));

-- +goose Down
ALTER TABLE proposals DROP CONSTRAINT proposals_outcome_recorded_check, DROP COLUMN outcome, DROP COLUMN outcome_reason,
    DROP COLUMN outcome_destination, DROP COLUMN outcome_by, DROP COLUMN outcome_at;
ALTER TABLE case_events DROP CONSTRAINT case_events_action_check;
ALTER TABLE case_events ADD CONSTRAINT case_events_action_check CHECK (action IN ('assign', 'accept', 'request_return',
    'approve_return', 'reject_return', 'submit', 'forward', 'return_for_revision', 'sign', 'send', 'record_feedback',
    'waive_co_opinions', 'request_extension', 'grant_extension', 'refuse_extension', 'publish', 'withhold', 'save_draft',
    'add_communication', 'recompute_due_dates'));
ALTER TABLE cases DROP CONSTRAINT cases_check;
ALTER TABLE cases ADD CONSTRAINT cases_check CHECK (kind <> 'co' OR state IN ('assigned', 'return_requested', 'returned',
    'drafting', 'in_review', 'awaiting_approval', 'opinion_submitted'));
ALTER TABLE cases DROP CONSTRAINT cases_state_check;
ALTER TABLE cases ADD CONSTRAINT cases_state_check CHECK (state IN ('assigned', 'return_requested', 'returned', 'drafting',
    'in_review', 'awaiting_approval', 'approved', 'replied', 'rehandling', 'closed', 'opinion_submitted'));
DROP INDEX replies_unindexed_public_idx;
DROP INDEX replies_search_public_idx;
ALTER TABLE replies DROP CONSTRAINT replies_summary_check, DROP COLUMN summary, DROP COLUMN withheld, DROP COLUMN search_public;
