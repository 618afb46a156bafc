package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/workflow"
)

// Deps is what the delivery workers need.
type Deps struct {
	// Pool is banli's database.
	Pool *pgxpool.Pool
	// SMTP is the mail server; its zero value sends no e-mail (e-mail
	// deliveries fail at once with "no SMTP server configured").
	SMTP config.SMTP
	// BaseURL is banli's public URL (config.Config.BaseURL): links in
	// e-mails and webhook posts start with it, and e-mails' Message-IDs
	// end with its host.
	BaseURL string
	// HTTPClient posts to webhooks; nil: a client with a 30-second timeout
	// that follows no redirects.
	HTTPClient *http.Client
	// Logger receives a line per delivery sent or failed; none when nil.
	Logger *slog.Logger
	// Clock dates e-mails and signs webhook posts; nil is the system clock.
	// banli passes the process's one clock.
	Clock workflow.Clock
}

// AddWorkers registers the delivery workers (e-mail, webhook) on w.
func AddWorkers(w *river.Workers, deps Deps) error {
	deps, err := deps.prepared()
	if err != nil {
		return fmt.Errorf("error adding notification workers: %w", err)
	}
	if err := river.AddWorkerSafely(w, &emailWorker{deps: deps}); err != nil {
		return fmt.Errorf("error adding the e-mail worker: %w", err)
	}
	if err := river.AddWorkerSafely(w, &webhookWorker{deps: deps}); err != nil {
		return fmt.Errorf("error adding the webhook worker: %w", err)
	}
	return nil
}

// prepared checks deps and fills in the defaults.
func (deps Deps) prepared() (Deps, error) {
	if deps.Pool == nil {
		return deps, errors.New("no database pool")
	}
	u, err := url.Parse(deps.BaseURL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return deps, fmt.Errorf("base URL %q is not an absolute http(s) URL", deps.BaseURL)
	}
	deps.BaseURL = strings.TrimRight(deps.BaseURL, "/")
	if deps.SMTP.Enabled() {
		if _, err := mail.ParseAddress(deps.SMTP.From); err != nil {
			return deps, fmt.Errorf("SMTP sender %q is not an e-mail address", deps.SMTP.From)
		}
	}
	if deps.HTTPClient == nil {
		deps.HTTPClient = &http.Client{
			Timeout: 30 * time.Second,
			// A robot's endpoint answers itself; a redirect would turn the
			// POST into a GET somewhere else, carrying the key along.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	return deps, nil
}

// delivery is a row of deliveries, as a worker reads it.
type delivery struct {
	ID           int64
	Key          string
	Channel      string
	Target       string
	DepartmentID int64
	Subject      string
	Body         string
	Link         string
	State        string
	Attempts     int
}

// permanentError is a failure that no retry can fix: the delivery is
// marked failed at once and its job cancelled.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

func permanent(format string, args ...any) error {
	return &permanentError{fmt.Errorf(format, args...)}
}

// errNoSMTP is why e-mail deliveries fail when no server is configured.
var errNoSMTP = errors.New("no SMTP server configured (BANLI_SMTP_HOST is not set)")

// maxErrorLen bounds last_error: the start of an error says what it is.
const maxErrorLen = 1000

// work runs one try of delivery id: it locks the row; a delivery no longer
// pending is done (a retry after a crash, or a duplicate job) and nothing is
// sent. Otherwise send runs inside the lock, and the row is marked sent, or
// its failure recorded, in the same transaction. The final try (attempt of
// maxAttempts) or a permanent error marks it failed.
func (deps Deps) work(ctx context.Context, id int64, channel string, attempt, maxAttempts int,
	send func(ctx context.Context, tx pgx.Tx, d *delivery) error) error {
	log := deps.Logger.With("delivery", id, "channel", channel, "attempt", attempt)
	tx, err := deps.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var d delivery
	var dept *int64
	err = tx.QueryRow(ctx, `SELECT id, key, channel, target, department_id, subject, body, link, state, attempts
		FROM deliveries WHERE id = $1 FOR UPDATE`, id).
		Scan(&d.ID, &d.Key, &d.Channel, &d.Target, &dept, &d.Subject, &d.Body, &d.Link, &d.State, &d.Attempts)
	if errors.Is(err, pgx.ErrNoRows) {
		log.Warn("delivery not found: nothing to send")
		return river.JobCancel(fmt.Errorf("delivery %d not found", id))
	}
	if err != nil {
		return fmt.Errorf("error reading delivery %d: %w", id, err)
	}
	if dept != nil {
		d.DepartmentID = *dept
	}
	if d.Channel != channel {
		return river.JobCancel(fmt.Errorf("delivery %d is by %s, not %s", id, d.Channel, channel))
	}
	if d.State != StatePending {
		log.Debug("delivery already done", "state", d.State)
		return nil
	}

	sendErr := send(ctx, tx, &d)

	// Record the outcome even when the job's context ran out while sending.
	recCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	if sendErr == nil {
		tag, err := tx.Exec(recCtx, `UPDATE deliveries SET state = 'sent', sent_at = now(), attempts = attempts + 1, last_error = ''
			WHERE id = $1 AND state = 'pending'`, id)
		if err == nil && tag.RowsAffected() != 1 {
			err = fmt.Errorf("delivery %d was no longer pending", id)
		}
		if err == nil {
			err = tx.Commit(recCtx)
		}
		if err != nil {
			// Sent, but not recorded: the retry sends again (same Message-ID).
			log.Error("delivery sent but not recorded as sent", "err", err)
			return fmt.Errorf("error recording delivery %d as sent: %w", id, err)
		}
		log.Info("delivery sent", "key", d.Key, "target", deps.targetLabel(&d))
		return nil
	}

	var perm *permanentError
	final := errors.As(sendErr, &perm) || attempt >= maxAttempts
	state := StatePending
	if final {
		state = StateFailed
	}
	msg := sendErr.Error()
	if len(msg) > maxErrorLen {
		msg = strings.ToValidUTF8(msg[:maxErrorLen], "") + "…"
	}
	_, err = tx.Exec(recCtx, `UPDATE deliveries SET state = $2, attempts = attempts + 1, last_error = $3
		WHERE id = $1 AND state = 'pending'`, id, state, msg)
	if err == nil {
		err = tx.Commit(recCtx)
	}
	if err != nil {
		log.Error("error recording a failed delivery", "err", err, "send_err", msg)
	}
	if final {
		log.Error("delivery failed for good", "key", d.Key, "target", deps.targetLabel(&d), "err", msg)
	} else {
		log.Warn("delivery failed, will retry", "key", d.Key, "target", deps.targetLabel(&d), "err", msg)
	}
	if perm != nil {
		return river.JobCancel(sendErr)
	}
	return sendErr
}

// targetLabel names a delivery's target in logs: the address, or the
// department whose webhook it is (never the webhook's URL).
func (deps Deps) targetLabel(d *delivery) string {
	if d.Channel == ChannelWebhook {
		return "department " + d.Target
	}
	return d.Target
}

// absLink makes a delivery's link absolute with the base URL.
func (deps Deps) absLink(link string) string {
	if link == "" {
		return ""
	}
	return deps.BaseURL + link
}

// host returns the host name of the base URL, for Message-IDs and HELO;
// an IP address comes bracketed when bracket is set.
func (deps Deps) host(bracket bool) string {
	u, err := url.Parse(deps.BaseURL)
	if err != nil || u.Hostname() == "" {
		return "banli.invalid"
	}
	h := u.Hostname()
	if ip := net.ParseIP(h); ip != nil && (bracket || ip.To4() == nil) {
		return "[" + h + "]"
	}
	return h
}
