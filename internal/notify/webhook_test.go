package notify_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/banli-gov/banli/internal/notify"
	"github.com/banli-gov/banli/internal/storage"
)

// TestWebhookDingTalkSigned posts to a signed DingTalk robot: the body is
// DingTalk's markdown message, and timestamp and sign are DingTalk's
// HMAC-SHA256 of "timestamp\nsecret", base64, checked here independently.
func TestWebhookDingTalkSigned(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	bot := newRobot(t)
	const token, secret = "0123456789abcdef0123456789abcdef", "SEC0123456789abcdef"
	must(t, bn.db.SetDepartmentWebhook(bn.ctx, &storage.DepartmentWebhook{DepartmentID: bn.unit.ID, Format: storage.WebhookDingTalk,
		URL: bot.URL + "/robot/send?access_token=" + token, Secret: secret, Enabled: true}))
	_, err := bn.enqueue(t, bn.ins, notify.Message{Key: "k", Kind: notify.KindDue, Subject: "【今日到期】答复期限",
		Text: "第一行\n第二行", Link: "/cases/7", DepartmentIDs: []int64{bn.unit.ID}})
	must(t, err)
	id := bn.deliveries(t)[0].ID
	before := time.Now()
	must(t, notify.NewWebhookWorker(notify.Deps{Pool: bn.db.Pool, BaseURL: baseURL}).Work(bn.ctx, webhookJob(id, 1)))

	posts := bot.received()
	if len(posts) != 1 {
		t.Fatalf("%d posts", len(posts))
	}
	p := posts[0]
	if p.Query.Get("access_token") != token || !strings.HasPrefix(p.Type, "application/json") {
		t.Errorf("query %v, type %q", p.Query, p.Type)
	}
	ts := p.Query.Get("timestamp")
	ms, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || time.UnixMilli(ms).Before(before.Add(-time.Second)) || time.UnixMilli(ms).After(time.Now().Add(time.Second)) {
		t.Errorf("timestamp %q is not now in milliseconds", ts)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "\n" + secret))
	if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); p.Query.Get("sign") != want {
		t.Errorf("sign %q, want %q", p.Query.Get("sign"), want)
	}
	var body struct {
		MsgType  string `json:"msgtype"`
		Markdown struct {
			Title string `json:"title"`
			Text  string `json:"text"`
		} `json:"markdown"`
	}
	must(t, json.Unmarshal(p.Body, &body))
	if body.MsgType != "markdown" || body.Markdown.Title != "【今日到期】答复期限" ||
		body.Markdown.Text != "#### 【今日到期】答复期限\n\n第一行\n\n第二行\n\n[查看详情]("+baseURL+"/cases/7)" {
		t.Errorf("body: %s", p.Body)
	}
	if d := bn.deliveries(t)[0]; d.State != "sent" || d.Target != itoa(bn.unit.ID) || strings.Contains(d.Target, token) {
		t.Errorf("delivery: %+v", d)
	}
}

