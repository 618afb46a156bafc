-- +goose Up
-- banli's schema. Every closed set of the domain (package workflow) is
-- mirrored here by a CHECK constraint; the audit log refuses UPDATE, DELETE
-- and TRUNCATE.

-- 届次/会议: a session of a people's congress (or a CPPCC session).
CREATE TABLE congress_sessions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
    short_name  text NOT NULL UNIQUE CHECK (btrim(short_name) <> ''),
    body        text NOT NULL DEFAULT 'npc' CHECK (body IN ('npc', 'cppcc')),
    opened_on   date NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- The deadline rules of a session (its rule set); every rule must be present.
CREATE TABLE deadline_rules (
    session_id  bigint NOT NULL REFERENCES congress_sessions (id) ON DELETE CASCADE,
    rule        text NOT NULL CHECK (rule IN ('reply', 'reply-extended', 'co-opinion', 'return-window', 'rehandle', 'publication')),
    amount      integer NOT NULL CHECK (amount BETWEEN 1 AND 1000),
    unit        text NOT NULL CHECK (unit IN ('months', 'working_days', 'days')),
    PRIMARY KEY (session_id, rule)
);

-- 承办单位 and the liaison office.
CREATE TABLE departments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9_-]*$'),
    name        text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
    short_name  text NOT NULL DEFAULT '',
    kind        text NOT NULL DEFAULT 'unit' CHECK (kind IN ('unit', 'liaison_office')),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    department_id  bigint REFERENCES departments (id),
    name           text NOT NULL CHECK (btrim(name) <> ''),
    email          text NOT NULL DEFAULT '',
    oidc_issuer    text NOT NULL DEFAULT '',
    oidc_subject   text NOT NULL DEFAULT '',
    disabled_at    timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK ((oidc_issuer = '') = (oidc_subject = ''))
);
CREATE UNIQUE INDEX users_oidc_identity_idx ON users (oidc_issuer, oidc_subject) WHERE oidc_subject <> '';

CREATE TABLE user_roles (
    user_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role     text NOT NULL CHECK (role IN ('drafter', 'reviewer', 'approver', 'liaison', 'admin')),
    PRIMARY KEY (user_id, role)
);

