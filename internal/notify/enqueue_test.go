package notify_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/notify"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

func TestEnqueueRefusesBadMessages(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	u := bn.user(t, bn.unit.ID, "王晓燕", "")
	good := notify.Message{Key: "k", Kind: notify.KindInfo, Subject: "主题", Text: "正文", Link: "/cases/1", UserIDs: []int64{u.ID}}
	tests := []struct {
		name   string
		change func(*notify.Message)
	}{
		{"no key", func(m *notify.Message) { m.Key = " " }},
		{"unknown kind", func(m *notify.Message) { m.Kind = "spam" }},
		{"no subject", func(m *notify.Message) { m.Subject = "" }},
		{"subject of two lines", func(m *notify.Message) { m.Subject = "主题\r\nBcc: x@example.org" }},
		{"absolute link", func(m *notify.Message) { m.Link = "https://evil.example/cases/1" }},
		{"scheme-relative link", func(m *notify.Message) { m.Link = "//evil.example/cases/1" }},
		{"relative link", func(m *notify.Message) { m.Link = "cases/1" }},
		{"backslash link", func(m *notify.Message) { m.Link = `/\evil.example` }},
		{"javascript link", func(m *notify.Message) { m.Link = "javascript:alert(1)" }},
	}
	for _, tt := range tests {
		m := good
		tt.change(&m)
		_, err := bn.enqueue(t, bn.ins, m)
		if workflow.Code(err) != workflow.ErrInvalid {
			t.Errorf("%s: %v, want an invalid error", tt.name, err)
		}
	}
	var n int
	must(t, bn.db.Pool.QueryRow(bn.ctx, `SELECT count(*) FROM notifications`).Scan(&n))
	if n != 0 {
		t.Fatalf("%d notifications stored from refused messages", n)
	}
	if _, err := bn.enqueue(t, bn.ins, good); err != nil {
		t.Fatalf("the good message: %v", err)
	}
}