// TestWebhookFailures: an errcode or a status other than 2xx is retried,
// then given up; a removed or disabled webhook fails at once; no error
// shows the robot's key.
func TestWebhookFailures(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	bot := newRobot(t)
	const key = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
	hook := &storage.DepartmentWebhook{DepartmentID: bn.unit.ID, Format: storage.WebhookWeCom,
		URL: bot.URL + "/cgi-bin/webhook/send?key=" + key, Enabled: true}
	must(t, bn.db.SetDepartmentWebhook(bn.ctx, hook))
	worker := notify.NewWebhookWorker(notify.Deps{Pool: bn.db.Pool, BaseURL: baseURL})
	n := 0
	deliveryFor := func() int64 {
		t.Helper()
		n++
		_, err := bn.enqueue(t, bn.ins, notify.Message{Key: "k" + strconv.Itoa(n), Kind: notify.KindInfo, Subject: "主题",
			DepartmentIDs: []int64{bn.unit.ID}})
		must(t, err)
		ds := bn.deliveries(t)
		return ds[len(ds)-1].ID
	}
	last := func() deliveryRow {
		t.Helper()
		ds := bn.deliveries(t)
		return ds[len(ds)-1]
	}
	noKey := func(what string, s string) {
		t.Helper()
		if strings.Contains(s, key) {
			t.Errorf("%s shows the key: %s", what, s)
		}
	}

	id := deliveryFor()
	bot.answerWith(http.StatusOK, `{"errcode":93000,"errmsg":"invalid webhook url, hint: [1234] key=`+key+`"}`)
	err := worker.Work(bn.ctx, webhookJob(id, 1))
	if err == nil || isCancel(err) || !strings.Contains(err.Error(), "errcode 93000") {
		t.Fatalf("errcode: %v", err)
	}
	noKey("the error", err.Error())
	if d := last(); d.State != "pending" || d.Attempts != 1 || !strings.Contains(d.LastError, "errcode 93000") {
		t.Fatalf("after errcode: %+v", d)
	}
	noKey("last_error", last().LastError)

	bot.answerWith(http.StatusBadGateway, "bad gateway")
	err = worker.Work(bn.ctx, webhookJob(id, 2))
	if err == nil || !strings.Contains(err.Error(), "HTTP 502") {
		t.Fatalf("502: %v", err)
	}
	err = worker.Work(bn.ctx, webhookJob(id, notify.MaxAttempts))
	if d := last(); err == nil || d.State != "failed" || d.Attempts != 3 {
		t.Fatalf("last attempt: %v %+v", err, d)
	}

	// The robot is back: a pending delivery goes.
	bot.answerWith(http.StatusOK, `{"errcode":0,"errmsg":"ok"}`)
	id = deliveryFor()
	must(t, worker.Work(bn.ctx, webhookJob(id, 1)))
	if d := last(); d.State != "sent" {
		t.Fatalf("robot back: %+v", d)
	}

	// The robot's host does not answer at all.
	id = deliveryFor()
	hook.URL = "http://127.0.0.1:1/cgi-bin/webhook/send?key=" + key
	must(t, bn.db.SetDepartmentWebhook(bn.ctx, hook))
	err = worker.Work(bn.ctx, webhookJob(id, 1))
	if err == nil || isCancel(err) {
		t.Fatalf("unreachable robot: %v", err)
	}
	noKey("the error", err.Error())
	noKey("last_error", last().LastError)
	if !strings.Contains(last().LastError, "key=****") {
		t.Errorf("last_error does not name the masked URL: %s", last().LastError)
	}

	// Disabled after the delivery was recorded, then removed.
	hook.Enabled = false
	must(t, bn.db.SetDepartmentWebhook(bn.ctx, hook))
	if err := worker.Work(bn.ctx, webhookJob(id, 2)); !isCancel(err) {
		t.Fatalf("disabled webhook: %v", err)
	}
	if d := last(); d.State != "failed" || !strings.Contains(d.LastError, "disabled") {
		t.Fatalf("disabled webhook: %+v", d)
	}
	before := len(bn.deliveries(t))
	deliveryFor() // a disabled webhook gets no delivery
	if len(bn.deliveries(t)) != before {
		t.Fatal("a disabled webhook got a delivery")
	}
	hook.Enabled = true
	must(t, bn.db.SetDepartmentWebhook(bn.ctx, hook))
	id = deliveryFor()
	must(t, bn.db.RemoveDepartmentWebhook(bn.ctx, bn.unit.ID))
	if err := worker.Work(bn.ctx, webhookJob(id, 1)); !isCancel(err) {
		t.Fatalf("removed webhook: %v", err)
	}
	if d := last(); d.State != "failed" || !strings.Contains(d.LastError, "no webhook any more") {
		t.Fatalf("removed webhook: %+v", d)
	}

	// A job of an unknown delivery is cancelled.
	if err := worker.Work(bn.ctx, webhookJob(1<<40, 1)); !isCancel(err) {
		t.Fatalf("unknown delivery: %v", err)
	}
}

func TestWebhookBodyIsBounded(t *testing.T) {
	t.Parallel()
	text := strings.Repeat("答复期限还有7个工作日。\n", 1000)
	for _, format := range notify.Formats {
		b, err := notify.WebhookBody(format, "主题", text, baseURL+"/cases/1")
		must(t, err)
		var body struct {
			Markdown struct {
				Content string `json:"content"`
				Text    string `json:"text"`
			} `json:"markdown"`
		}
		must(t, json.Unmarshal(b, &body))
		md := body.Markdown.Content + body.Markdown.Text
		if len(md) > 4096 || !utf8.ValidString(md) || !strings.Contains(md, "……") || !strings.HasSuffix(md, "[查看详情]("+baseURL+"/cases/1)") {
			t.Errorf("%s: %d bytes, valid %v, ends %q", format, len(md), utf8.ValidString(md), md[len(md)-80:])
		}
	}
	if _, err := notify.WebhookBody("slack", "s", "t", ""); err == nil {
		t.Error("an unknown format has a body")
	}
}

func TestMaskURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****"},
		{"https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1&sign=x%2By", "https://oapi.dingtalk.com/robot/send?access_token=****&timestamp=****&sign=****"},
		{"https://user:pw@robot.example/hook", "https://user:****@robot.example/hook"},
		{"https://robot.example/hook#frag", "https://robot.example/hook"},
		{"not a url", "****"},
	}
	for _, tt := range tests {
		if got := notify.MaskURL(tt.in); got != tt.want {
			t.Errorf("MaskURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
