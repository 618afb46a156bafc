package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/banli-gov/banli/workflow"
)

// TestOneFlash: a POST-redirect-GET of one area leaves its message in the
// one flash cookie, and whichever page the browser GETs next — of another
// area — shows it once; a tampered flash shows nothing.
func TestOneFlash(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2024-02-01"))
	liaison := w.login(t, "liaison")

	// Registered on the liaison's pages; shown by the workbench, once.
	r := liaison.post("/proposals/new", w.svProposalForm("20240301"))
	wantStatusSV(t, "POST /proposals/new", r, http.StatusSeeOther)
	if len(liaison.cookies) != 1 || liaison.cookies["banli_flash"] == nil {
		t.Errorf("cookies after the POST: %v, want banli_flash alone", liaison.cookies)
	}
	r = liaison.get("/")
	wantStatusSV(t, "GET /", r, http.StatusOK)
	if !strings.Contains(r.Body, `class="flash flash-ok"`) || !strings.Contains(r.Body, "建议已登记。") {
		t.Errorf("the workbench does not show the flash of the registration")
	}
	if r = liaison.get("/"); strings.Contains(r.Body, "建议已登记。") {
		t.Error("the flash shows twice")
	}

	// Marked read on the workbench; shown by the supervision page, once,
	// in the page's language.
	liaison.lang = "en"
	r = liaison.post("/inbox/read-all", nil)
	wantStatusSV(t, "POST /inbox/read-all", r, http.StatusSeeOther)
	r = liaison.get("/supervision")
	wantStatusSV(t, "GET /supervision", r, http.StatusOK)
	if !strings.Contains(r.Body, "0 notifications were marked read.") {
		t.Errorf("the supervision page does not show the flash of the inbox")
	}
	if r = liaison.get("/supervision"); strings.Contains(r.Body, "marked read") {
		t.Error("the flash shows twice")
	}

	// A code the server did not write, or with a bad argument: nothing.
	for _, v := range []string{"assigned.x", "assigned", "acted.fly.drafting", "<b>hi</b>", "proposalCreated.3"} {
		liaison.cookies["banli_flash"] = &http.Cookie{Name: "banli_flash", Value: v}
		if r = liaison.get("/supervision"); strings.Contains(r.Body, `class="flash`) {
			t.Errorf("flash %q shows: %s", v, r.Body)
		}
	}
}

// TestCaseFormNamesTheField: an action form whose date does not parse
// comes back with the error in words, naming the field by its label in
// the page's language, and the text typed kept; nothing changes.
func TestCaseFormNamesTheField(t *testing.T) {
	t.Parallel()
	w := newSVWorld(t, svAt(t, "2024-02-01"))
	c := w.assign(t, w.proposal(t), "ua", workflow.KindLead, "2024-01-20")
	c = w.act(t, c, workflow.ActionAccept, "ua.drafter", "2024-01-22", workflow.Input{})
	drafter := w.login(t, "ua.drafter")
	for lang, want := range map[string]string{"zh-CN": "申请延期至：请填写日期（年-月-日）。", "en": "Extend until: enter a date (YYYY-MM-DD)."} {
		drafter.lang = lang
		r := drafter.post(fmt.Sprintf("/cases/%d/actions/request_extension", c.ID),
			url.Values{"version": {fmt.Sprint(c.Version)}, "comment": {"需要更多时间"}, "due": {"2024-13-45"}})
		wantStatusSV(t, "a date that is no day", r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.Body, want) || !strings.Contains(r.Body, `value="2024-13-45"`) || !strings.Contains(r.Body, ">需要更多时间</textarea>") {
			t.Errorf("%s: the refused form lacks %q or the input typed", lang, want)
		}
		if strings.Contains(r.Body, "invalid date") || strings.Contains(r.Body, "due:") {
			t.Errorf("%s: the message speaks of the field's name or the parser", lang)
		}
	}
	if after, err := w.db.Case(w.ctx, c.ID); err != nil || after.Version != c.Version {
		t.Errorf("a refused form changed the case: %v", err)
	}
}