// TestEnqueueRecipients: disabled and unknown users are skipped, one e-mail
// goes to an address that two users share, none to a user without a usable
// address; only enabled webhooks get a delivery; each delivery has one job
// in the notify queue.
func TestEnqueueRecipients(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	a := bn.user(t, bn.unit.ID, "甲", "Jia <Jia@Example.gov.cn>")
	b := bn.user(t, bn.unit.ID, "乙", "jia@example.gov.cn") // the same mailbox
	c := bn.user(t, bn.unit.ID, "丙", "")
	d := bn.user(t, bn.unit.ID, "丁", "not an address")
	e := bn.user(t, bn.unit.ID, "戊", "wu@example.gov.cn")
	must(t, bn.db.DisableUser(bn.ctx, workflow.System, e.ID))
	other := &workflow.Department{Code: "kcj", Name: "武汉市科技创新局"}
	must(t, bn.db.CreateDepartment(bn.ctx, other))
	must(t, bn.db.SetDepartmentWebhook(bn.ctx, &storage.DepartmentWebhook{DepartmentID: bn.unit.ID, Format: "wecom",
		URL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1", Enabled: true}))
	must(t, bn.db.SetDepartmentWebhook(bn.ctx, &storage.DepartmentWebhook{DepartmentID: other.ID, Format: "dingtalk",
		URL: "https://oapi.dingtalk.com/robot/send?access_token=t2", Enabled: false}))

	m := notify.Message{Key: "overdue:1", CaseID: bn.caseID, Kind: notify.KindOverdue, Subject: "【已逾期】", Text: "请尽快办理。",
		Link:          "/cases/1",
		UserIDs:       []int64{a.ID, b.ID, c.ID, d.ID, e.ID, a.ID, 1 << 40},
		DepartmentIDs: []int64{bn.unit.ID, other.ID, bn.office.ID}}
	n, err := bn.enqueue(t, bn.ins, m)
	must(t, err)
	if n != 4 {
		t.Fatalf("created %d notifications, want 4 (a, b, c, d)", n)
	}
	ds := bn.deliveries(t)
	if len(ds) != 2 || ds[0].Channel != "email" || ds[0].Target != "Jia@Example.gov.cn" || ds[0].State != "pending" ||
		ds[1].Channel != "webhook" || ds[1].Target != itoa(bn.unit.ID) {
		t.Fatalf("deliveries: %+v", ds)
	}
	rows, err := bn.db.Pool.Query(bn.ctx, `SELECT kind, queue, max_attempts, args FROM river_job WHERE kind LIKE 'notify_%' ORDER BY id`)
	must(t, err)
	var jobs []string
	for rows.Next() {
		var kind, queue string
		var maxAttempts int
		var args []byte
		must(t, rows.Scan(&kind, &queue, &maxAttempts, &args))
		var a struct {
			DeliveryID int64 `json:"delivery_id"`
		}
		must(t, json.Unmarshal(args, &a))
		if queue != notify.Queue || maxAttempts != notify.MaxAttempts {
			t.Errorf("job %s in queue %s with %d attempts", kind, queue, maxAttempts)
		}
		jobs = append(jobs, kind+":"+itoa(a.DeliveryID))
	}
	must(t, rows.Err())
	want := []string{"notify_email:" + itoa(ds[0].ID), "notify_webhook:" + itoa(ds[1].ID)}
	if !slices.Equal(jobs, want) {
		t.Fatalf("jobs %v, want %v", jobs, want)
	}

	// A user added later gets the notification; the others do not get it
	// again, and the webhook is not posted again.
	f := bn.user(t, bn.unit.ID, "己", "ji@example.gov.cn")
	m.UserIDs = append(m.UserIDs, f.ID)
	n, err = bn.enqueue(t, bn.ins, m)
	must(t, err)
	if n != 1 {
		t.Fatalf("second Enqueue created %d, want 1 (f)", n)
	}
	if ds := bn.deliveries(t); len(ds) != 3 || ds[2].Target != "ji@example.gov.cn" {
		t.Fatalf("deliveries after adding f: %+v", ds)
	}
}

func TestEnqueueIsPartOfTheCallersTransaction(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	u := bn.user(t, bn.unit.ID, "王晓燕", "wangxy@example.gov.cn")
	m := notify.Message{Key: "k", Kind: notify.KindInfo, Subject: "主题", UserIDs: []int64{u.ID}}

	tx, err := bn.db.Pool.Begin(bn.ctx)
	must(t, err)
	n, err := notify.Enqueue(bn.ctx, tx, bn.ins, m)
	must(t, err)
	must(t, tx.Rollback(bn.ctx))
	if n != 1 || len(bn.deliveries(t)) != 0 || bn.jobs(t, "notify_email") != 0 {
		t.Fatalf("after rollback: n=%d, %d deliveries, %d jobs", n, len(bn.deliveries(t)), bn.jobs(t, "notify_email"))
	}

	// Without a River client, a message that needs a delivery is refused.
	_, err = bn.enqueue(t, nil, m)
	if err == nil || !strings.Contains(err.Error(), "no River client") {
		t.Fatalf("Enqueue without a client: %v", err)
	}

	// A message for a department's robot alone notifies no user.
	must(t, bn.db.SetDepartmentWebhook(bn.ctx, &storage.DepartmentWebhook{DepartmentID: bn.unit.ID, Format: "wecom",
		URL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1", Enabled: true}))
	n, err = bn.enqueue(t, bn.ins, notify.Message{Key: "digest:2024-07-01", Kind: notify.KindDigest, Subject: "【督办日报】",
		Link: "/", DepartmentIDs: []int64{bn.unit.ID}})
	must(t, err)
	if ds := bn.deliveries(t); n != 0 || len(ds) != 1 || ds[0].Channel != "webhook" {
		t.Fatalf("robot-only message: n=%d deliveries %+v", n, ds)
	}
}

// TestConstraintsMatch checks that every closed set of package notify is
// the one the database's CHECK constraints allow.
func TestConstraintsMatch(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	checks := []struct {
		table, column string
		want          []string
	}{
		{"notifications", "kind", notify.Kinds},
		{"deliveries", "channel", []string{notify.ChannelEmail, notify.ChannelWebhook}},
		{"deliveries", "state", []string{notify.StatePending, notify.StateSent, notify.StateFailed}},
		{"department_webhooks", "format", notify.Formats},
		{"department_webhooks", "format", storage.WebhookFormats},
	}
	for _, c := range checks {
		var def string
		err := bn.db.Pool.QueryRow(bn.ctx, `
			SELECT pg_get_constraintdef(oid) FROM pg_constraint
			WHERE conrelid = $1::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE 'CHECK ((' || $2 || ' = ANY%'
			LIMIT 1`, c.table, c.column).Scan(&def)
		if err != nil {
			t.Errorf("%s.%s: no CHECK constraint listing its values: %v", c.table, c.column, err)
			continue
		}
		var got []string
		for i, part := range strings.Split(def, "'") {
			if i%2 == 1 {
				got = append(got, part)
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s.%s: CHECK lists %v, Go has %v", c.table, c.column, got, c.want)
		}
	}
}

// TestEnqueueHandOffEmailOptOut: a user who turned off e-mail for hand-offs
// gets a hand-off in the inbox only; every other kind still comes by
// e-mail; a colleague who kept it gets the hand-off's e-mail.
func TestEnqueueHandOffEmailOptOut(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	off := bn.user(t, bn.unit.ID, "王晓燕", "wangxy@example.gov.cn")
	on := bn.user(t, bn.unit.ID, "陈志强", "chenzq@example.gov.cn")
	must(t, bn.db.SetNotificationSettings(bn.ctx, off.ID, storage.NotificationSettings{HandOffEmail: false}))
	for _, kind := range notify.Kinds {
		if notify.EmailOptional(kind) != (kind == notify.KindHandoff) {
			t.Errorf("EmailOptional(%s) = %v", kind, notify.EmailOptional(kind))
		}
		n, err := bn.enqueue(t, bn.ins, notify.Message{Key: "k:" + kind, Kind: kind, Subject: "主题", UserIDs: []int64{off.ID, on.ID}})
		must(t, err)
		if n != 2 {
			t.Errorf("%s: %d notifications, want 2", kind, n)
		}
	}
	var got []string
	for _, d := range bn.deliveries(t) {
		got = append(got, d.Target)
	}
	var want []string
	for _, kind := range notify.Kinds {
		if kind != notify.KindHandoff {
			want = append(want, "wangxy@example.gov.cn")
		}
		want = append(want, "chenzq@example.gov.cn")
	}
	if !slices.Equal(got, want) {
		t.Errorf("e-mails to %v, want %v", got, want)
	}
}
