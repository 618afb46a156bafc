package main

import (
	"context"
	osuser "os/user"
	"slices"
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/workflow"
)

func TestUserAndDepartmentCommands(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATABASE_URL": testdb.New(t)}
	steps := []struct {
		args []string
		code int
		want string // in stdout (exit 0) or stderr
	}{
		{[]string{"department", "add", "--code", "scjg", "--name", "武汉市市场监督管理局", "--short", "市市场监管局"}, 0, "department 1 (scjg) created"},
		{[]string{"department", "add", "--code", "scjg", "--name", "重复"}, exitUsage, "already exists"},
		{[]string{"department", "add", "--code", "Bad Code", "--name", "x"}, exitUsage, "invalid"},
		{[]string{"department", "list"}, 0, "市市场监管局"},
		{[]string{"user", "add", "--name", "王晓燕", "--email", "wxy@example.org"}, 0, "user 1 (王晓燕) created"},
		{[]string{"user", "list"}, 0, "awaiting role"},
		{[]string{"user", "grant", "wxy@example.org", "drafter"}, 0, "grant drafter"},
		{[]string{"user", "grant", "1", "deputy"}, exitUsage, "cannot be granted"},
		{[]string{"user", "grant", "99", "drafter"}, exitUsage, "not found"},
		{[]string{"user", "set-department", "1", "scjg"}, 0, "now in department scjg"},
		{[]string{"user", "set-department", "1", "nope"}, exitUsage, `department "nope" not found`},
		{[]string{"user", "list"}, 0, "drafter"},
		{[]string{"user", "add", "--name", "接口账号", "--department", "scjg", "--role", "drafter,reviewer", "--issuer", "https://idp.example", "--subject", "svc-1"}, 0, "user 2"},
		{[]string{"user", "add", "--name", "x", "--issuer", "https://idp.example"}, exitUsage, "go together"},
		{[]string{"user", "disable", "1"}, 0, "disabled"},
		{[]string{"user", "list"}, 0, "disabled"},
		{[]string{"user", "enable", "1"}, 0, "enabled"},
		{[]string{"user", "revoke", "1", "drafter"}, 0, "revoke drafter"},
		{[]string{"user", "frobnicate"}, exitUsage, "usage"},
		{[]string{"user", "grant", "someone", "drafter"}, exitUsage, "an id or an e-mail"},
		{[]string{"supervisor-label"}, 0, "督办人员"},
		{[]string{"supervisor-label", "人大代表工作机构"}, 0, "人大代表工作机构"},
		{[]string{"supervisor-label", "联络员"}, exitUsage, "联络员"},
		{[]string{"supervisor-label"}, 0, "人大代表工作机构"},
	}
	for _, s := range steps {
		code, out, errOut := runWith(t, env, s.args...)
		text := out
		if code != 0 {
			text = errOut
		}
		if code != s.code || !strings.Contains(text, s.want) {
			t.Errorf("banli %s: exit %d (want %d)\nstdout: %s\nstderr: %s\nwant %q", strings.Join(s.args, " "), code, s.code, out, errOut, s.want)
		}
	}
	_, out, _ := runWith(t, env, "user", "list")
	if !strings.Contains(out, "https://idp.example svc-1") || !strings.Contains(out, "drafter,reviewer") {
		t.Errorf("user list:\n%s", out)
	}
}

// TestUserCommandsAreRecorded: the command line's changes are recorded as
// the command line's, run by the operating-system user; it refuses the
// admin role next to another one, and prints a user's history.
func TestUserCommandsAreRecorded(t *testing.T) {
	t.Parallel()
	url := testdb.New(t)
	env := map[string]string{"DATABASE_URL": url}
	me, err := osuser.Current()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"department", "add", "--code", "scjg", "--name", "武汉市市场监督管理局"}, 0, "created"},
		{[]string{"department", "add", "--code", "kcj", "--name", "武汉市科技创新局"}, 0, "created"},
		{[]string{"user", "add", "--name", "张三", "--email", "zs@example.org", "--department", "scjg", "--role", "drafter"}, 0, "created"},
		{[]string{"user", "add", "--name", "两用", "--role", "admin,liaison"}, exitUsage, "系统管理员账号不能同时担任承办人、审核人、签发人或督办人员。"},
		{[]string{"user", "grant", "zs@example.org", "admin"}, exitUsage, "系统管理员账号不能同时担任承办人、审核人、签发人或督办人员。"},
		{[]string{"user", "grant", "zs@example.org", "approver"}, 0, "grant approver"},
		{[]string{"user", "set-department", "zs@example.org", "kcj"}, 0, "now in department kcj"},
	} {
		code, out, errOut := runWith(t, env, s.args...)
		text := out
		if code != 0 {
			text = errOut
		}
		if code != s.code || !strings.Contains(text, s.want) {
			t.Errorf("banli %s: exit %d (want %d)\nstdout: %s\nstderr: %s\nwant %q", strings.Join(s.args, " "), code, s.code, out, errOut, s.want)
		}
	}

	db, err := storage.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	events, total, err := db.AdminEvents(context.Background(), storage.AdminEventQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range events {
		if e.Actor.Kind != workflow.AdminByCLI || e.Actor.Name != me.Username || e.Actor.UserID != 0 {
			t.Errorf("record %+v: want the command line, run by %s", e, me.Username)
		}
		got = append(got, string(e.Change)+" "+e.UserName+" "+string(e.Role)+" "+e.PreviousDepartment+">"+e.Department)
	}
	want := []string{
		"user_department 张三  武汉市市场监督管理局>武汉市科技创新局",
		"role_grant 张三 approver >武汉市市场监督管理局",
		"role_grant 张三 drafter >武汉市市场监督管理局",
		"user_create 张三  >武汉市市场监督管理局",
		"department_create   >武汉市科技创新局",
		"department_create   >武汉市市场监督管理局",
	}
	if total != len(want) || !slices.Equal(got, want) {
		t.Errorf("the log (%d records):\n%s\nwant\n%s", total, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	code, out, errOut := runWith(t, env, "user", "history", "zs@example.org")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 5 || !strings.Contains(lines[1], "user_department") ||
		!strings.Contains(lines[1], "cli ("+me.Username+")") || !strings.Contains(lines[1], "武汉市市场监督管理局 → 武汉市科技创新局") ||
		!strings.Contains(lines[4], "user_create") {
		t.Errorf("user history: %d\n%s\n%s", code, out, errOut)
	}
}
