package notify_test

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/mailpit"
	"github.com/banli-gov/banli/internal/notify"
)

// TestEmailFormat checks the message itself: headers, the encoded subject,
// the two parts, escaping and links.
func TestEmailFormat(t *testing.T) {
	t.Parallel()
	subject := reminderSubject + "（" + strings.Repeat("很长的主题", 10) + "）"
	text := "第一段，第一行\n第一段，第二行 <script>alert(1)</script> & \"引号\"\n\n第二段"
	now := time.Date(2024, 9, 26, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	raw, err := notify.BuildEmail(notify.Deps{BaseURL: baseURL}, 42, subject, text, "/cases/42",
		"建议办理系统 <banli@example.gov.cn>", "wangxy@example.gov.cn", now)
	must(t, err)

	for i, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 998 {
			t.Errorf("line %d is %d bytes long", i+1, len(line))
		}
		if strings.ContainsRune(line, '\n') {
			t.Errorf("line %d ends with a bare LF", i+1)
		}
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	must(t, err)
	h := msg.Header
	dec := new(mime.WordDecoder)
	gotSubject, err := dec.DecodeHeader(h.Get("Subject"))
	must(t, err)
	if gotSubject != subject {
		t.Errorf("subject decodes to %q", gotSubject)
	}
	if strings.ContainsFunc(h.Get("Subject"), func(r rune) bool { return r > 127 }) {
		t.Errorf("subject not encoded: %q", h.Get("Subject"))
	}
	from, err := h.AddressList("From")
	must(t, err)
	to, err := h.AddressList("To")
	must(t, err)
	if len(from) != 1 || from[0].Name != "建议办理系统" || from[0].Address != "banli@example.gov.cn" ||
		len(to) != 1 || to[0].Address != "wangxy@example.gov.cn" {
		t.Errorf("from %v to %v", from, to)
	}
	if d, err := h.Date(); err != nil || !d.Equal(now) {
		t.Errorf("Date %q: %v", h.Get("Date"), err)
	}
	if got := h.Get("Message-ID"); got != "<delivery-42@banli.example.gov.cn>" {
		t.Errorf("Message-ID %q", got)
	}
	if h.Get("MIME-Version") != "1.0" || h.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("MIME-Version %q Auto-Submitted %q", h.Get("MIME-Version"), h.Get("Auto-Submitted"))
	}
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q: %v", h.Get("Content-Type"), err)
	}
	parts := map[string]string{}
	var order []string
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		must(t, err)
		ct, cp, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
		must(t, err)
		if !strings.EqualFold(cp["charset"], "utf-8") || p.Header.Get("Content-Transfer-Encoding") != "base64" {
			t.Errorf("part %s: %v", ct, p.Header)
		}
		b, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, p))
		must(t, err)
		parts[ct] = string(b)
		order = append(order, ct)
	}
	if strings.Join(order, ",") != "text/plain,text/html" {
		t.Fatalf("parts %v, want text/plain then text/html (the preferred last)", order)
	}
	plain, html := parts["text/plain"], strings.ReplaceAll(parts["text/html"], "\r\n", "\n")
	abs := baseURL + "/cases/42"
	if !strings.Contains(plain, "第一段，第二行 <script>alert(1)</script> & \"引号\"\r\n\r\n第二段") ||
		!strings.Contains(plain, "查看详情："+abs) {
		t.Errorf("text part:\n%s", plain)
	}
	for _, want := range []string{
		"<p>第一段，第一行<br>\n第一段，第二行 &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;引号&#34;</p>",
		"<p>第二段</p>",
		`<a href="` + abs + `">查看详情：` + abs + `</a>`,
		"<title>" + subject + "</title>",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML part lacks %s:\n%s", want, html)
		}
	}
	if strings.Contains(html, "<script>") {
		t.Errorf("HTML part holds a script:\n%s", html)
	}

	// On an IPv6 base URL the Message-ID's host is a literal.
	raw, err = notify.BuildEmail(notify.Deps{BaseURL: "http://[::1]:8080"}, 7, "s", "t", "", "a@example.org", "b@example.org", now)
	must(t, err)
	if !bytes.Contains(raw, []byte("Message-ID: <delivery-7@[::1]>\r\n")) {
		t.Errorf("IPv6 Message-ID:\n%s", raw)
	}
}

