package mailpit_test

import (
	"bufio"
	"context"
	"net/http"
	"net/smtp"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/mailpit"
)

// TestStartSendReadStop starts mailpit, sends it a message over SMTP, reads
// it back through the API, and stops it: its ports close and its directory
// goes.
func TestStartSendReadStop(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	begin := time.Now()
	s, err := mailpit.Start(ctx, mailpit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("mailpit started in %v (build included when not cached)", time.Since(begin).Round(time.Millisecond))
	t.Cleanup(func() { _ = s.Stop() })
	if s.SMTPHost() != "127.0.0.1" || s.SMTPPort() == 0 || !strings.HasPrefix(s.URL(), "http://127.0.0.1:") {
		t.Fatalf("SMTP %s:%d, UI %s", s.SMTPHost(), s.SMTPPort(), s.URL())
	}
	msgs, err := s.Messages(ctx)
	if err != nil || len(msgs) != 0 {
		t.Fatalf("a fresh mailpit holds %d messages (%v)", len(msgs), err)
	}

	raw := "From: a@example.org\r\nTo: b@example.org\r\nSubject: =?UTF-8?B?5rWL6K+V?=\r\nMessage-ID: <t1@example.org>\r\n" +
		"Content-Type: text/plain; charset=UTF-8\r\n\r\n你好\r\n"
	addr := s.SMTPHost() + ":" + strconv.Itoa(s.SMTPPort())
	if err := smtp.SendMail(addr, nil, "a@example.org", []string{"b@example.org"}, []byte(raw)); err != nil {
		t.Fatal(err)
	}
	msgs, err = s.WaitForMessages(ctx, 1, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].Subject != "测试" || msgs[0].MessageID != "t1@example.org" || len(msgs[0].To) != 1 || msgs[0].To[0].Address != "b@example.org" {
		t.Fatalf("messages: %+v", msgs)
	}
	m, err := s.Message(ctx, msgs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(m.Text) != "你好" || m.From == nil || m.From.Address != "a@example.org" ||
		len(m.Headers["Subject"]) != 1 || m.Headers["Subject"][0] != "=?UTF-8?B?5rWL6K+V?=" {
		t.Fatalf("message: %+v", m)
	}
	rawBack, err := s.Raw(ctx, msgs[0].ID)
	if err != nil || !strings.Contains(string(rawBack), "Message-ID: <t1@example.org>") {
		t.Fatalf("raw: %v %q", err, rawBack)
	}
	if _, err := s.WaitForMessages(ctx, 2, 200*time.Millisecond); err == nil {
		t.Fatal("WaitForMessages(2) returned with one message")
	}

	// The second server is a separate mailbox on other ports.
	s2, err := mailpit.Start(ctx, mailpit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s2.SMTPPort() == s.SMTPPort() || s2.URL() == s.URL() {
		t.Fatal("two servers share a port")
	}
	if msgs, err := s2.Messages(ctx); err != nil || len(msgs) != 0 {
		t.Fatalf("second server holds %d messages (%v)", len(msgs), err)
	}
	if err := s2.Stop(); err != nil {
		t.Fatal(err)
	}

	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	if _, err := s.Messages(ctx); err == nil {
		t.Fatal("the API still answers after Stop")
	}
	if err := smtp.SendMail(addr, nil, "a@example.org", []string{"b@example.org"}, []byte(raw)); err == nil {
		t.Fatal("the SMTP port still accepts after Stop")
	}
}

func TestBinaryIsCached(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p1, err := mailpit.Binary(ctx, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	begin := time.Now()
	p2, err := mailpit.Binary(ctx, "", nil)
	if err != nil || p2 != p1 {
		t.Fatalf("second Binary: %q %v, first %q", p2, err, p1)
	}
	if took := time.Since(begin); took > time.Second {
		t.Errorf("second Binary took %v", took)
	}
	if fi, err := os.Stat(p1); err != nil || fi.Mode()&0o111 == 0 {
		t.Fatalf("%s: %v", p1, err)
	}
}

func TestStartFailsWithABadBinary(t *testing.T) {
	t.Parallel()
	_, err := mailpit.Start(context.Background(), mailpit.Options{Binary: "/nonexistent/mailpit"})
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/mailpit") {
		t.Fatalf("Start with a missing binary: %v", err)
	}
	// A binary that exits at once: its output is in the error.
	_, err = mailpit.Start(context.Background(), mailpit.Options{Binary: "/bin/false"})
	if err == nil || !strings.Contains(err.Error(), "exited") {
		t.Fatalf("Start with /bin/false: %v", err)
	}
}

// TestDiesWithParent starts mailpit in a child process (this test binary
// again), kills the child with SIGKILL, and sees mailpit go too.
func TestDiesWithParent(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperStartAndWait$")
	cmd.Env = append(os.Environ(), "BANLI_MAILPIT_HELPER=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	sc := bufio.NewScanner(out)
	var url string
	for sc.Scan() {
		if u, ok := strings.CutPrefix(sc.Text(), "mailpit at "); ok {
			url = u
			break
		}
	}
	if url == "" {
		t.Fatal("the helper did not start mailpit")
	}
	if resp, err := http.Get(url + "/readyz"); err != nil {
		t.Fatalf("mailpit of the helper does not answer: %v", err)
	} else {
		resp.Body.Close()
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(url + "/readyz")
		if err != nil {
			return // gone
		}
		resp.Body.Close()
		if time.Now().After(deadline) {
			t.Fatal("mailpit outlived the process that started it")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestHelperStartAndWait is TestDiesWithParent's child: it starts mailpit,
// says where, and waits to be killed.
func TestHelperStartAndWait(t *testing.T) {
	if os.Getenv("BANLI_MAILPIT_HELPER") != "1" {
		return // run by TestDiesWithParent only
	}
	s, err := mailpit.Start(context.Background(), mailpit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("mailpit at " + s.URL() + "\n")
	time.Sleep(time.Minute)
}
