package main

import (
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/testdb"
)

func TestWebhookCommands(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATABASE_URL": testdb.New(t)}
	const key, token, secret = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa", "c0ffee0123456789", "SECabcdef0123456789"
	wecom := "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + key
	dingtalk := "https://oapi.dingtalk.com/robot/send?access_token=" + token
	steps := []struct {
		args []string
		code int
		want string // in stdout (exit 0) or stderr
	}{
		{[]string{"department", "add", "--code", "scjg", "--name", "武汉市市场监督管理局"}, 0, "created"},
		{[]string{"department", "add", "--code", "kcj", "--name", "武汉市科技创新局"}, 0, "created"},
		{[]string{"webhook", "list"}, 0, "DEPARTMENT"},
		{[]string{"webhook", "set", "--department", "scjg", "--format", "wecom", "--url", wecom}, 0,
			"webhook of department scjg set: wecom https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=**** (enabled)"},
		{[]string{"webhook", "set", "--department", "kcj", "--format", "dingtalk", "--url", dingtalk, "--secret", secret}, 0,
			"access_token=**** (enabled, signed)"},
		{[]string{"webhook", "list"}, 0, "dingtalk  https://oapi.dingtalk.com/robot/send?access_token=****"},
		{[]string{"webhook", "set", "--department", "scjg", "--format", "wecom", "--url", wecom, "--disabled"}, 0, "(disabled)"},
		{[]string{"webhook", "list"}, 0, "disabled"},
		{[]string{"webhook", "set", "--department", "nope", "--format", "wecom", "--url", wecom}, exitUsage, `department "nope" not found`},
		{[]string{"webhook", "set", "--department", "scjg", "--format", "slack", "--url", wecom}, exitUsage, `format "slack" is not one of wecom, dingtalk`},
		{[]string{"webhook", "set", "--department", "scjg", "--format", "wecom", "--url", "qyapi.weixin.qq.com/?key=" + key}, exitUsage, "not an absolute http(s) URL"},
		{[]string{"webhook", "set", "--department", "scjg", "--format", "wecom", "--url", wecom, "--secret", secret}, exitUsage, "only DingTalk robots sign"},
		{[]string{"webhook", "set", "--department", "scjg"}, exitUsage, "--department, --format and --url are required"},
		{[]string{"webhook", "remove", "--department", "scjg"}, 0, "webhook of department scjg removed"},
		{[]string{"webhook", "remove", "--department", "scjg"}, exitUsage, "has no webhook"},
		{[]string{"webhook", "remove"}, exitUsage, "usage"},
		{[]string{"webhook", "frobnicate"}, exitUsage, "usage"},
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
		for _, secretPart := range []string{key, token, secret} {
			if strings.Contains(out+errOut, secretPart) {
				t.Errorf("banli %s printed a secret:\n%s%s", strings.Join(s.args, " "), out, errOut)
			}
		}
	}
	_, out, _ := runWith(t, env, "webhook", "list")
	if strings.Contains(out, "scjg") || !strings.Contains(out, "kcj") {
		t.Errorf("list after removing scjg's:\n%s", out)
	}
}
