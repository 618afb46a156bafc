package storage

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/banli-gov/banli/workflow"
)

// Notification is one entry of a user's inbox (站内通知), written by
// package notify.
type Notification struct {
	ID     int64
	UserID int64
	// CaseID is the case it is about; 0 for none (a digest).
	CaseID int64
	// Kind is reminder, due, overdue, digest, info or handoff (notify.Kinds).
	Kind    string
	Key     string
	Subject string
	Body    string
	// Link is the path of the page it is about, e.g. /cases/42; "" for none.
	Link      string
	CreatedAt time.Time
	// ReadAt is when the user marked it read; nil while unread.
	ReadAt *time.Time
}

// InboxFilter selects a page of an inbox.
type InboxFilter struct {
	// UnreadOnly leaves out what was read.
	UnreadOnly bool
	// Before, when not 0, starts the page after the notification with this
	// id: the next page of a list, newest first.
	Before int64
	// Limit is the page size: DefaultInboxLimit when 0, at most
	// MaxInboxLimit.
	Limit int
}

// Page sizes of an inbox.
const (
	DefaultInboxLimit = 50
	MaxInboxLimit     = 200
)

// Inbox returns a page of a user's notifications, newest first.
func (db *DB) Inbox(ctx context.Context, userID int64, f InboxFilter) ([]*Notification, error) {
	limit := f.Limit
	switch {
	case limit <= 0:
		limit = DefaultInboxLimit
	case limit > MaxInboxLimit:
		limit = MaxInboxLimit
	}
	rows, err := db.Pool.Query(ctx, `
		SELECT id, user_id, coalesce(case_id, 0), kind, key, subject, body, link, created_at, read_at
		FROM notifications
		WHERE user_id = $1 AND ($2::bigint = 0 OR id < $2) AND (NOT $3 OR read_at IS NULL)
		ORDER BY id DESC LIMIT $4`, userID, f.Before, f.UnreadOnly, limit)
	if err != nil {
		return nil, fmt.Errorf("error listing notifications of user %d: %w", userID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*Notification, error) {
		var n Notification
		err := r.Scan(&n.ID, &n.UserID, &n.CaseID, &n.Kind, &n.Key, &n.Subject, &n.Body, &n.Link, &n.CreatedAt, &n.ReadAt)
		return &n, err
	})
	if err != nil {
		return nil, fmt.Errorf("error listing notifications of user %d: %w", userID, err)
	}
	return out, nil
}

