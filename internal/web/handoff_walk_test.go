package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/jobs"
	"github.com/banli-gov/banli/internal/mailpit"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/internal/web"
	"github.com/banli-gov/banli/workflow"
)

// TestHandOffWalk walks a new suggestion through the JSON API as the
// liaison, drafter, reviewer and approver would — assignment, submission,
// return for revision, resubmission, forwarding, sign-off and sending — and
// after each step the next actor's inbox (GET /api/inbox) has an unread
// notification for the case, and mailpit received the e-mail to them, sent
// by a real River client. Who is next is written here from DESIGN.md, not
// read from the code.
func TestHandOffWalk(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	mp, err := mailpit.Start(ctx, mailpit.Options{})
	mustT(t, err)
	t.Cleanup(func() { _ = mp.Stop() })
	db := testdb.NewDB(t)
	cfg, err := config.Load(func(string) string { return "" })
	mustT(t, err)
	cfg.SMTP = config.SMTP{Host: mp.SMTPHost(), Port: mp.SMTPPort(), From: "banli@banli.example", TLS: config.SMTPTLSNone}
	client, err := jobs.NewClient(db, cfg, nil, jobs.Options{})
	mustT(t, err)
	mustT(t, client.Start(ctx))
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = client.Stop(stopCtx)
	})
	srv := httptest.NewServer(web.NewServer(cfg, db, nil))
	t.Cleanup(srv.Close)

	session := &workflow.CongressSession{Name: "武汉市第十五届人民代表大会第五次会议", ShortName: "市十五届人大五次会议",
		OpenedOn: workflow.DateOf(db.Clock.Now().AddDate(0, -1, 0))}
	mustT(t, db.CreateSession(ctx, session))
	office := &workflow.Department{Code: "dcs", Name: "督查室", LiaisonOffice: true}
	unit := &workflow.Department{Code: "scjg", Name: "武汉市市场监督管理局"}
	mustT(t, db.CreateDepartment(ctx, office))
	mustT(t, db.CreateDepartment(ctx, unit))
	users := map[string]*inboxUser{}
	emails := map[string]string{}
	for _, u := range []struct {
		key, name string
		dept      int64
		role      workflow.Role
	}{
		{"liaison", "李红梅", office.ID, workflow.RoleLiaison}, {"drafter", "王晓燕", unit.ID, workflow.RoleDrafter},
		{"reviewer", "陈志强", unit.ID, workflow.RoleReviewer}, {"approver", "刘建国", unit.ID, workflow.RoleApprover},
	} {
		user := &workflow.User{DepartmentID: u.dept, Name: u.name, Email: u.key + "@banli.example", Roles: []workflow.Role{u.role}}
		mustT(t, db.CreateUser(ctx, user))
		token, csrf := auth.NewToken(), auth.NewToken()
		_, err := db.CreateLoginSession(ctx, storage.CreateLoginSessionCmd{UserID: user.ID, TokenHash: auth.HashToken(token),
			CSRFToken: csrf, Provider: "test", At: db.Clock.Now(), MaxAge: time.Hour})
		mustT(t, err)
		users[u.key] = &inboxUser{t: t, base: srv.URL, id: user.ID, cookie: &http.Cookie{Name: "banli_session", Value: token}, csrf: csrf}
		emails[u.key] = user.Email
	}
	dep := &workflow.Deputy{Name: "陈明远"}
	mustT(t, db.CreateDeputy(ctx, dep))
	p := &workflow.Proposal{SessionID: session.ID, Number: "20270001", Kind: workflow.ProposalSuggestion,
		Title: "关于加快推进知识产权转化运用的建议", SubmittedOn: workflow.DateOf(db.Clock.Now().AddDate(0, 0, -10)), DeputyIDs: []int64{dep.ID}}
	mustT(t, db.CreateProposal(ctx, p))

	var caseID int64
	version := 0
	post := func(who, path string, body map[string]any) map[string]any {
		t.Helper()
		raw, _ := json.Marshal(body)
		req, err := http.NewRequest(http.MethodPost, srv.URL+path, bytes.NewReader(raw))
		mustT(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("X-CSRF-Token", users[who].csrf)
		req.AddCookie(users[who].cookie)
		resp, err := http.DefaultClient.Do(req)
		mustT(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
			t.Fatalf("%s POST %s: %d %s", who, path, resp.StatusCode, b)
		}
		var out map[string]any
		mustT(t, json.Unmarshal(b, &out))
		if c, ok := out["case"].(map[string]any); ok {
			caseID, version = int64(c["id"].(float64)), int(c["version"].(float64))
		}
		return out
	}
	act := func(who string, action workflow.Action, in map[string]any) {
		t.Helper()
		body := map[string]any{"version": version}
		for k, v := range in {
			body[k] = v
		}
		post(who, fmt.Sprintf("/api/cases/%d/actions/%s", caseID, action), body)
	}
	mails := 0
	// handedTo checks that next has an unread notification for the case
	// and that one more e-mail arrived, addressed to next.
	handedTo := func(step, next string) {
		t.Helper()
		unread, subjects, _, out := users[next].inbox("?unread=1")
		found := false
		for _, n := range out["notifications"].([]any) {
			m := n.(map[string]any)
			if cid, _ := m["case_id"].(float64); int64(cid) == caseID && m["link"] == fmt.Sprintf("/cases/%d", caseID) {
				found = true
			}
		}
		if unread == 0 || !found {
			t.Errorf("after %s: %s has %d unread (%v), none for the case", step, next, unread, subjects)
		}
		mails++
		msgs, err := mp.WaitForMessages(ctx, mails, 30*time.Second)
		if err != nil {
			t.Fatalf("after %s: %v", step, err)
		}
		if len(msgs) != mails {
			t.Errorf("after %s: %d e-mails in mailpit, want %d", step, len(msgs), mails)
		}
		got := false
		for _, m := range msgs {
			for _, to := range m.To {
				got = got || (to.Address == emails[next] && bytes.Contains([]byte(m.Subject), []byte(p.Number)))
			}
		}
		if !got {
			t.Errorf("after %s: no e-mail to %s about No. %s", step, next, p.Number)
		}
		// Read it, so the next step's notification is the only unread one.
		users[next].call(http.MethodPost, "/api/inbox/read-all")
	}

	post("liaison", fmt.Sprintf("/api/proposals/%d/cases", p.ID), map[string]any{"department": "scjg", "kind": "lead"})
	handedTo("assignment", "drafter")
	act("drafter", workflow.ActionAccept, nil)
	out := post("drafter", fmt.Sprintf("/api/cases/%d/drafts", caseID), map[string]any{"base_version": 0,
		"sections": []map[string]string{{"heading": "一、工作开展情况", "body": "我局高度重视。"}}})
	if _, ok := out["draft"]; !ok {
		t.Fatalf("draft save: %v", out)
	}
	act("drafter", workflow.ActionSubmit, nil)
	handedTo("submission", "reviewer")
	act("reviewer", workflow.ActionReturnForRevision, map[string]any{"comment": "请补充下一步工作打算"})
	handedTo("return for revision", "drafter")
	act("drafter", workflow.ActionSubmit, nil)
	handedTo("resubmission", "reviewer")
	act("reviewer", workflow.ActionForward, nil)
	handedTo("forwarding", "approver")
	act("approver", workflow.ActionSign, map[string]any{"class": "B", "disclosure": "public"})
	handedTo("sign-off", "drafter")
	act("drafter", workflow.ActionSend, nil)
	handedTo("sending", "liaison")
}
