package notify_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"mime"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/mailpit"
	"github.com/banli-gov/banli/internal/notify"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

const reminderSubject = "【即将到期】关于市十五届人大三次会议第20240294号建议的答复期限还有7个工作日"

// TestEndToEnd enqueues a reminder for two users (one with an e-mail
// address, one disabled) and a department with a WeCom robot, on a real
// River client working the notify queue, a real SMTP server (mailpit) and a
// local robot endpoint: one e-mail and one post arrive, once; the same key
// again sends nothing; a delivery worked again, as a retry would, sends
// nothing either.
func TestEndToEnd(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	ctx := bn.ctx
	mp, err := mailpit.Start(ctx, mailpit.Options{})
	must(t, err)
	t.Cleanup(func() { _ = mp.Stop() })
	bot := newRobot(t)
	const robotKey = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
	must(t, bn.db.SetDepartmentWebhook(ctx, &storage.DepartmentWebhook{DepartmentID: bn.unit.ID, Format: storage.WebhookWeCom,
		URL: bot.URL + "/cgi-bin/webhook/send?key=" + robotKey, Enabled: true}))

	alice := bn.user(t, bn.unit.ID, "王晓燕", "wangxy@example.gov.cn")
	bob := bn.user(t, bn.unit.ID, "陈志强", "chenzq@example.gov.cn", workflow.RoleReviewer)
	must(t, bn.db.DisableUser(ctx, workflow.System, bob.ID))

	var logs syncBuffer
	deps := notify.Deps{
		Pool:    bn.db.Pool,
		SMTP:    config.SMTP{Host: mp.SMTPHost(), Port: mp.SMTPPort(), From: "建议办理系统 <banli@example.gov.cn>", TLS: config.SMTPTLSNone},
		BaseURL: baseURL,
		Logger:  slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	workers := river.NewWorkers()
	must(t, notify.AddWorkers(workers, deps))
	client, err := river.NewClient(riverpgxv5.New(bn.db.Pool), &river.Config{
		Queues:            map[string]river.QueueConfig{notify.Queue: {MaxWorkers: 4}},
		Workers:           workers,
		FetchPollInterval: 100 * time.Millisecond,
		Logger:            slog.New(slog.DiscardHandler),
		TestOnly:          true,
	})
	must(t, err)
	must(t, client.Start(ctx))
	t.Cleanup(func() { _ = client.Stop(ctx) })

	link := fmt.Sprintf("/cases/%d", bn.caseID)
	msg := notify.Message{
		Key:     fmt.Sprintf("deadline:%d:before:7", bn.caseID),
		CaseID:  bn.caseID,
		Kind:    notify.KindReminder,
		Subject: reminderSubject,
		Text: "市十五届人大三次会议第20240294号建议《关于加快推进科技成果转化的建议》\n承办单位：武汉市市场监督管理局（主办）\n" +
			"答复期限：2024-10-08，还有7个工作日\n\n请及时办理。",
		Link:          link,
		UserIDs:       []int64{alice.ID, bob.ID},
		DepartmentIDs: []int64{bn.unit.ID},
	}
	n, err := bn.enqueue(t, client, msg)
	must(t, err)
	if n != 1 {
		t.Fatalf("Enqueue created %d notifications, want 1 (bob is disabled)", n)
	}

	_, err = mp.WaitForMessages(ctx, 1, 30*time.Second)
	must(t, err)
	ds := waitDelivered(t, bn, 2)
	if len(ds) != 2 || ds[0].Channel != "email" || ds[0].Target != "wangxy@example.gov.cn" ||
		ds[1].Channel != "webhook" || ds[1].Target != fmt.Sprint(bn.unit.ID) {
		t.Fatalf("deliveries: %+v", ds)
	}
	for _, d := range ds {
		if d.State != "sent" || d.Attempts != 1 || d.LastError != "" || !d.Sent {
			t.Errorf("delivery %+v, want sent at the first attempt", d)
		}
	}
	msgs, err := mp.Messages(ctx)
	must(t, err)
	if len(msgs) != 1 {
		t.Fatalf("mailpit holds %d messages, want 1", len(msgs))
	}

	// The e-mail: the Chinese subject encoded and decoded back, sender,
	// recipient, Message-ID, both bodies with the absolute link.
	m, err := mp.Message(ctx, msgs[0].ID)
	must(t, err)
	rawSubject := strings.Join(m.Headers["Subject"], "")
	decoded, err := new(mime.WordDecoder).DecodeHeader(rawSubject)
	must(t, err)
	if !strings.HasPrefix(rawSubject, "=?UTF-8?b?") || decoded != reminderSubject || m.Subject != reminderSubject {
		t.Errorf("subject %q (raw %q, decoded %q), want %q", m.Subject, rawSubject, decoded, reminderSubject)
	}
	if m.From == nil || m.From.Address != "banli@example.gov.cn" || m.From.Name != "建议办理系统" ||
		len(m.To) != 1 || m.To[0].Address != "wangxy@example.gov.cn" {
		t.Errorf("from %+v to %+v", m.From, m.To)
	}
	if want := fmt.Sprintf("delivery-%d@banli.example.gov.cn", ds[0].ID); m.MessageID != want {
		t.Errorf("Message-ID %q, want %q", m.MessageID, want)
	}
	abs := baseURL + link
	if !strings.Contains(m.Text, abs) || !strings.Contains(m.Text, "答复期限：2024-10-08，还有7个工作日") {
		t.Errorf("text part lacks the link or the text:\n%s", m.Text)
	}
	if !strings.Contains(m.HTML, `<a href="`+abs+`">`) || !strings.Contains(m.HTML, "<p>请及时办理。</p>") {
		t.Errorf("HTML part lacks the link or the paragraphs:\n%s", m.HTML)
	}
	if got := strings.Join(m.Headers["Auto-Submitted"], ""); got != "auto-generated" {
		t.Errorf("Auto-Submitted: %q", got)
	}

	// The robot: one markdown post with the subject and the absolute link.
	posts := bot.received()
	if len(posts) != 1 {
		t.Fatalf("the robot got %d posts, want 1", len(posts))
	}
	var body struct {
		MsgType  string `json:"msgtype"`
		Markdown struct {
			Content string `json:"content"`
		} `json:"markdown"`
	}
	must(t, json.Unmarshal(posts[0].Body, &body))
	if body.MsgType != "markdown" || !strings.HasPrefix(body.Markdown.Content, "**"+reminderSubject+"**\n") ||
		!strings.Contains(body.Markdown.Content, "[查看详情]("+abs+")") || posts[0].Query.Get("key") != robotKey {
		t.Errorf("robot post: %s (query %v)", posts[0].Body, posts[0].Query)
	}

	// The inbox: alice has it, bob (disabled) does not.
	for _, u := range []struct {
		id   int64
		want int
	}{{alice.ID, 1}, {bob.ID, 0}} {
		inbox, err := bn.db.Inbox(ctx, u.id, storage.InboxFilter{})
		must(t, err)
		if len(inbox) != u.want {
			t.Errorf("user %d has %d notifications, want %d", u.id, len(inbox), u.want)
		}
		if len(inbox) == 1 && (inbox[0].Subject != reminderSubject || inbox[0].CaseID != bn.caseID || inbox[0].Link != link ||
			inbox[0].Kind != "reminder" || inbox[0].Body != msg.Text) {
			t.Errorf("notification: %+v", inbox[0])
		}
	}

	// The same key again: nothing new, nothing sent.
	jobs := bn.jobs(t, "notify_email") + bn.jobs(t, "notify_webhook")
	n, err = bn.enqueue(t, client, msg)
	must(t, err)
	if n != 0 {
		t.Fatalf("Enqueue of the same key created %d notifications", n)
	}
	if got := bn.jobs(t, "notify_email") + bn.jobs(t, "notify_webhook"); got != jobs {
		t.Errorf("jobs: %d, then %d", jobs, got)
	}
	if got := bn.deliveries(t); len(got) != 2 {
		t.Errorf("deliveries after the duplicate: %+v", got)
	}

	// A retry of a sent delivery (after a crash, say) sends nothing.
	must(t, notify.NewEmailWorker(deps).Work(ctx, emailJob(ds[0].ID, 2)))
	must(t, notify.NewWebhookWorker(deps).Work(ctx, webhookJob(ds[1].ID, 2)))

	// Nothing to wait for: Work returns only after its SMTP transaction or
	// webhook POST was acknowledged, so anything wrongly sent is already there.
	msgs, err = mp.Messages(ctx)
	must(t, err)
	if len(msgs) != 1 || len(bot.received()) != 1 {
		t.Errorf("after the duplicate and the retries: %d e-mails, %d posts; want 1 and 1", len(msgs), len(bot.received()))
	}
	for _, d := range bn.deliveries(t) {
		if d.State != "sent" || d.Attempts != 1 {
			t.Errorf("delivery after the retries: %+v", d)
		}
	}
	if strings.Contains(logs.String(), robotKey) {
		t.Errorf("the log holds the robot's key:\n%s", logs.String())
	}
}

// waitDelivered waits until n deliveries exist and none is pending.
func waitDelivered(t *testing.T, bn *bundle, n int) []deliveryRow {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ds := bn.deliveries(t)
		done := len(ds) >= n
		for _, d := range ds {
			if d.State == "pending" {
				done = false
			}
		}
		if done {
			return ds
		}
		if time.Now().After(deadline) {
			t.Fatalf("deliveries not done in time: %+v", ds)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
