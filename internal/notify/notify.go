package notify

import (
	"context"
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/banli-gov/banli/workflow"
)

// Queue is the River queue the delivery jobs go to.
const Queue = "notify"

// MaxAttempts is how often a delivery is tried, the first try included,
// with River's default backoff between tries (about 80 minutes from the
// first to the last); then it is marked failed.
const MaxAttempts = 8

// The kinds of notification (notifications.kind).
const (
	// KindReminder: a deadline comes near (即将到期).
	KindReminder = "reminder"
	// KindDue: a deadline is today (今日到期).
	KindDue = "due"
	// KindOverdue: a deadline has passed (已逾期).
	KindOverdue = "overdue"
	// KindDigest: a summary over many cases, such as the liaison office's
	// daily digest (督办日报).
	KindDigest = "digest"
	// KindInfo: anything else worth knowing.
	KindInfo = "info"
	// KindHandoff: a case changed hands and the user may act next (交接通知:
	// 待审核, 待签发, 退回修改, …). A user may turn off its e-mail
	// (users.handoff_email); the in-app notification and the webhook post
	// stay.
	KindHandoff = "handoff"
)

// Kinds lists every kind of notification, in the order of the CHECK
// constraint of notifications.kind.
var Kinds = []string{KindReminder, KindDue, KindOverdue, KindDigest, KindInfo, KindHandoff}

// EmailOptional reports whether a user may turn off the e-mail of a kind
// of notification: hand-offs only. Reminders, due and overdue notices and
// digests always go by e-mail to a user with an address.
func EmailOptional(kind string) bool { return kind == KindHandoff }

// The channels of a delivery (deliveries.channel).
const (
	// ChannelEmail is an e-mail to one address.
	ChannelEmail = "email"
	// ChannelWebhook is a post to one department's group robot.
	ChannelWebhook = "webhook"
)

// The states of a delivery (deliveries.state).
const (
	// StatePending: not sent yet; a River job will try (again).
	StatePending = "pending"
	// StateSent: sent; never sent again.
	StateSent = "sent"
	// StateFailed: given up, after MaxAttempts tries or an error that no
	// retry can fix; last_error says why.
	StateFailed = "failed"
)

// Message is one notification to send to users (in-app, and by e-mail where
// the user has an address) and, optionally, to departments' group robots.
type Message struct {
	// Key is the dedupe key, e.g. "deadline:42:before:7": at most one
	// notification per (Key, user) and one delivery per (Key, channel,
	// target) — ever.
	Key string
	// CaseID is the case the message is about; 0 when it is about no one
	// case (digests).
	CaseID int64
	// Kind is one of Kinds.
	Kind string
	// Subject is the Chinese subject line, e.g.
	// "【即将到期】关于市十五届人大三次会议第20240294号建议的答复期限还有7个工作日".
	Subject string
	// Text is the Chinese plain-text body; the e-mail's HTML part is
	// rendered from it (escaped; blank lines separate paragraphs).
	Text string
	// Link is the path of the page to open, e.g. "/cases/42"; e-mails and
	// webhook posts make it absolute with the base URL.
	Link string
	// UserIDs are the users to notify; disabled users are skipped.
	UserIDs []int64
	// DepartmentIDs are the departments whose enabled webhook also gets
	// the message.
	DepartmentIDs []int64
}