-- 代表. Contact details are private: they never reach the public portal.
CREATE TABLE deputies (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL CHECK (btrim(name) <> ''),
    delegation   text NOT NULL DEFAULT '',
    affiliation  text NOT NULL DEFAULT '',
    phone        text NOT NULL DEFAULT '',
    email        text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- 建议 (批评和意见).
CREATE TABLE proposals (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id    bigint NOT NULL REFERENCES congress_sessions (id),
    number        text NOT NULL CHECK (number ~ '^[0-9A-Za-z-]+$'),
    kind          text NOT NULL DEFAULT 'suggestion' CHECK (kind IN ('suggestion', 'criticism', 'opinion', 'cppcc_proposal')),
    title         text NOT NULL CHECK (btrim(title) <> ''),
    body          text NOT NULL DEFAULT '',
    submitted_on  date NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (session_id, number)
);

-- 领衔代表 (lead = true) and 附议代表.
CREATE TABLE proposal_deputies (
    proposal_id  bigint NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    deputy_id    bigint NOT NULL REFERENCES deputies (id),
    lead         boolean NOT NULL DEFAULT false,
    position     integer NOT NULL CHECK (position >= 0),
    PRIMARY KEY (proposal_id, deputy_id)
);
CREATE UNIQUE INDEX proposal_deputies_one_lead_idx ON proposal_deputies (proposal_id) WHERE lead;

-- A case: one proposal assigned to one unit (交办). It carries the state.
CREATE TABLE cases (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    proposal_id         bigint NOT NULL REFERENCES proposals (id),
    department_id       bigint NOT NULL REFERENCES departments (id),
    kind                text NOT NULL CHECK (kind IN ('lead', 'co', 'separate')),
    state               text NOT NULL CHECK (state IN ('assigned', 'return_requested', 'returned', 'drafting', 'in_review', 'awaiting_approval', 'approved', 'replied', 'rehandling', 'closed', 'opinion_submitted')),
    round               integer NOT NULL DEFAULT 1 CHECK (round >= 1),
    version             integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    assigned_at         timestamptz NOT NULL,
    reply_due           date NOT NULL,
    extension_cap       date NOT NULL,
    co_opinion_due      date,
    return_due          date NOT NULL,
    rehandle_due        date,
    co_opinions_waived  boolean NOT NULL DEFAULT false,
    updated_at          timestamptz NOT NULL,
    -- A co-handling case never replies; a replying case never submits an opinion.
    CHECK (kind <> 'co' OR state IN ('assigned', 'return_requested', 'returned', 'drafting', 'in_review', 'awaiting_approval', 'opinion_submitted')),
    CHECK (kind = 'co' OR state <> 'opinion_submitted'),
    CHECK ((kind = 'co') = (co_opinion_due IS NOT NULL)),
    CHECK (reply_due <= extension_cap),
    CHECK (co_opinions_waived = false OR kind = 'lead')
);
-- One lead case per proposal, and one live case per proposal and unit;
-- a returned case leaves room for the unit the liaison assigns next.
CREATE UNIQUE INDEX cases_one_lead_idx ON cases (proposal_id) WHERE kind = 'lead' AND state <> 'returned';
CREATE UNIQUE INDEX cases_one_per_unit_idx ON cases (proposal_id, department_id) WHERE state <> 'returned';
CREATE INDEX cases_department_state_idx ON cases (department_id, state);
CREATE INDEX cases_state_due_idx ON cases (state, reply_due);

-- 答复稿 / 协办意见: every save is a new version; nothing is overwritten.
CREATE TABLE drafts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     bigint NOT NULL REFERENCES cases (id),
    round       integer NOT NULL CHECK (round >= 1),
    version     integer NOT NULL CHECK (version >= 1),
    author_id   bigint NOT NULL REFERENCES users (id),
    sections    jsonb NOT NULL CHECK (jsonb_typeof(sections) = 'array' AND jsonb_array_length(sections) > 0),
    created_at  timestamptz NOT NULL,
    UNIQUE (case_id, version)
);

-- 面商 / 沟通: the unit's contacts with the deputy.
CREATE TABLE communications (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id       bigint NOT NULL REFERENCES cases (id),
    method        text NOT NULL CHECK (method IN ('meeting', 'visit', 'phone')),
    happened_on   date NOT NULL,
    participants  text NOT NULL DEFAULT '',
    summary       text NOT NULL CHECK (btrim(summary) <> ''),
    recorded_by   bigint NOT NULL REFERENCES users (id),
    created_at    timestamptz NOT NULL
);

-- 答复: the signed reply of a round; sent_at is set when it goes to the deputy.
CREATE TABLE replies (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id            bigint NOT NULL REFERENCES cases (id),
    round              integer NOT NULL CHECK (round >= 1),
    draft_id           bigint NOT NULL REFERENCES drafts (id),
    class              text NOT NULL CHECK (class IN ('A', 'B', 'C', 'D')),
    disclosure         text NOT NULL CHECK (disclosure IN ('public', 'summary', 'on_request', 'none')),
    disclosure_reason  text NOT NULL DEFAULT '',
    document_number    text NOT NULL DEFAULT '',
    contact_person     text NOT NULL DEFAULT '',
    contact_phone      text NOT NULL DEFAULT '',
    signed_by          bigint NOT NULL REFERENCES users (id),
    signed_at          timestamptz NOT NULL,
    sent_at            timestamptz,
    UNIQUE (case_id, round),
    CHECK (disclosure <> 'none' OR btrim(disclosure_reason) <> '')
);

-- 公开: the publication of a sent reply, a small machine of its own.
CREATE TABLE publications (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reply_id         bigint NOT NULL UNIQUE REFERENCES replies (id),
    state            text NOT NULL CHECK (state IN ('pending', 'published', 'withheld')),
    title            text NOT NULL CHECK (btrim(title) <> ''),
    due_on           date NOT NULL,
    published_at     timestamptz,
    withheld_reason  text NOT NULL DEFAULT '',
    CHECK ((state = 'published') = (published_at IS NOT NULL)),
    CHECK (state <> 'withheld' OR btrim(withheld_reason) <> '')
);

