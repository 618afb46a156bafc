package main

import (
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/testdb"
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
