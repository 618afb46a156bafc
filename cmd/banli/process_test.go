package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/mailpit"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/workflow"
)

// The tests in this file run banli as an operator does: the binary, built
// once by TestProcesses (without -race, to keep the children fast), started
// as `banli serve` processes on one database, with a real mailpit as their
// SMTP server, and stopped by SIGTERM — or SIGKILL.

// buildBanli builds cmd/banli (without -race) into a directory of t's
// and returns the binary. TestProcesses builds it once for all its subtests.
func buildBanli(t *testing.T) string {
	t.Helper()
	begin := time.Now()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		goCmd = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "banli")
	out, err := exec.Command(goCmd, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build ./cmd/banli: %v\n%s", err, out)
	}
	t.Logf("built banli in %v", time.Since(begin).Round(time.Millisecond))
	return bin
}

// proc is a banli child process.
type proc struct {
	name string
	cmd  *exec.Cmd
	base string // http://127.0.0.1:PORT
	out  *lockedBuffer
	done chan struct{} // closed when it has exited
	err  error         // its exit, valid after done
}

// banliEnv is the environment of a banli child: the test's variables and
// PATH and HOME, nothing else of the test process.
func banliEnv(vars map[string]string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	return env
}

// runBanli runs a short banli command to its end and returns its exit
// status and output.
func runBanli(t *testing.T, bin string, vars map[string]string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = banliEnv(vars)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, string(out)
	case errors.As(err, &exit):
		return exit.ExitCode(), string(out)
	}
	t.Fatalf("banli %v: %v", args, err)
	return -1, ""
}

// freeAddr returns a loopback address with a port that was free a moment
// ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServe starts `banli serve` with vars on a free port and returns once
// it answers /healthz. When the test ends a process still running gets
// SIGTERM and must exit 0 (a graceful shutdown); its output is shown when
// the test failed.
func startServe(t *testing.T, bin, name string, vars map[string]string) *proc {
	t.Helper()
	addr := freeAddr(t)
	env := map[string]string{"BANLI_LISTEN_ADDR": addr, "BANLI_LOG_LEVEL": "info", "BANLI_SHUTDOWN_TIMEOUT": "10s"}
	for k, v := range vars {
		env[k] = v
	}
	p := &proc{name: name, base: "http://" + addr, out: &lockedBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(bin, "serve")
	p.cmd.Env = banliEnv(env)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	// The child dies with the test process, even by SIGKILL. Pdeathsig
	// fires when the forking thread ends: fork from a locked thread that
	// waits for the child.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := p.cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	if err := <-started; err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			if err := p.stop(); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
		if t.Failed() {
			t.Logf("%s's output:\n%s", name, tail(p.out.String(), 60))
		}
	})
	begin := time.Now()
	for {
		resp, err := http.Get(p.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case <-p.done:
			t.Fatalf("%s exited before answering: %v\n%s", name, p.err, p.out.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Since(begin) > 30*time.Second {
			t.Fatalf("%s does not answer /healthz: %v\n%s", name, err, p.out.String())
		}
	}
	t.Logf("%s (pid %d) serving on %s after %v", name, p.cmd.Process.Pid, p.base, time.Since(begin).Round(time.Millisecond))
	return p
}

// stop ends p with SIGTERM and wants a graceful exit (status 0).
func (p *proc) stop() error {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
		return errors.New("did not stop within 20s of SIGTERM")
	}
	if p.err != nil {
		return fmt.Errorf("exit after SIGTERM: %v", p.err)
	}
	return nil
}

// kill ends p with SIGKILL and waits for it.
func (p *proc) kill() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

func tail(s string, lines int) string {
	ls := strings.Split(s, "\n")
	if len(ls) > lines {
		ls = ls[len(ls)-lines:]
	}
	return strings.Join(ls, "\n")
}

// startMailpit starts a mailpit for one test and returns it with the SMTP
// settings of a banli that sends to it.
func startMailpit(t *testing.T) (*mailpit.Server, map[string]string) {
	t.Helper()
	mp, err := mailpit.Start(context.Background(), mailpit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mp.Stop() })
	return mp, map[string]string{
		"BANLI_SMTP_HOST": mp.SMTPHost(),
		"BANLI_SMTP_PORT": strconv.Itoa(mp.SMTPPort()),
		"BANLI_SMTP_FROM": "建议办理系统 <banli@banli.example>",
	}
}