-- 征询意见表: the deputy's feedback on a round's reply.
CREATE TABLE feedback (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id         bigint NOT NULL REFERENCES cases (id),
    round           integer NOT NULL CHECK (round >= 1),
    reply_id        bigint NOT NULL UNIQUE REFERENCES replies (id),
    work_rating     text NOT NULL CHECK (work_rating IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
    result_rating   text NOT NULL CHECK (result_rating IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
    contact_method  text NOT NULL CHECK (contact_method IN ('meeting', 'visit', 'phone', 'none')),
    met_by          text NOT NULL DEFAULT '',
    remarks         text NOT NULL DEFAULT '',
    recorded_by     bigint REFERENCES users (id),
    received_at     timestamptz NOT NULL,
    UNIQUE (case_id, round)
);

-- 延期: a unit's request for a later reply due date and the liaison's decision.
CREATE TABLE extensions (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id           bigint NOT NULL REFERENCES cases (id),
    state             text NOT NULL CHECK (state IN ('requested', 'granted', 'refused')),
    reason            text NOT NULL CHECK (btrim(reason) <> ''),
    previous_due      date NOT NULL,
    wanted_due        date NOT NULL CHECK (wanted_due > previous_due),
    granted_due       date,
    decision_comment  text NOT NULL DEFAULT '',
    requested_by      bigint NOT NULL REFERENCES users (id),
    requested_at      timestamptz NOT NULL,
    decided_by        bigint REFERENCES users (id),
    decided_at        timestamptz,
    CHECK ((state = 'granted') = (granted_due IS NOT NULL)),
    CHECK ((state = 'requested') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX extensions_one_pending_idx ON extensions (case_id) WHERE state = 'requested';

-- Holiday overrides: they win over the built-in State Council schedules.
CREATE TABLE holiday_overrides (
    day         date PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name        text NOT NULL CHECK (btrim(name) <> ''),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- The audit log: append-only, hash-chained per case. hash =
-- sha256(prev_hash || canonical event); see internal/storage/event.go.
CREATE TABLE case_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     bigint NOT NULL REFERENCES cases (id),
    seq         integer NOT NULL CHECK (seq >= 1),
    machine     text NOT NULL CHECK (machine IN ('case', 'publication', 'record')),
    action      text NOT NULL CHECK (action IN ('assign', 'accept', 'request_return', 'approve_return', 'reject_return', 'submit', 'forward', 'return_for_revision', 'sign', 'send', 'record_feedback', 'waive_co_opinions', 'request_extension', 'grant_extension', 'refuse_extension', 'publish', 'withhold', 'save_draft', 'add_communication')),
    from_state  text NOT NULL,
    to_state    text NOT NULL,
    actor_id    bigint REFERENCES users (id),
    actor_role  text NOT NULL CHECK (actor_role IN ('drafter', 'reviewer', 'approver', 'liaison', 'admin', 'deputy', 'system')),
    at          timestamptz NOT NULL,
    payload     jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(payload) = 'object'),
    prev_hash   bytea CHECK (prev_hash IS NULL OR length(prev_hash) = 32),
    hash        bytea NOT NULL CHECK (length(hash) = 32),
    UNIQUE (case_id, seq),
    CHECK ((seq = 1) = (prev_hash IS NULL))
);

-- +goose StatementBegin
CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER case_events_no_update_delete BEFORE UPDATE OR DELETE ON case_events
    FOR EACH ROW EXECUTE FUNCTION case_events_append_only();
CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
    FOR EACH STATEMENT EXECUTE FUNCTION case_events_append_only();

-- +goose Down
DROP TABLE case_events;
DROP FUNCTION case_events_append_only();
DROP TABLE holiday_overrides;
DROP TABLE extensions;
DROP TABLE feedback;
DROP TABLE publications;
DROP TABLE replies;
DROP TABLE communications;
DROP TABLE drafts;
DROP TABLE cases;
DROP TABLE proposal_deputies;
DROP TABLE proposals;
DROP TABLE deputies;
DROP TABLE user_roles;
DROP TABLE users;
DROP TABLE departments;
DROP TABLE deadline_rules;
DROP TABLE congress_sessions;
