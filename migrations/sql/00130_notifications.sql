-- +goose Up
-- Notifications: each user's in-app inbox (站内通知), the deliveries of a
-- notification by e-mail and to departments' group robots (企业微信/钉钉群
-- 机器人), and the robots' webhooks. See internal/notify.

-- One notification to one user. key names what it is about (e.g.
-- "deadline:42:before:7"), so that the same event never notifies a user twice.
CREATE TABLE notifications (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    case_id     bigint REFERENCES cases (id),
    kind        text NOT NULL CHECK (kind IN ('reminder', 'due', 'overdue', 'digest', 'info')),
    key         text NOT NULL CHECK (btrim(key) <> ''),
    subject     text NOT NULL CHECK (btrim(subject) <> ''),
    body        text NOT NULL DEFAULT '',
    link        text NOT NULL DEFAULT '' CHECK (link = '' OR link LIKE '/%'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    read_at     timestamptz,
    UNIQUE (key, user_id)
);
-- The inbox, newest first, and its unread count.
CREATE INDEX notifications_user_id_idx ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;

-- A department's group robot: where its webhook posts go. secret is
-- DingTalk's signing secret ('' when the robot does not sign); it never
-- leaves this table.
CREATE TABLE department_webhooks (
    department_id  bigint PRIMARY KEY REFERENCES departments (id) ON DELETE CASCADE,
    url            text NOT NULL CHECK (url ~ '^https?://[^/?#\s]+'),
    format         text NOT NULL CHECK (format IN ('wecom', 'dingtalk')),
    secret         text NOT NULL DEFAULT '',
    enabled        boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- One delivery of a notification through one channel to one target: an
-- e-mail address, or a department's webhook (target is the department id;
-- the webhook's URL and secret stay in department_webhooks). It carries what
-- it sends (a webhook post need not belong to any user's notification). A
-- River job (notify_email, notify_webhook) works each; state 'sent' is set in
-- the transaction that holds the row locked while sending, so a retried job
-- never sends again what was sent.
CREATE TABLE deliveries (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key              text NOT NULL CHECK (btrim(key) <> ''),
    notification_id  bigint REFERENCES notifications (id) ON DELETE SET NULL,
    department_id    bigint REFERENCES departments (id) ON DELETE CASCADE,
    channel          text NOT NULL CHECK (channel IN ('email', 'webhook')),
    target           text NOT NULL CHECK (btrim(target) <> ''),
    subject          text NOT NULL CHECK (btrim(subject) <> ''),
    body             text NOT NULL DEFAULT '',
    link             text NOT NULL DEFAULT '' CHECK (link = '' OR link LIKE '/%'),
    state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error       text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz,
    UNIQUE (key, channel, target),
    CHECK ((state = 'sent') = (sent_at IS NOT NULL)),
    CHECK ((channel = 'webhook') = (department_id IS NOT NULL))
);
CREATE INDEX deliveries_notification_id_idx ON deliveries (notification_id);
CREATE INDEX deliveries_department_id_idx ON deliveries (department_id);
CREATE INDEX deliveries_unsent_idx ON deliveries (created_at) WHERE state <> 'sent';

-- +goose Down
DROP TABLE deliveries;
DROP TABLE department_webhooks;
DROP TABLE notifications;
