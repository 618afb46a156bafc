package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/banli-gov/banli/internal/config"
)

// EmailArgs is the River job that sends one e-mail delivery.
type EmailArgs struct {
	DeliveryID int64 `json:"delivery_id"`
}

// Kind implements river.JobArgs.
func (EmailArgs) Kind() string { return "notify_email" }

// InsertOpts implements river.JobArgsWithInsertOpts: queue notify, one job
// per delivery.
func (EmailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: Queue, MaxAttempts: MaxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// emailWorker sends e-mail deliveries through the configured SMTP server.
type emailWorker struct {
	river.WorkerDefaults[EmailArgs]
	deps Deps
}

// smtpTimeout bounds one conversation with the SMTP server.
const smtpTimeout = 90 * time.Second

// Timeout implements river.Worker: the SMTP conversation and recording it.
func (w *emailWorker) Timeout(*river.Job[EmailArgs]) time.Duration {
	return smtpTimeout + 30*time.Second
}

// Work implements river.Worker.
func (w *emailWorker) Work(ctx context.Context, job *river.Job[EmailArgs]) error {
	return w.deps.work(ctx, job.Args.DeliveryID, ChannelEmail, job.Attempt, job.MaxAttempts,
		func(ctx context.Context, _ pgx.Tx, d *delivery) error {
			if !w.deps.SMTP.Enabled() {
				return &permanentError{errNoSMTP}
			}
			from, err := mail.ParseAddress(w.deps.SMTP.From)
			if err != nil {
				return permanent("SMTP sender %q is not an e-mail address", w.deps.SMTP.From)
			}
			to, ok := emailAddress(d.Target)
			if !ok {
				return permanent("%q is not an e-mail address", d.Target)
			}
			msg, err := w.deps.buildEmail(d, from, to, w.deps.Clock.Now())
			if err != nil {
				return permanent("error composing the e-mail: %w", err)
			}
			return sendMail(ctx, w.deps.SMTP, w.deps.host(true), from.Address, to, msg)
		})
}

// messageID is the Message-ID of delivery id's e-mail: the same at every
// try, so that a receiver can recognize a second copy.
func (deps Deps) messageID(id int64) string {
	return fmt.Sprintf("<delivery-%d@%s>", id, deps.host(false))
}

// buildEmail writes the e-mail of a delivery: headers, and a
// multipart/alternative body with a text/plain and a text/html part, both
// UTF-8 in base64, both with the absolute link.
func (deps Deps) buildEmail(d *delivery, from *mail.Address, to string, now time.Time) ([]byte, error) {
	link := deps.absLink(d.Link)
	text := emailText(d.Body, link)
	html, err := emailHTML(d.Subject, d.Body, link)
	if err != nil {
		return nil, err
	}
	// The boundary cannot occur in base64 ('=' and '_' together never do).
	boundary := "=_banli_delivery_" + strconv.FormatInt(d.ID, 10)

	var b bytes.Buffer
	header := func(name, value string) { b.WriteString(name + ": " + value + "\r\n") }
	header("From", from.String())
	header("To", (&mail.Address{Address: to}).String())
	header("Subject", encodeHeader(d.Subject))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", deps.messageID(d.ID))
	header("MIME-Version", "1.0")
	// RFC 3834: a machine wrote this; auto-responders should stay silent.
	header("Auto-Submitted", "auto-generated")
	header("Content-Type", `multipart/alternative; boundary="`+boundary+`"`)
	b.WriteString("\r\n")
	for _, part := range []struct{ typ, body string }{{"text/plain", text}, {"text/html", html}} {
		b.WriteString("--" + boundary + "\r\n")
		header("Content-Type", part.typ+"; charset=UTF-8")
		header("Content-Transfer-Encoding", "base64")
		b.WriteString("\r\n")
		writeBase64Lines(&b, []byte(crlf(part.body)))
	}
	b.WriteString("--" + boundary + "--\r\n")
	return b.Bytes(), nil
}

// encodeHeader encodes a header value as RFC 2047 encoded-words (UTF-8,
// base64) where it is not plain ASCII, folded between words.
func encodeHeader(s string) string {
	return strings.ReplaceAll(mime.BEncoding.Encode("UTF-8", s), "?= =?", "?=\r\n =?")
}

// crlf turns every line ending into CRLF, as text parts of e-mail have them.
func crlf(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\n", "\r\n")
}

func writeBase64Lines(b *bytes.Buffer, p []byte) {
	enc := base64.StdEncoding.EncodeToString(p)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
}

const emailFooter = "此邮件由建议办理系统（banli）自动发送，请勿直接回复。"

// emailText is the plain-text part: the text, the link, the footer.
func emailText(body, link string) string {
	var b strings.Builder
	b.WriteString(strings.TrimRight(strings.ReplaceAll(body, "\r\n", "\n"), "\n"))
	b.WriteString("\n\n")
	if link != "" {
		b.WriteString("查看详情：" + link + "\n\n")
	}
	b.WriteString("——\n" + emailFooter + "\n")
	return b.String()
}

var emailTemplate = template.Must(template.New("email").Parse(`<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family: sans-serif; line-height: 1.6; color: #222;">
<h3 style="margin: 0 0 1em;">{{.Subject}}</h3>
{{range .Paragraphs}}<p>{{range $i, $line := .}}{{if $i}}<br>
{{end}}{{$line}}{{end}}</p>
{{end}}{{with .Link}}<p><a href="{{.}}">查看详情：{{.}}</a></p>
{{end}}<p style="color: #888; font-size: smaller;">{{.Footer}}</p>
</body>
</html>
`))

// emailHTML renders the HTML part from the plain text: blank lines separate
// paragraphs, line breaks become <br>, everything escaped; the link is an <a>.
func emailHTML(subject, body, link string) (string, error) {
	var paragraphs [][]string
	for _, p := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n\n") {
		if p = strings.Trim(p, "\n"); strings.TrimSpace(p) != "" {
			paragraphs = append(paragraphs, strings.Split(p, "\n"))
		}
	}
	var b strings.Builder
	err := emailTemplate.Execute(&b, struct {
		Subject    string
		Paragraphs [][]string
		Link       string
		Footer     string
	}{subject, paragraphs, link, emailFooter})
	return b.String(), err
}

