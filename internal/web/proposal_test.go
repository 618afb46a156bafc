package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/banli-gov/banli/workflow"
)

// svProposalForm is a valid registration form of number in the world's
// session, with a new lead deputy.
func (w *svWorld) svProposalForm(number string) url.Values {
	return url.Values{
		"session": {fmt.Sprint(w.session.ID)}, "number": {number}, "kind": {"suggestion"},
		"title": {"关于加强校园周边交通安全的建议"}, "body": {"一、问题\n\n二、建议"}, "submitted_on": {"2024-01-09"},
		"lead_name": {"王代表"}, "lead_delegation": {"江岸代表团"}, "lead_phone": {"13800000001"},
	}
}

func TestProposalRegister(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2024-02-01"))
	liaison := w.login(t, "liaison")
	existing := w.proposal(t) // with a deputy to pick

	r := liaison.get("/proposals/new")
	wantStatusSV(t, "GET /proposals/new", r, http.StatusOK)
	for _, id := range []string{"proposal-session", "proposal-number", "proposal-kind", "proposal-title", "proposal-body",
		"proposal-submitted", "proposal-lead", "proposal-lead-name", "proposal-lead-delegation", "proposal-lead-phone",
		"proposal-co-1-name", "proposal-submit"} {
		if !strings.Contains(r.Body, `id="`+id+`"`) {
			t.Errorf("the form lacks #%s", id)
		}
		if id != "proposal-submit" && !strings.Contains(r.Body, `for="`+id+`"`) {
			t.Errorf("#%s has no label", id)
		}
	}

	if strings.Contains(r.Body, `value="cppcc_proposal"`) || strings.Contains(r.Body, "提案") {
		t.Error("the registration form offers a CPPCC proposal (提案)")
	}

	// Registered with a new lead deputy and an existing co-signer: 303 to
	// the proposal's page, which shows them.
	form := w.svProposalForm("20240300")
	form.Set("cosigner", fmt.Sprint(existing.DeputyIDs[0]))
	form.Set("co_name_1", "李代表")
	r = liaison.post("/proposals/new", form)
	wantStatusSV(t, "POST /proposals/new", r, http.StatusSeeOther)
	if !strings.HasPrefix(r.Location, "/proposals/") {
		t.Fatalf("Location %q", r.Location)
	}
	r = liaison.get(r.Location)
	wantStatusSV(t, "GET "+r.Location, r, http.StatusOK)
	for _, want := range []string{"市十五届人大三次会议第20240300号建议", "关于加强校园周边交通安全的建议", "王代表", "江岸代表团",
		"李代表", "代表1", "建议已登记。", `id="assign-form"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the proposal's page lacks %q", want)
		}
	}

	// The same number again in the session: the error names the field, and
	// nothing is written — not even the new deputy.
	deputies, proposals := w.count(t, "deputies"), w.count(t, "proposals")
	r = liaison.post("/proposals/new", w.svProposalForm("20240300"))
	wantStatusSV(t, "duplicate number", r, http.StatusUnprocessableEntity)
	for _, want := range []string{"建议编号：本届次会议已有第 20240300 号建议", `href="#proposal-number"`,
		`aria-describedby="proposal-number-hint proposal-number-error" aria-invalid="true"`, `value="王代表"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the refused form lacks %q", want)
		}
	}
	if w.count(t, "deputies") != deputies || w.count(t, "proposals") != proposals {
		t.Errorf("a refused registration wrote: deputies %d→%d, proposals %d→%d",
			deputies, w.count(t, "deputies"), proposals, w.count(t, "proposals"))
	}

	// Each missing or bad field is named.
	bad := []struct {
		change func(url.Values)
		want   string
	}{
		{func(f url.Values) { f.Del("title") }, "标题：必填。"},
		{func(f url.Values) { f.Set("number", "20 24") }, "建议编号：只能包含数字、字母和连字符"},
		{func(f url.Values) { f.Set("submitted_on", "2024-13-01") }, "提出日期：请填写日期"},
		{func(f url.Values) { f.Set("submitted_on", "2024-03-01") }, "提出日期：不能晚于今天。"},
		{func(f url.Values) { f.Del("lead_name"); f.Del("lead_delegation"); f.Del("lead_phone") }, "领衔代表：请选择已有代表"},
		{func(f url.Values) { f.Set("lead_deputy", fmt.Sprint(existing.DeputyIDs[0])) }, "领衔代表：请选择已有代表或填写新代表，不能同时填写。"},
		{func(f url.Values) { f.Set("co_phone_2", "13900000000") }, "姓名：填写了代表团或电话时，姓名必填。"},
		{func(f url.Values) { f.Set("lead_phone", "call me") }, "电话：只能包含数字"},
		{func(f url.Values) { f.Set("session", "999999") }, "届次会议：请选择一个届次会议。"},
		{func(f url.Values) { f.Set("kind", "rumour") }, "类别：请选择"},
		// A CPPCC proposal (提案) cannot be registered: banli speaks only a
		// congress session's words.
		{func(f url.Values) { f.Set("kind", string(workflow.ProposalCPPCC)) }, "类别：请选择建议、批评或意见。"},
	}
	for _, b := range bad {
		f := w.svProposalForm("20240301")
		b.change(f)
		r := liaison.post("/proposals/new", f)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, b.want) {
			t.Errorf("want 422 with %q, got %d", b.want, r.Status)
		}
	}
	if w.count(t, "proposals") != proposals {
		t.Error("a refused registration wrote a proposal")
	}

	// In English the same error is in English.
	liaison.lang = "en"
	r = liaison.post("/proposals/new", w.svProposalForm("20240300"))
	if !strings.Contains(r.Body, "Number: this session already has suggestion No. 20240300") {
		t.Errorf("the English form lacks its error")
	}
}