// TestProcesses runs the multi-process guarantees against the built binary.
// It builds the binary once; its subtests share it.
func TestProcesses(t *testing.T) {
	t.Parallel()
	begin := time.Now()
	bin := buildBanli(t)
	// Parallel subtests run after this function returns, before t's
	// cleanups.
	t.Cleanup(func() { t.Logf("process tests took %v", time.Since(begin).Round(time.Millisecond)) })
	t.Run("RemindersExactlyOnceAcrossTwoProcesses", func(t *testing.T) { testExactlyOnce(t, bin) })
	t.Run("SIGKILLLosesNothing", func(t *testing.T) { testSIGKILL(t, bin) })
	t.Run("ListensWhileWarming", func(t *testing.T) { testListensWhileWarming(t, bin) })
}

// testListensWhileWarming: `banli serve` answers /healthz and serves pages
// while it still reconciles deadlines in the background — held up here by
// a transaction that locks an open case — with /readyz saying "warming";
// once the lock goes, the reconciliation finishes and /readyz says ready.
func testListensWhileWarming(t *testing.T, bin string) {
	t.Parallel()
	ctx := context.Background()
	url := testdb.New(t)
	vars := map[string]string{"DATABASE_URL": url}
	if code, out := runBanli(t, bin, vars, "demo"); code != 0 {
		t.Fatalf("banli demo: %d\n%s", code, out)
	}
	db, err := storage.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	var held int64
	if err := tx.QueryRow(ctx, `SELECT id FROM cases WHERE state IN ('assigned', 'drafting', 'in_review')
		ORDER BY id LIMIT 1 FOR UPDATE`).Scan(&held); err != nil {
		t.Fatal(err)
	}
	p := startServe(t, bin, "banli serve", vars) // returns once /healthz answers
	probe := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(p.base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, body := probe("/readyz"); code != http.StatusServiceUnavailable || !strings.HasPrefix(body, "warming: ") {
		t.Fatalf("/readyz while case %d is locked: %d %q, want 503 warming: …", held, code, body)
	}
	if code, _ := probe("/public"); code != http.StatusOK {
		t.Errorf("/public while warming: %d, want 200", code)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, body := probe("/readyz")
		if code == http.StatusOK && body == "ready" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz 30 s after the lock went: %d %q", code, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if out := p.out.String(); !strings.Contains(out, "deadlines in sync") || !strings.Contains(out, "warm-up done") {
		t.Errorf("the log does not record the warm-up:\n%s", tail(out, 20))
	}
}

// pendingWork counts the reminder and delivery jobs a worker could take
// now or is working.
const pendingWork = `SELECT count(*) FROM river_job
	WHERE kind IN ('deadline_reminder', 'notify_email', 'notify_webhook')
	AND (state IN ('available', 'running', 'retryable', 'pending') OR state = 'scheduled' AND scheduled_at <= now())`

// testExactlyOnce makes every reminder of the demo due at once and lets two
// `banli serve` processes race for them: every notice reaches each user
// once, every e-mail is sent once, and both processes did work.
func testExactlyOnce(t *testing.T, bin string) {
	t.Parallel()
	ctx := context.Background()
	url := testdb.New(t)
	vars := map[string]string{"DATABASE_URL": url, "BANLI_REMINDER_WORKERS": "4", "BANLI_NOTIFY_WORKERS": "4"}
	if code, out := runBanli(t, bin, vars, "demo"); code != 0 {
		t.Fatalf("banli demo: %d\n%s", code, out)
	}
	mp, smtp := startMailpit(t)
	for k, v := range smtp {
		vars[k] = v
	}
	db, err := storage.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// Both processes are up and idle before the work appears, so that the
	// race is a real one.
	p1 := startServe(t, bin, "banli serve #1", vars)
	p2 := startServe(t, bin, "banli serve #2", vars)
	tag, err := db.Pool.Exec(ctx, `UPDATE river_job SET scheduled_at = now() WHERE kind = 'deadline_reminder' AND state = 'scheduled'`)
	if err != nil {
		t.Fatal(err)
	}
	due := tag.RowsAffected()
	if due < 20 {
		t.Fatalf("only %d reminder jobs to make due: the demo should schedule many", due)
	}
	begin := time.Now()
	for {
		var n int
		if err := db.Pool.QueryRow(ctx, pendingWork).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Since(begin) > 45*time.Second {
			t.Fatalf("%d reminder or delivery jobs still pending after 45s", n)
		}
		time.Sleep(100 * time.Millisecond)
	}
	worked := time.Since(begin)

	var deliveries, emails, sent, unsentEmails int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE channel = 'email'), count(*) FILTER (WHERE state = 'sent'),
		count(*) FILTER (WHERE channel = 'email' AND state <> 'sent') FROM deliveries`).Scan(&deliveries, &emails, &sent, &unsentEmails); err != nil {
		t.Fatal(err)
	}
	if deliveries == 0 || emails == 0 {
		t.Fatalf("no deliveries after %d reminders", due)
	}
	if sent != deliveries {
		rows, _ := db.Pool.Query(ctx, `SELECT id, channel, state, attempts, last_error FROM deliveries WHERE state <> 'sent' LIMIT 10`)
		var bad []string
		for rows.Next() {
			var id int64
			var ch, st, lastErr string
			var attempts int
			_ = rows.Scan(&id, &ch, &st, &attempts, &lastErr)
			bad = append(bad, fmt.Sprintf("%d %s %s after %d attempts: %s", id, ch, st, attempts, lastErr))
		}
		rows.Close()
		t.Errorf("%d of %d deliveries sent; unsent: %v", sent, deliveries, bad)
	}
	if emails >= 500 {
		t.Fatalf("%d e-mails: more than mailpit keeps (500), counting them would prove nothing", emails)
	}
	if _, err := mp.WaitForMessages(ctx, emails, 10*time.Second); err != nil {
		t.Fatalf("mailpit: %v", err)
	}
	// No wait for a second copy: every job has finished, and a worker
	// finishes only after the SMTP server acknowledged (stored) its message,
	// so whatever was sent, twice or not, is in mailpit now.
	msgs, err := mp.Messages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != emails {
		t.Errorf("mailpit received %d messages for %d e-mail deliveries", len(msgs), emails)
	}
	// Each message is one e-mail delivery (Message-ID <delivery-ID@host>),
	// to that delivery's address; no delivery's message came twice, and no
	// notice (key) reached an address twice.
	type emailDelivery struct{ key, to string }
	want := map[int64]emailDelivery{}
	rows, err := db.Pool.Query(ctx, `SELECT id, key, target FROM deliveries WHERE channel = 'email'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var d emailDelivery
		if err := rows.Scan(&id, &d.key, &d.to); err != nil {
			t.Fatal(err)
		}
		want[id] = d
	}
	rows.Close()
	idOf := regexp.MustCompile(`^delivery-(\d+)@`)
	seen := map[string]int{}
	perNotice := map[emailDelivery]int{}
	for _, m := range msgs {
		seen[m.MessageID]++
		sub := idOf.FindStringSubmatch(m.MessageID)
		if sub == nil {
			t.Errorf("message %q: Message-ID %q is not a delivery's", m.Subject, m.MessageID)
			continue
		}
		id, _ := strconv.ParseInt(sub[1], 10, 64)
		d, ok := want[id]
		if !ok || len(m.To) != 1 || !strings.Contains(d.to, m.To[0].Address) {
			t.Errorf("message %s to %v: delivery %d is to %q", m.MessageID, m.To, id, d.to)
			continue
		}
		perNotice[emailDelivery{d.key, m.To[0].Address}]++
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("Message-ID %s received %d times", id, n)
		}
	}
	for kt, n := range perNotice {
		if n > 1 {
			t.Errorf("notice %s reached %s %d times", kt.key, kt.to, n)
		}
	}
	for id := range want {
		if !anyMessageOf(seen, id) {
			t.Errorf("delivery %d has no message in mailpit", id)
		}
	}

	var notifications, dupNotices int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*), count(*) - count(DISTINCT (key, user_id)) FROM notifications`).Scan(&notifications, &dupNotices); err != nil {
		t.Fatal(err)
	}
	if dupNotices != 0 {
		t.Errorf("%d notifications repeat a (key, user) pair", dupNotices)
	}
	var dupDeliveries int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) - count(DISTINCT (key, channel, target)) FROM deliveries`).Scan(&dupDeliveries); err != nil {
		t.Fatal(err)
	}
	if dupDeliveries != 0 {
		t.Errorf("%d deliveries repeat a (key, channel, target)", dupDeliveries)
	}

	// Who worked what: each job's last attempt names its client; both
	// processes must have had a share, and no job may have needed a second
	// attempt or recorded an error.
	byClient := map[string]int{}
	rows, err = db.Pool.Query(ctx, `SELECT attempted_by[array_upper(attempted_by, 1)], count(*) FROM river_job
		WHERE kind IN ('deadline_reminder', 'notify_email', 'notify_webhook') AND state = 'completed' GROUP BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var client string
		var n int
		if err := rows.Scan(&client, &n); err != nil {
			t.Fatal(err)
		}
		byClient[client] = n
	}
	rows.Close()
	if len(byClient) != 2 {
		t.Errorf("jobs were worked by %d clients, want both processes': %v", len(byClient), byClient)
	}
	var retried, errored int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE attempt > 1), count(*) FILTER (WHERE cardinality(errors) > 0) FROM river_job
		WHERE kind IN ('deadline_reminder', 'notify_email', 'notify_webhook')`).Scan(&retried, &errored); err != nil {
		t.Fatal(err)
	}
	if retried != 0 || errored != 0 {
		t.Errorf("%d jobs took more than one attempt, %d recorded errors", retried, errored)
	}
	t.Logf("exactly once: %d reminder jobs made due, worked with their %d deliveries (%d e-mails) in %v by two processes %v; "+
		"%d notifications, %d messages in mailpit, %d distinct Message-IDs, %d retried jobs",
		due, deliveries, emails, worked.Round(time.Millisecond), byClient, notifications, len(msgs), len(seen), retried)

	for _, p := range []*proc{p1, p2} {
		if err := p.stop(); err != nil {
			t.Errorf("%s: %v", p.name, err)
		}
	}
}

