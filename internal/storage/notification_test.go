package storage_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/notify"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/workflow"
)

// notifyUsers records a notification for users through notify.Enqueue, as
// the reminder worker does; the users have no e-mail, so no job is needed.
func notifyUsers(t *testing.T, db *storage.DB, key string, users ...int64) int {
	t.Helper()
	ctx := context.Background()
	tx, err := db.Pool.Begin(ctx)
	must(t, err)
	defer tx.Rollback(ctx)
	n, err := notify.Enqueue(ctx, tx, nil, notify.Message{Key: key, Kind: notify.KindInfo,
		Subject: "通知 " + key, Text: "正文", Link: "/", UserIDs: users})
	must(t, err)
	must(t, tx.Commit(ctx))
	return n
}

func TestInbox(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.NewDB(t)
	dept := &workflow.Department{Code: "scjg", Name: "武汉市市场监督管理局"}
	must(t, db.CreateDepartment(ctx, dept))
	alice := user(t, db, dept.ID, workflow.RoleDrafter)
	bob := user(t, db, dept.ID, workflow.RoleReviewer)

	for i := 1; i <= 5; i++ {
		if n := notifyUsers(t, db, fmt.Sprintf("k%d", i), alice.UserID); n != 1 {
			t.Fatalf("Enqueue k%d created %d notifications", i, n)
		}
	}
	if n := notifyUsers(t, db, "k1", alice.UserID, bob.UserID); n != 1 {
		t.Fatalf("k1 again: created %d, want 1 (bob's only)", n)
	}

	count := func(u workflow.Actor) int {
		t.Helper()
		n, err := db.UnreadCount(ctx, u.UserID)
		must(t, err)
		return n
	}
	if a, b := count(alice), count(bob); a != 5 || b != 1 {
		t.Fatalf("unread: alice %d bob %d, want 5 and 1", a, b)
	}

	// Newest first, paged by id.
	page, err := db.Inbox(ctx, alice.UserID, storage.InboxFilter{Limit: 2})
	must(t, err)
	if len(page) != 2 || page[0].Key != "k5" || page[1].Key != "k4" || page[0].ReadAt != nil || page[0].Link != "/" {
		t.Fatalf("first page: %+v", page)
	}
	page, err = db.Inbox(ctx, alice.UserID, storage.InboxFilter{Limit: 2, Before: page[1].ID})
	must(t, err)
	if len(page) != 2 || page[0].Key != "k3" || page[1].Key != "k2" {
		t.Fatalf("second page: %+v", page)
	}
	k2 := page[1]

	// Only the owner marks a notification read.
	wantCode(t, db.MarkNotificationRead(ctx, bob.UserID, k2.ID, time.Now()), workflow.ErrNotFound)
	wantCode(t, db.MarkNotificationRead(ctx, alice.UserID, 1<<40, time.Now()), workflow.ErrNotFound)
	at := time.Date(2024, 7, 1, 10, 0, 0, 0, time.UTC)
	must(t, db.MarkNotificationRead(ctx, alice.UserID, k2.ID, at))
	must(t, db.MarkNotificationRead(ctx, alice.UserID, k2.ID, at.Add(time.Hour))) // again: keeps the first time
	if count(alice) != 4 || count(bob) != 1 {
		t.Fatalf("after marking one: alice %d bob %d", count(alice), count(bob))
	}
	all, err := db.Inbox(ctx, alice.UserID, storage.InboxFilter{})
	must(t, err)
	for _, n := range all {
		if (n.ID == k2.ID) != (n.ReadAt != nil) {
			t.Errorf("%s: read_at %v", n.Key, n.ReadAt)
		}
		if n.ID == k2.ID && !n.ReadAt.Equal(at) {
			t.Errorf("read_at moved to %v", n.ReadAt)
		}
	}
	unread, err := db.Inbox(ctx, alice.UserID, storage.InboxFilter{UnreadOnly: true})
	must(t, err)
	if len(unread) != 4 {
		t.Fatalf("unread only: %d", len(unread))
	}

	marked, err := db.MarkAllNotificationsRead(ctx, alice.UserID, at)
	must(t, err)
	if marked != 4 || count(alice) != 0 || count(bob) != 1 {
		t.Fatalf("mark all: marked %d, alice %d bob %d unread", marked, count(alice), count(bob))
	}
}

func TestDepartmentWebhooks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.NewDB(t)
	dept := &workflow.Department{Code: "kcj", Name: "武汉市科技创新局"}
	must(t, db.CreateDepartment(ctx, dept))

	const key = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
	w := &storage.DepartmentWebhook{DepartmentID: dept.ID, Format: storage.WebhookWeCom, Enabled: true,
		URL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + key}
	must(t, db.SetDepartmentWebhook(ctx, w))
	w2 := &storage.DepartmentWebhook{DepartmentID: dept.ID, Format: storage.WebhookDingTalk, Enabled: true,
		URL: "https://oapi.dingtalk.com/robot/send?access_token=abc123", Secret: "SEC000"}
	must(t, db.SetDepartmentWebhook(ctx, w2)) // replaces
	list, err := db.DepartmentWebhooks(ctx)
	must(t, err)
	if len(list) != 1 || list[0].Format != "dingtalk" || list[0].Secret != "SEC000" || !list[0].Enabled || list[0].UpdatedAt.IsZero() {
		t.Fatalf("webhooks: %+v", list)
	}

	for _, bad := range []*storage.DepartmentWebhook{
		{DepartmentID: dept.ID, Format: "slack", URL: "https://example.org/x"},
		{DepartmentID: dept.ID, Format: "wecom", URL: "qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + key},
		{DepartmentID: dept.ID, Format: "wecom", URL: "ftp://example.org/?key=" + key},
		{DepartmentID: dept.ID, Format: "wecom", URL: "https://example.org/?key=" + key, Secret: "x"},
	} {
		err := db.SetDepartmentWebhook(ctx, bad)
		wantCode(t, err, workflow.ErrInvalid)
		if strings.Contains(err.Error(), key) {
			t.Errorf("the error repeats the key: %v", err)
		}
	}
	wantCode(t, db.SetDepartmentWebhook(ctx, &storage.DepartmentWebhook{DepartmentID: 1 << 40, Format: "wecom", URL: "https://example.org/"}),
		workflow.ErrInvalid)

	must(t, db.RemoveDepartmentWebhook(ctx, dept.ID))
	wantCode(t, db.RemoveDepartmentWebhook(ctx, dept.ID), workflow.ErrNotFound)
	list, err = db.DepartmentWebhooks(ctx)
	must(t, err)
	if len(list) != 0 {
		t.Fatalf("after remove: %+v", list)
	}
}