// sendMail sends msg from one address to one through the SMTP server s,
// securing the connection as s.TLS says; the whole conversation ends with
// ctx or after smtpTimeout.
func sendMail(ctx context.Context, s config.SMTP, helo, from, to string, msg []byte) error {
	ctx, cancel := context.WithTimeout(ctx, smtpTimeout)
	defer cancel()
	dialer := &net.Dialer{Timeout: 30 * time.Second}
	conn, err := dialer.DialContext(ctx, "tcp", s.Addr())
	if err != nil {
		return fmt.Errorf("error connecting to SMTP server %s: %w", s.Addr(), err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	tlsConfig := &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}
	if s.TLS == config.SMTPTLSImplicit {
		tc := tls.Client(conn, tlsConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			return fmt.Errorf("error in TLS handshake with SMTP server %s: %w", s.Addr(), err)
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		return fmt.Errorf("error greeting SMTP server %s: %w", s.Addr(), err)
	}
	defer c.Close()
	if err := c.Hello(helo); err != nil {
		return fmt.Errorf("SMTP HELO: %w", err)
	}
	if s.TLS == config.SMTPTLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return errors.New("SMTP server " + s.Addr() + " does not offer STARTTLS (BANLI_SMTP_TLS=starttls)")
		}
		if err := c.StartTLS(tlsConfig); err != nil {
			return fmt.Errorf("SMTP STARTTLS: %w", err)
		}
	}
	if s.Username != "" {
		// PlainAuth itself refuses to send the password in clear to a
		// host that is not this one.
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, s.Host)); err != nil {
			return fmt.Errorf("SMTP AUTH as %s: %w", s.Username, err)
		}
	}
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("SMTP MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("SMTP RCPT TO %s: %w", to, err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("SMTP DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("SMTP DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("SMTP DATA: %w", err)
	}
	// The message is accepted once DATA is; a failing QUIT changes nothing.
	_ = c.Quit()
	return nil
}