// anyMessageOf reports whether a Message-ID of delivery id (with whatever
// host) was seen exactly once.
func anyMessageOf(seen map[string]int, id int64) bool {
	prefix := fmt.Sprintf("delivery-%d@", id)
	for mid, n := range seen {
		if strings.HasPrefix(mid, prefix) && n == 1 {
			return true
		}
	}
	return false
}

// user is a logged-in user of a banli process.
type user struct {
	base   string
	cookie *http.Cookie
	csrf   string
}

// login creates a login session for the first active user with role (in
// dept, unless 0), as the OpenID callback would.
func login(t *testing.T, db *storage.DB, base string, role workflow.Role, dept int64) *user {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := db.Pool.QueryRow(ctx, `SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE r.role = $1 AND ($2 = 0 OR u.department_id = $2) AND u.disabled_at IS NULL ORDER BY u.id LIMIT 1`, role, dept).Scan(&id)
	if err != nil {
		t.Fatalf("no %s in department %d: %v", role, dept, err)
	}
	token, csrf := auth.NewToken(), auth.NewToken()
	if _, err := db.CreateLoginSession(ctx, storage.CreateLoginSessionCmd{UserID: id, TokenHash: auth.HashToken(token),
		CSRFToken: csrf, Provider: "test", At: time.Now(), MaxAge: time.Hour}); err != nil {
		t.Fatal(err)
	}
	return &user{base: base, cookie: &http.Cookie{Name: "banli_session", Value: token}, csrf: csrf}
}