// Inserter is what Enqueue needs from a River client: *river.Client[pgx.Tx]
// satisfies it.
type Inserter interface {
	InsertManyTx(ctx context.Context, tx pgx.Tx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
}

// validate checks m: an invalid message is the caller's bug, refused whole.
func (m *Message) validate() error {
	bad := func(format string, args ...any) error {
		return workflow.Errorf(workflow.ErrInvalid, "notification %q: "+format, append([]any{m.Key}, args...)...)
	}
	if strings.TrimSpace(m.Key) == "" {
		return workflow.Errorf(workflow.ErrInvalid, "notification: a key is required")
	}
	if !slices.Contains(Kinds, m.Kind) {
		return bad("kind %q is not one of %s", m.Kind, strings.Join(Kinds, ", "))
	}
	if strings.TrimSpace(m.Subject) == "" {
		return bad("a subject is required")
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return bad("the subject is one line")
	}
	if m.Link != "" {
		u, err := url.Parse(m.Link)
		if err != nil || !strings.HasPrefix(m.Link, "/") || strings.HasPrefix(m.Link, "//") ||
			strings.Contains(m.Link, `\`) || u.Scheme != "" || u.Host != "" {
			return bad("link %q is not a path of banli such as /cases/42", m.Link)
		}
	}
	if m.CaseID < 0 {
		return bad("case id %d", m.CaseID)
	}
	return nil
}

// Enqueue records m in tx: one in-app notification per user (skipping
// disabled users and users who already have a notification with m.Key),
// one delivery row per e-mail address of the newly notified users (except
// those who turned off the e-mail of m.Kind, see EmailOptional) and per
// enabled webhook of m.DepartmentIDs (skipping those m.Key already
// delivered to), and one River job per new delivery, inserted with ins in
// the same transaction and unique by delivery id. It returns how many
// notifications it created: 0 when all were duplicates (a webhook may still
// have been new). ins may be nil only when no delivery is created.
func Enqueue(ctx context.Context, tx pgx.Tx, ins Inserter, m Message) (int, error) {
	if err := m.validate(); err != nil {
		return 0, err
	}
	var caseID *int64
	if m.CaseID != 0 {
		caseID = &m.CaseID
	}
	rows, err := tx.Query(ctx, `
		WITH n AS (
			INSERT INTO notifications (user_id, case_id, kind, key, subject, body, link)
			SELECT u.id, $2, $3, $4, $5, $6, $7 FROM users u
			WHERE u.id = ANY($1) AND u.disabled_at IS NULL
			ORDER BY u.id
			ON CONFLICT (key, user_id) DO NOTHING
			RETURNING id, user_id)
		SELECT n.id, CASE WHEN $8 AND NOT u.handoff_email THEN '' ELSE u.email END
		FROM n JOIN users u ON u.id = n.user_id ORDER BY n.id`,
		m.UserIDs, caseID, m.Kind, m.Key, m.Subject, m.Text, m.Link, EmailOptional(m.Kind))
	if err != nil {
		return 0, fmt.Errorf("error recording notification %q: %w", m.Key, err)
	}
	type created struct {
		id    int64
		email string
	}
	news, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (created, error) {
		var c created
		err := r.Scan(&c.id, &c.email)
		return c, err
	})
	if err != nil {
		return 0, fmt.Errorf("error recording notification %q: %w", m.Key, err)
	}

	// One e-mail per address, even when two users share one.
	var noteIDs []int64
	var addrs []string
	seen := map[string]bool{}
	for _, c := range news {
		addr, ok := emailAddress(c.email)
		if !ok || seen[strings.ToLower(addr)] {
			continue
		}
		seen[strings.ToLower(addr)] = true
		noteIDs = append(noteIDs, c.id)
		addrs = append(addrs, addr)
	}
	var params []river.InsertManyParams
	if len(addrs) > 0 {
		rows, err := tx.Query(ctx, `
			INSERT INTO deliveries (key, notification_id, channel, target, subject, body, link)
			SELECT $1, x.n, 'email', x.t, $4, $5, $6 FROM unnest($2::bigint[], $3::text[]) AS x(n, t)
			ON CONFLICT (key, channel, target) DO NOTHING
			RETURNING id`, m.Key, noteIDs, addrs, m.Subject, m.Text, m.Link)
		if err != nil {
			return 0, fmt.Errorf("error recording e-mail deliveries of %q: %w", m.Key, err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return 0, fmt.Errorf("error recording e-mail deliveries of %q: %w", m.Key, err)
		}
		for _, id := range ids {
			params = append(params, river.InsertManyParams{Args: EmailArgs{DeliveryID: id}})
		}
	}
	if len(m.DepartmentIDs) > 0 {
		rows, err := tx.Query(ctx, `
			INSERT INTO deliveries (key, department_id, channel, target, subject, body, link)
			SELECT $1, w.department_id, 'webhook', w.department_id::text, $3, $4, $5
			FROM department_webhooks w WHERE w.department_id = ANY($2) AND w.enabled
			ORDER BY w.department_id
			ON CONFLICT (key, channel, target) DO NOTHING
			RETURNING id`, m.Key, m.DepartmentIDs, m.Subject, m.Text, m.Link)
		if err != nil {
			return 0, fmt.Errorf("error recording webhook deliveries of %q: %w", m.Key, err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return 0, fmt.Errorf("error recording webhook deliveries of %q: %w", m.Key, err)
		}
		for _, id := range ids {
			params = append(params, river.InsertManyParams{Args: WebhookArgs{DeliveryID: id}})
		}
	}
	if len(params) > 0 {
		if ins == nil {
			return 0, fmt.Errorf("error enqueueing deliveries of %q: no River client to insert their jobs", m.Key)
		}
		if _, err := ins.InsertManyTx(ctx, tx, params); err != nil {
			return 0, fmt.Errorf("error enqueueing deliveries of %q: %w", m.Key, err)
		}
	}
	return len(news), nil
}

// emailAddress returns the bare address of a user's e-mail field, and false
// when it holds none that can be sent to.
func emailAddress(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, "\r\n") {
		return "", false
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return "", false
	}
	return a.Address, true
}