// TestEmailFailures: without an SMTP server the delivery fails at once;
// an unreachable server is retried, and given up after the last attempt; a
// server without STARTTLS is refused when STARTTLS is required.
func TestEmailFailures(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	u := bn.user(t, bn.unit.ID, "王晓燕", "wangxy@example.gov.cn")
	deliveryFor := func(key string) int64 {
		t.Helper()
		_, err := bn.enqueue(t, bn.ins, notify.Message{Key: key, Kind: notify.KindInfo, Subject: "主题", UserIDs: []int64{u.ID}})
		must(t, err)
		ds := bn.deliveries(t)
		return ds[len(ds)-1].ID
	}
	row := func(id int64) deliveryRow {
		t.Helper()
		for _, d := range bn.deliveries(t) {
			if d.ID == id {
				return d
			}
		}
		t.Fatalf("no delivery %d", id)
		return deliveryRow{}
	}

	// No SMTP server configured.
	id := deliveryFor("no-smtp")
	err := notify.NewEmailWorker(notify.Deps{Pool: bn.db.Pool, BaseURL: baseURL}).Work(bn.ctx, emailJob(id, 1))
	if !isCancel(err) {
		t.Fatalf("without SMTP: %v, want the job cancelled", err)
	}
	if d := row(id); d.State != "failed" || d.Attempts != 1 || !strings.Contains(d.LastError, "no SMTP server configured") {
		t.Fatalf("without SMTP: %+v", d)
	}

	// A server that does not answer: retried until the last attempt.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	down := notify.NewEmailWorker(notify.Deps{Pool: bn.db.Pool, BaseURL: baseURL,
		SMTP: config.SMTP{Host: "127.0.0.1", Port: port, From: "banli@example.gov.cn", TLS: config.SMTPTLSNone}})
	id = deliveryFor("down")
	err = down.Work(bn.ctx, emailJob(id, 1))
	if err == nil || isCancel(err) {
		t.Fatalf("server down, attempt 1: %v, want an error to retry", err)
	}
	if d := row(id); d.State != "pending" || d.Attempts != 1 || !strings.Contains(d.LastError, "error connecting to SMTP server") {
		t.Fatalf("after attempt 1: %+v", d)
	}
	err = down.Work(bn.ctx, emailJob(id, notify.MaxAttempts))
	if err == nil {
		t.Fatal("server down, last attempt: no error")
	}
	if d := row(id); d.State != "failed" || d.Attempts != 2 {
		t.Fatalf("after the last attempt: %+v", d)
	}
	if err := down.Work(bn.ctx, emailJob(id, notify.MaxAttempts)); err != nil {
		t.Fatalf("a failed delivery worked again: %v", err)
	}

	// STARTTLS required, and mailpit (without a certificate) offers none;
	// with a login over plain SMTP to this host it sends.
	mp, err := mailpit.Start(bn.ctx, mailpit.Options{})
	must(t, err)
	t.Cleanup(func() { _ = mp.Stop() })
	smtpCfg := config.SMTP{Host: mp.SMTPHost(), Port: mp.SMTPPort(), From: "banli@example.gov.cn", TLS: config.SMTPTLSStartTLS}
	id = deliveryFor("starttls")
	err = notify.NewEmailWorker(notify.Deps{Pool: bn.db.Pool, BaseURL: baseURL, SMTP: smtpCfg}).Work(bn.ctx, emailJob(id, 1))
	if err == nil || !strings.Contains(err.Error(), "does not offer STARTTLS") {
		t.Fatalf("STARTTLS: %v", err)
	}
	smtpCfg.TLS, smtpCfg.Username, smtpCfg.Password = config.SMTPTLSNone, "banli", "pa55-w0rd"
	must(t, notify.NewEmailWorker(notify.Deps{Pool: bn.db.Pool, BaseURL: baseURL, SMTP: smtpCfg}).Work(bn.ctx, emailJob(id, 2)))
	if d := row(id); d.State != "sent" || d.Attempts != 2 || d.LastError != "" {
		t.Fatalf("after sending: %+v", d)
	}
	if _, err := mp.WaitForMessages(bn.ctx, 1, 10*time.Second); err != nil {
		t.Fatal(err)
	}
}