// caseState is the part of the API's case view the stream follows.
type caseState struct {
	ID           int64         `json:"id"`
	State        string        `json:"state"`
	Version      int           `json:"version"`
	ReplyDue     workflow.Date `json:"reply_due"`
	ExtensionCap workflow.Date `json:"extension_cap"`
}

var httpClient = &http.Client{Timeout: 15 * time.Second}

// act posts an action on a case; it returns the case after it, or the
// response's status and body.
func (u *user) act(caseID int64, action workflow.Action, body map[string]any) (*caseState, int, string, error) {
	raw, _ := json.Marshal(body)
	req, err := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/cases/%d/actions/%s", u.base, caseID, action), bytes.NewReader(raw))
	if err != nil {
		return nil, 0, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set(auth.CSRFHeader, u.csrf)
	req.AddCookie(u.cookie)
	resp, err := httpClient.Do(req)
	if err != nil {
		return nil, 0, "", err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, resp.StatusCode, "", err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, resp.StatusCode, string(out), nil
	}
	var v struct {
		Case caseState `json:"case"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		return nil, resp.StatusCode, string(out), err
	}
	return &v.Case, resp.StatusCode, "", nil
}

// saveDraft saves a new version of a case's draft, on top of version base.
func (u *user) saveDraft(caseID int64, base int) error {
	raw, _ := json.Marshal(map[string]any{"base_version": base,
		"sections": []workflow.Section{{Heading: "一、基本情况", Body: "正在办理。"}}})
	req, err := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/cases/%d/drafts", u.base, caseID), bytes.NewReader(raw))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set(auth.CSRFHeader, u.csrf)
	req.AddCookie(u.cookie)
	resp, err := httpClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		out, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("saving a draft of case %d: %d %s", caseID, resp.StatusCode, out)
	}
	return nil
}

// get reads a case through the API.
func (u *user) get(caseID int64) (*caseState, error) {
	req, err := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/cases/%d", u.base, caseID), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.AddCookie(u.cookie)
	resp, err := httpClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var v struct {
		Case caseState `json:"case"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET case %d: %d %v", caseID, resp.StatusCode, err)
	}
	return &v.Case, nil
}

// confirmed is a transition that got its 200.
type confirmed struct {
	action workflow.Action
	before *caseState
	after  *caseState
}

// testSIGKILL drives a stream of transitions over HTTP on several demo cases
// and SIGKILLs the process right after one of them got its 200, with others
// in flight: after it, every case has exactly the deadlines and reminder
// jobs its state calls for, every audit chain verifies, and the confirmed
// transition is there with its deadline rows. A restarted process serves
// on.
func testSIGKILL(t *testing.T, bin string) {
	t.Parallel()
	ctx := context.Background()
	url := testdb.New(t)
	vars := map[string]string{"DATABASE_URL": url}
	if code, out := runBanli(t, bin, vars, "demo"); code != 0 {
		t.Fatalf("banli demo: %d\n%s", code, out)
	}
	_, smtp := startMailpit(t)
	for k, v := range smtp {
		vars[k] = v
	}
	db, err := storage.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p := startServe(t, bin, "banli serve", vars)

	// Lead and separate cases being drafted or reviewed, with no extension
	// pending and room below the extension cap: each cycles through
	// request_extension, grant_extension, request_extension,
	// refuse_extension, submit, return_for_revision — transitions that
	// start, move and end deadlines and their reminder jobs. A case in
	// drafting without a draft of its round gets one first.
	rows, err := db.Pool.Query(ctx, `SELECT c.id, c.department_id,
			(SELECT count(*) FROM drafts d WHERE d.case_id = c.id),
			NOT EXISTS (SELECT 1 FROM drafts d WHERE d.case_id = c.id AND d.round = c.round)
		FROM cases c
		WHERE c.kind IN ('lead', 'separate') AND c.state IN ('drafting', 'in_review')
		AND NOT EXISTS (SELECT 1 FROM extensions e WHERE e.case_id = c.id AND e.state = 'requested')
		ORDER BY c.id`)
	if err != nil {
		t.Fatal(err)
	}
	type streamCase struct {
		id                int64
		drafts            int  // the case's draft versions so far
		needsDraft        bool // no draft in its current round
		drafter, reviewer *user
	}
	type candidate struct {
		id, dept   int64
		drafts     int
		needsDraft bool
	}
	var candidates []candidate
	for rows.Next() {
		var c candidate
		if err := rows.Scan(&c.id, &c.dept, &c.drafts, &c.needsDraft); err != nil {
			t.Fatal(err)
		}
		candidates = append(candidates, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	liaison := login(t, db, p.base, workflow.RoleLiaison, 0)
	var streams []*streamCase
	for _, c := range candidates {
		cs, err := liaison.get(c.id)
		if err != nil {
			t.Fatal(err)
		}
		if !cs.ReplyDue.AddDays(30).Before(cs.ExtensionCap) {
			continue
		}
		streams = append(streams, &streamCase{id: c.id, drafts: c.drafts, needsDraft: c.needsDraft,
			drafter: login(t, db, p.base, workflow.RoleDrafter, c.dept), reviewer: login(t, db, p.base, workflow.RoleReviewer, c.dept)})
		if len(streams) == 4 {
			break
		}
	}
	if len(streams) < 3 {
		t.Fatalf("the demo has %d cases the stream can drive, want 3 or more", len(streams))
	}

	// The stream: one goroutine per case, each sending its next transition
	// once the last one answered. The goroutine whose grant_extension is
	// answered 200 after killAfter transitions in all kills the process at
	// once; the others have requests in flight.
	const killAfter = 100
	var (
		total    atomic.Int64
		dying    atomic.Bool // set before the SIGKILL
		killOnce sync.Once
		killed   = make(chan confirmed, 1)
		mu       sync.Mutex
		last     = map[int64]confirmed{} // each case's last confirmed transition
		failures []string
		wg       sync.WaitGroup
	)
	begin := time.Now()
	for _, c := range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fail := func(msg string) {
				mu.Lock()
				failures = append(failures, msg)
				mu.Unlock()
			}
			if c.needsDraft {
				if err := c.drafter.saveDraft(c.id, c.drafts); err != nil {
					fail(err.Error())
					return
				}
			}
			cs, err := liaison.get(c.id)
			if err != nil {
				fail(err.Error())
				return
			}
			type step struct {
				action workflow.Action
				by     *user
				body   func(*caseState) map[string]any
			}
			extend := func(cs *caseState) map[string]any {
				return map[string]any{"version": cs.Version, "comment": "需要更多时间调研", "due": cs.ReplyDue.AddDays(1)}
			}
			grant := func(cs *caseState) map[string]any {
				return map[string]any{"version": cs.Version, "comment": "同意", "due": cs.ReplyDue.AddDays(1)}
			}
			comment := func(cs *caseState) map[string]any {
				return map[string]any{"version": cs.Version, "comment": "请补充"}
			}
			plain := func(cs *caseState) map[string]any { return map[string]any{"version": cs.Version} }
			cycle := []step{
				{workflow.ActionRequestExtension, c.drafter, extend},
				{workflow.ActionGrantExtension, liaison, grant},
				{workflow.ActionRequestExtension, c.drafter, extend},
				{workflow.ActionRefuseExtension, liaison, comment},
				{workflow.ActionSubmit, c.drafter, plain},
				{workflow.ActionReturnForRevision, c.reviewer, comment},
			}
			first := 0
			if cs.State == string(workflow.StateInReview) {
				first = len(cycle) - 1
			}
			for i := first; ; i++ {
				s := cycle[i%len(cycle)]
				after, status, body, err := s.by.act(c.id, s.action, s.body(cs))
				if err != nil || status != http.StatusOK {
					if dying.Load() {
						return // killed: this request may or may not have committed
					}
					fail(fmt.Sprintf("case %d %s: %d %s %v", c.id, s.action, status, body, err))
					return
				}
				conf := confirmed{action: s.action, before: cs, after: after}
				mu.Lock()
				last[c.id] = conf
				mu.Unlock()
				cs = after
				if total.Add(1) >= killAfter && s.action == workflow.ActionGrantExtension {
					killOnce.Do(func() {
						dying.Store(true)
						_ = p.cmd.Process.Kill()
						killed <- conf
					})
				}
				if dying.Load() {
					return
				}
			}
		}()
	}
	var conf confirmed
	select {
	case conf = <-killed:
	case <-time.After(40 * time.Second):
		dying.Store(true)
		p.kill()
		wg.Wait()
		t.Fatalf("the stream did not reach %d transitions in 40s (%d): %v", killAfter, total.Load(), failures)
	}
	<-p.done
	wg.Wait()
	streamed := time.Since(begin)
	if len(failures) > 0 {
		t.Fatalf("transitions refused before the kill: %v", failures)
	}
	t.Logf("SIGKILL after %d confirmed transitions on %d cases in %v; the last: %s on case %d (version %d)",
		total.Load(), len(streams), streamed.Round(time.Millisecond), conf.action, conf.after.ID, conf.after.Version)

	// Before any restart (whose SyncDeadlines would repair what a lost
	// transaction broke): the deadlines and jobs are in order as the
	// transactions left them.
	check := func(when string) {
		t.Helper()
		begin := time.Now()
		rep, err := db.CheckDeadlineJobs(ctx, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		for _, pr := range rep.Problems {
			t.Errorf("%s: case %d deadline %d (%s): %s", when, pr.CaseID, pr.DeadlineID, pr.Kind, pr.Problem)
		}
		t.Logf("%s: %d cases, %d deadlines, %d jobs, %d problems (checked in %v)", when, rep.Cases, rep.Deadlines, rep.Jobs,
			len(rep.Problems), time.Since(begin).Round(time.Millisecond))
	}
	check("after SIGKILL")

	// Every case is at its last confirmed version, or one past it (a
	// request in flight at the kill committed, its answer lost).
	mu.Lock()
	for id, l := range last {
		var state string
		var version int
		if err := db.Pool.QueryRow(ctx, `SELECT state, version FROM cases WHERE id = $1`, id).Scan(&state, &version); err != nil {
			t.Fatal(err)
		}
		switch version {
		case l.after.Version:
			if state != l.after.State {
				t.Errorf("case %d: state %s at version %d, the confirmed %s said %s", id, state, version, l.action, l.after.State)
			}
		case l.after.Version + 1:
			t.Logf("case %d: the transition in flight at the kill committed (version %d)", id, version)
		default:
			t.Errorf("case %d: version %d, the last confirmed transition (%s) left %d", id, version, l.action, l.after.Version)
		}
	}
	mu.Unlock()

	// The transition answered right before the kill is there whole: the
	// case, its audit event, the reply deadline moved to the granted day
	// with its reminders, the extension's decision deadline ended.
	id := conf.after.ID
	var state, lastAction string
	var version int
	if err := db.Pool.QueryRow(ctx, `SELECT c.state, c.version, e.action FROM cases c
		JOIN case_events e ON e.case_id = c.id WHERE c.id = $1 ORDER BY e.seq DESC LIMIT 1`, id).Scan(&state, &version, &lastAction); err != nil {
		t.Fatal(err)
	}
	if version != conf.after.Version || state != conf.after.State || lastAction != string(workflow.ActionGrantExtension) {
		t.Errorf("case %d after the kill: %s version %d, last event %s; the 200 said %s version %d after grant_extension",
			id, state, version, lastAction, conf.after.State, conf.after.Version)
	}
	var activeReply string
	var jobs int
	if err := db.Pool.QueryRow(ctx, `SELECT d.due_on::text, (SELECT count(*) FROM river_job j WHERE j.kind = 'deadline_reminder'
			AND j.args @> jsonb_build_object('deadline_id', d.id) AND j.state IN ('scheduled', 'available'))
		FROM deadlines d WHERE d.case_id = $1 AND d.kind = 'reply' AND d.ended_at IS NULL`, id).Scan(&activeReply, &jobs); err != nil {
		t.Fatalf("case %d: no active reply deadline: %v", id, err)
	}
	if activeReply != conf.after.ReplyDue.String() || jobs == 0 {
		t.Errorf("case %d: active reply deadline due %s with %d reminder jobs; the grant set %s", id, activeReply, jobs, conf.after.ReplyDue)
	}
	var moved, openDecisions int
	if err := db.Pool.QueryRow(ctx, `SELECT
			count(*) FILTER (WHERE kind = 'reply' AND end_reason = 'moved' AND due_on = $2::date),
			count(*) FILTER (WHERE kind = 'extension_decision' AND ended_at IS NULL)
		FROM deadlines WHERE case_id = $1`, id, conf.before.ReplyDue.String()).Scan(&moved, &openDecisions); err != nil {
		t.Fatal(err)
	}
	if moved != 1 || openDecisions != 0 {
		t.Errorf("case %d: %d reply deadlines due %s ended as moved (want 1), %d extension decisions open (want 0)",
			id, moved, conf.before.ReplyDue, openDecisions)
	}
	if code, out := runBanli(t, bin, vars, "audit", "verify"); code != 0 {
		t.Errorf("banli audit verify after SIGKILL: exit %d\n%s", code, out)
	} else {
		t.Logf("%s", strings.TrimSpace(out))
	}

	// A new process takes over: still in order, and it serves the stream on.
	begin = time.Now()
	p2 := startServe(t, bin, "banli serve (restarted)", vars)
	t.Logf("restarted in %v", time.Since(begin).Round(time.Millisecond))
	check("after the restart")
	// The killed case is in drafting with no extension pending; its
	// stream's next step was another extension request.
	var drafter *user
	for _, c := range streams {
		if c.id == id {
			drafter = c.drafter
		}
	}
	drafter.base = p2.base
	body := map[string]any{"version": conf.after.Version, "comment": "重启后继续", "due": conf.after.ReplyDue.AddDays(1)}
	if after, status, out, err := drafter.act(id, workflow.ActionRequestExtension, body); err != nil || status != http.StatusOK {
		t.Errorf("request_extension on case %d after the restart: %d %s %v", id, status, out, err)
	} else if after.Version != conf.after.Version+1 {
		t.Errorf("case %d after a transition on the restarted process: version %d", id, after.Version)
	}
	check("after a transition on the restarted process")
	if err := p2.stop(); err != nil {
		t.Errorf("%s: %v", p2.name, err)
	}
}