func TestAssignmentCreate(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2024-07-01"))
	liaison := w.login(t, "liaison")
	cases := func(p *workflow.Proposal) []*workflow.Case {
		t.Helper()
		cs, err := w.db.CasesOfProposal(w.ctx, p.ID)
		mustT(t, err)
		return cs
	}

	// A lead and two co-handling units in one POST: three cases.
	p := w.proposal(t)
	r := liaison.get(fmt.Sprintf("/proposals/%d", p.ID))
	wantStatusSV(t, "GET the proposal", r, http.StatusOK)
	for _, id := range []string{"assign-lead", "assign-co-ub", "assign-separate-uc", "assign-submit"} {
		if !strings.Contains(r.Body, `id="`+id+`"`) {
			t.Errorf("the assignment form lacks #%s", id)
		}
	}
	r = liaison.post(fmt.Sprintf("/proposals/%d/assign", p.ID), url.Values{"lead": {"ua"}, "co": {"ub", "uc"}})
	wantStatusSV(t, "assign lead and two co-units", r, http.StatusSeeOther)
	got := cases(p)
	if len(got) != 3 || got[0].Kind != workflow.KindLead || got[0].DepartmentID != w.units["ua"].ID ||
		got[1].Kind != workflow.KindCo || got[2].Kind != workflow.KindCo {
		t.Fatalf("cases after assignment: %+v", got)
	}
	if got[0].ReplyDue != svDate(t, "2024-10-08") || got[1].CoOpinionDue != svDate(t, "2024-08-01") {
		t.Errorf("due dates %s and %s, want 2024-10-08 and 2024-08-01 (the server's clock is 2024-07-01)", got[0].ReplyDue, got[1].CoOpinionDue)
	}
	r = liaison.get(r.Location)
	if !strings.Contains(r.Body, "已交办 3 个单位。") || len(svCaseIDs(r.Body, "proposal-cases")) != 3 {
		t.Errorf("the proposal's page does not show the three cases and the notice")
	}

	// A second lead with two more co-units: refused as a whole, naming the
	// lead; none of the three stays.
	r = liaison.post(fmt.Sprintf("/proposals/%d/assign", p.ID), url.Values{"lead": {"ud"}, "co": {"ud"}})
	wantStatusSV(t, "lead also co", r, http.StatusUnprocessableEntity)
	q := w.proposal(t)
	w.assign(t, q, "ua", workflow.KindLead, "2024-07-01")
	events := w.count(t, "case_events")
	r = liaison.post(fmt.Sprintf("/proposals/%d/assign", q.ID), url.Values{"lead": {"ub"}, "co": {"uc", "ud"}})
	wantStatusSV(t, "a second lead", r, http.StatusConflict)
	for _, want := range []string{"主办单位：本建议已有主办单位，不能再交办“单位B”为主办；本次交办均未生效。", `href="#assign-lead"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the refused assignment lacks %q", want)
		}
	}
	if n := len(cases(q)); n != 1 || w.count(t, "case_events") != events {
		t.Errorf("%d cases after a refused assignment, want the first lead alone; events %d→%d", n, events, w.count(t, "case_events"))
	}
	// The co-units alone go through.
	r = liaison.post(fmt.Sprintf("/proposals/%d/assign", q.ID), url.Values{"co": {"uc", "ud"}})
	wantStatusSV(t, "co-units", r, http.StatusSeeOther)
	if n := len(cases(q)); n != 3 {
		t.Errorf("%d cases, want 3", n)
	}

	// Separate units; they do not mix with a lead.
	s := w.proposal(t)
	r = liaison.post(fmt.Sprintf("/proposals/%d/assign", s.ID), url.Values{"lead": {"ua"}, "separate": {"ub"}})
	wantStatusSV(t, "mixed", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.Body, "分办单位：分办不能与主办、协办同时选择。") {
		t.Error("the mixed assignment's error is missing")
	}
	r = liaison.post(fmt.Sprintf("/proposals/%d/assign", s.ID), url.Values{"separate": {"ub", "uc"}})
	wantStatusSV(t, "separate", r, http.StatusSeeOther)
	if got := cases(s); len(got) != 2 || got[0].Kind != workflow.KindSeparate {
		t.Errorf("separate cases: %+v", got)
	}
	for _, f := range []url.Values{{}, {"lead": {"dcs"}}, {"co": {"nosuch"}}} {
		r := liaison.post(fmt.Sprintf("/proposals/%d/assign", w.proposal(t).ID), f)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "承办单位：") {
			t.Errorf("%v: %d, want 422 naming the units", f, r.Status)
		}
	}
	if r := liaison.post("/proposals/999999/assign", url.Values{"lead": {"ua"}}); r.Status != http.StatusNotFound {
		t.Errorf("unknown proposal: %d", r.Status)
	}
	if r := liaison.get("/proposals/999999"); r.Status != http.StatusNotFound {
		t.Errorf("unknown proposal page: %d", r.Status)
	}
}
