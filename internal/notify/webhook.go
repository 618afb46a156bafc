package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
)

// The formats of a department's webhook (department_webhooks.format).
const (
	// FormatWeCom is a WeCom (企业微信) group robot: markdown messages,
	// the key in the URL.
	FormatWeCom = "wecom"
	// FormatDingTalk is a DingTalk (钉钉) group robot: markdown messages,
	// the access_token in the URL, and optionally signed with a secret.
	FormatDingTalk = "dingtalk"
)

// Formats lists every webhook format.
var Formats = []string{FormatWeCom, FormatDingTalk}

// WebhookArgs is the River job that posts one webhook delivery.
type WebhookArgs struct {
	DeliveryID int64 `json:"delivery_id"`
}

// Kind implements river.JobArgs.
func (WebhookArgs) Kind() string { return "notify_webhook" }

// InsertOpts implements river.JobArgsWithInsertOpts: queue notify, one job
// per delivery.
func (WebhookArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: Queue, MaxAttempts: MaxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// webhookWorker posts webhook deliveries to the departments' group robots.
type webhookWorker struct {
	river.WorkerDefaults[WebhookArgs]
	deps Deps
}

// Timeout implements river.Worker.
func (w *webhookWorker) Timeout(*river.Job[WebhookArgs]) time.Duration { return time.Minute }

// Work implements river.Worker.
func (w *webhookWorker) Work(ctx context.Context, job *river.Job[WebhookArgs]) error {
	return w.deps.work(ctx, job.Args.DeliveryID, ChannelWebhook, job.Attempt, job.MaxAttempts,
		func(ctx context.Context, tx pgx.Tx, d *delivery) error {
			var hook webhook
			var enabled bool
			err := tx.QueryRow(ctx, `SELECT url, format, secret, enabled FROM department_webhooks WHERE department_id = $1`,
				d.DepartmentID).Scan(&hook.URL, &hook.Format, &hook.Secret, &enabled)
			if errors.Is(err, pgx.ErrNoRows) {
				return permanent("department %d has no webhook any more", d.DepartmentID)
			}
			if err != nil {
				return fmt.Errorf("error reading the webhook of department %d: %w", d.DepartmentID, err)
			}
			if !enabled {
				return permanent("the webhook of department %d is disabled", d.DepartmentID)
			}
			return w.deps.post(ctx, hook, d, w.deps.Clock.Now())
		})
}

// webhook is a department's group robot.
type webhook struct {
	URL    string
	Format string
	Secret string // DingTalk's signing secret; "" when unsigned
}

// maxMarkdownBytes bounds a post's markdown: WeCom takes 4096 bytes.
const maxMarkdownBytes = 4000

// webhookBody returns the JSON a robot of format takes for the message.
func webhookBody(format, subject, text, link string) ([]byte, error) {
	text = strings.TrimRight(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	switch format {
	case FormatWeCom:
		// WeCom's markdown keeps single line breaks.
		tail := ""
		if link != "" {
			tail = "\n[查看详情](" + link + ")"
		}
		head := "**" + subject + "**\n"
		content := head + truncateUTF8(text, maxMarkdownBytes-len(head)-len(tail)) + tail
		return json.Marshal(map[string]any{"msgtype": "markdown", "markdown": map[string]string{"content": content}})
	case FormatDingTalk:
		// DingTalk's markdown needs a blank line for a line break.
		tail := ""
		if link != "" {
			tail = "\n\n[查看详情](" + link + ")"
		}
		head := "#### " + subject + "\n\n"
		body := truncateUTF8(strings.ReplaceAll(text, "\n", "\n\n"), maxMarkdownBytes-len(head)-len(tail))
		return json.Marshal(map[string]any{"msgtype": "markdown", "markdown": map[string]string{"title": subject, "text": head + body + tail}})
	}
	return nil, fmt.Errorf("unknown webhook format %q", format)
}

// truncateUTF8 cuts s to at most n bytes on a character boundary, marking
// the cut with an ellipsis.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const more = "……"
	cut := n - len(more)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if cut < 0 {
		cut = 0
	}
	return s[:cut] + more
}

// SignDingTalk returns the timestamp and sign query parameters of a signed
// DingTalk robot at now: sign = base64(HMAC-SHA256(secret, timestamp + "\n"
// + secret)), timestamp in milliseconds.
func SignDingTalk(secret string, now time.Time) (timestamp, sign string) {
	timestamp = strconv.FormatInt(now.UnixMilli(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp + "\n" + secret))
	return timestamp, base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// post sends a delivery to its robot. A transport error, a status other
// than 2xx, or a JSON answer whose errcode is not 0 is a failure; its
// message never holds the URL's key or token, nor the secret.
func (deps Deps) post(ctx context.Context, hook webhook, d *delivery, now time.Time) error {
	u, err := url.Parse(hook.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return permanent("the webhook URL of department %d is not an http(s) URL", d.DepartmentID)
	}
	secrets := []string{hook.URL, hook.Secret}
	for _, vs := range u.Query() {
		secrets = append(secrets, vs...)
	}
	if hook.Format == FormatDingTalk && hook.Secret != "" {
		ts, sign := SignDingTalk(hook.Secret, now)
		q := u.Query()
		q.Set("timestamp", ts)
		q.Set("sign", sign)
		u.RawQuery = q.Encode()
		secrets = append(secrets, u.String(), sign)
	}
	body, err := webhookBody(hook.Format, d.Subject, d.Body, deps.absLink(d.Link))
	if err != nil {
		return &permanentError{err}
	}
	fail := func(format string, args ...any) error {
		return errors.New(scrub(fmt.Sprintf(format, args...), secrets...))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return fail("error preparing the post to %s: %v", MaskURL(hook.URL), err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := deps.HTTPClient.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its text repeats the URL
		}
		return fail("error posting to %s: %v", MaskURL(hook.URL), err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fail("%s answered HTTP %d: %s", MaskURL(hook.URL), resp.StatusCode, snippet(answer))
	}
	var res struct {
		ErrCode *int   `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if json.Unmarshal(answer, &res) == nil && res.ErrCode != nil && *res.ErrCode != 0 {
		return fail("%s answered errcode %d: %s", MaskURL(hook.URL), *res.ErrCode, snippet([]byte(res.ErrMsg)))
	}
	return nil
}

// snippet is the start of an answer, for an error message.
func snippet(b []byte) string {
	s := strings.ToValidUTF8(strings.TrimSpace(string(b)), "")
	return truncateUTF8(s, 300)
}

// scrub replaces every non-empty secret in s with ****.
func scrub(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "****")
		}
	}
	return s
}

// MaskURL returns a webhook URL fit to show or log: every query parameter's
// value (a robot's key, access_token, sign) and any password replaced by
// ****. A string that is not a URL is masked whole.
func MaskURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "****"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "****")
	}
	if u.RawQuery != "" {
		var parts []string
		for _, kv := range strings.Split(u.RawQuery, "&") {
			name, _, _ := strings.Cut(kv, "=")
			parts = append(parts, name+"=****")
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	u.Fragment = ""
	return strings.ReplaceAll(u.String(), "%2A%2A%2A%2A", "****")
}