// UnreadCount returns how many of a user's notifications are unread.
func (db *DB) UnreadCount(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL`, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("error counting unread notifications of user %d: %w", userID, err)
	}
	return n, nil
}

// MarkNotificationRead marks one of the user's notifications read at at; one
// read already keeps its time. Another user's notification is not found.
func (db *DB) MarkNotificationRead(ctx context.Context, userID, id int64, at time.Time) error {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	tag, err := tx.Exec(ctx, `UPDATE notifications SET read_at = coalesce(read_at, $3) WHERE id = $1 AND user_id = $2`, id, userID, at)
	if err != nil {
		return fmt.Errorf("error marking notification %d read: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return workflow.Errorf(workflow.ErrNotFound, "notification %d not found", id)
	}
	return tx.Commit(ctx)
}

// MarkAllNotificationsRead marks every unread notification of the user read
// at at, and returns how many it marked.
func (db *DB) MarkAllNotificationsRead(ctx context.Context, userID int64, at time.Time) (int, error) {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	tag, err := tx.Exec(ctx, `UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL`, userID, at)
	if err != nil {
		return 0, fmt.Errorf("error marking notifications of user %d read: %w", userID, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("error marking notifications of user %d read: %w", userID, err)
	}
	return int(tag.RowsAffected()), nil
}

// NotificationSettings are a user's own choices about their notifications.
type NotificationSettings struct {
	// HandOffEmail: hand-offs (交接通知: 待审核, 退回修改, …) come by e-mail
	// as well as in the inbox. Reminders, due and overdue notices always do.
	HandOffEmail bool
}

// NotificationSettings returns a user's notification settings.
func (db *DB) NotificationSettings(ctx context.Context, userID int64) (*NotificationSettings, error) {
	var s NotificationSettings
	err := db.Pool.QueryRow(ctx, `SELECT handoff_email FROM users WHERE id = $1`, userID).Scan(&s.HandOffEmail)
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("user %d", userID))
	}
	return &s, nil
}

// SetNotificationSettings stores a user's notification settings; they apply
// to notifications written from then on.
func (db *DB) SetNotificationSettings(ctx context.Context, userID int64, s NotificationSettings) error {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	tag, err := tx.Exec(ctx, `UPDATE users SET handoff_email = $2 WHERE id = $1`, userID, s.HandOffEmail)
	if err != nil {
		return fmt.Errorf("error saving the notification settings of user %d: %w", userID, err)
	}
	if tag.RowsAffected() == 0 {
		return workflow.Errorf(workflow.ErrNotFound, "user %d not found", userID)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("error saving the notification settings of user %d: %w", userID, err)
	}
	return nil
}

// DepartmentWebhook is a department's group robot (企业微信 or 钉钉群机器人),
// which gets the department's notifications (package notify).
type DepartmentWebhook struct {
	DepartmentID int64
	// URL is the robot's webhook address, with its key or access_token:
	// a secret, shown masked (notify.MaskURL).
	URL string
	// Format is WebhookWeCom or WebhookDingTalk.
	Format string
	// Secret is DingTalk's signing secret ("加签"); "" when the robot does
	// not sign. Never shown.
	Secret string
	// Enabled: a disabled webhook gets nothing.
	Enabled   bool
	UpdatedAt time.Time
}

// The webhook formats (department_webhooks.format; notify.Formats).
const (
	WebhookWeCom    = "wecom"
	WebhookDingTalk = "dingtalk"
)

// WebhookFormats lists every webhook format.
var WebhookFormats = []string{WebhookWeCom, WebhookDingTalk}

// SetDepartmentWebhook creates or replaces the webhook of w.DepartmentID.
func (db *DB) SetDepartmentWebhook(ctx context.Context, w *DepartmentWebhook) error {
	if !slices.Contains(WebhookFormats, w.Format) {
		return workflow.Errorf(workflow.ErrInvalid, "webhook format %q is not one of %s", w.Format, strings.Join(WebhookFormats, ", "))
	}
	// The URL holds the robot's key: errors do not repeat it.
	u, err := url.Parse(w.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(w.URL, " \t\r\n") {
		return workflow.Errorf(workflow.ErrInvalid, "webhook URL: not an absolute http(s) URL")
	}
	if w.Secret != "" && w.Format != WebhookDingTalk {
		return workflow.Errorf(workflow.ErrInvalid, "webhook secret: only DingTalk robots sign their messages")
	}
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	err = tx.QueryRow(ctx, `
		INSERT INTO department_webhooks (department_id, url, format, secret, enabled)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (department_id) DO UPDATE
		SET url = excluded.url, format = excluded.format, secret = excluded.secret, enabled = excluded.enabled, updated_at = now()
		RETURNING updated_at`, w.DepartmentID, w.URL, w.Format, w.Secret, w.Enabled).Scan(&w.UpdatedAt)
	if err != nil {
		return dbError(err, fmt.Sprintf("webhook of department %d", w.DepartmentID))
	}
	return tx.Commit(ctx)
}

// RemoveDepartmentWebhook removes the webhook of a department; deliveries
// to it not sent yet fail. A department without one is not found.
func (db *DB) RemoveDepartmentWebhook(ctx context.Context, departmentID int64) error {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	tag, err := tx.Exec(ctx, `DELETE FROM department_webhooks WHERE department_id = $1`, departmentID)
	if err != nil {
		return fmt.Errorf("error removing webhook of department %d: %w", departmentID, err)
	}
	if tag.RowsAffected() == 0 {
		return workflow.Errorf(workflow.ErrNotFound, "department %d has no webhook", departmentID)
	}
	return tx.Commit(ctx)
}

// DepartmentWebhooks lists every department's webhook, by department id.
func (db *DB) DepartmentWebhooks(ctx context.Context) ([]*DepartmentWebhook, error) {
	rows, err := db.Pool.Query(ctx, `SELECT department_id, url, format, secret, enabled, updated_at
		FROM department_webhooks ORDER BY department_id`)
	if err != nil {
		return nil, fmt.Errorf("error listing webhooks: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*DepartmentWebhook, error) {
		var w DepartmentWebhook
		err := r.Scan(&w.DepartmentID, &w.URL, &w.Format, &w.Secret, &w.Enabled, &w.UpdatedAt)
		return &w, err
	})
	if err != nil {
		return nil, fmt.Errorf("error listing webhooks: %w", err)
	}
	return out, nil
}
