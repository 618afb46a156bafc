package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// formRequest is a POSTed form in lang, parsed as checkInput parses it.
func formRequest(t *testing.T, lang string, values url.Values) *http.Request {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/x", strings.NewReader(values.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.AddCookie(&http.Cookie{Name: ui.LangCookie, Value: lang})
	if err := r.ParseForm(); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestFormErrorsNameTheField: each way a field fails to parse is said in
// the page's language, naming the field by the label the page shows —
// never by its name in the form — under the control's id, and the text
// typed is given back to show again.
func TestFormErrorsNameTheField(t *testing.T) {
	t.Parallel()
	title := field{Name: "title", ID: "proposal-title", Label: "sv.proposal.title"}
	submitted := field{Name: "submitted_on", ID: "proposal-submitted", Label: "sv.proposal.submitted"}
	amount := field{Name: "amount_reply", ID: "rule-reply-amount", Label: "adm.rule.reply"}
	kind := field{Name: "kind", ID: "proposal-kind", Label: "sv.proposal.kind"}
	session := field{Name: "session", ID: "proposal-session", Label: "sv.proposal.session"}
	tests := []struct {
		name   string
		values url.Values
		read   func(*form) string // returns the value given back
		fd     field
		zh, en string
	}{
		{"required text", url.Values{"title": {"  "}}, func(f *form) string { return f.Text(title, 200, true) }, title,
			"标题：必填。", "Title: required."},
		{"text too long", url.Values{"title": {"关于加强校园周边交通安全的建议"}}, func(f *form) string { return f.Text(title, 5, true) }, title,
			"标题：最多 5 个字。", "Title: at most 5 characters."},
		{"not a date", url.Values{"submitted_on": {"2024-13-01"}},
			func(f *form) string { _, v := f.Date(submitted, true); return v }, submitted,
			"提出日期：请填写日期（年-月-日）。", "Submitted on: enter a date (YYYY-MM-DD)."},
		{"required date", url.Values{}, func(f *form) string { _, v := f.Date(submitted, true); return v }, submitted,
			"提出日期：请填写日期（年-月-日）。", "Submitted on: enter a date (YYYY-MM-DD)."},
		{"not a number", url.Values{"amount_reply": {"三"}}, func(f *form) string { _, v := f.Int(amount, true); return v }, amount,
			"答复期限：请填写整数。", "Reply: enter a whole number."},
		{"not a choice", url.Values{"kind": {"rumour"}},
			func(f *form) string { return string(choice(f, kind, workflow.RegistrableProposalKinds())) }, kind,
			"类别：请从列表中选择。", "Kind: choose one of the list."},
		{"not an id", url.Values{"session": {"x"}}, func(f *form) string { _, v := f.ID(session); return v }, session,
			"届次会议：请从列表中选择。", "Congress session: choose one of the list."},
		{"the field's own words", url.Values{"kind": {"rumour"}}, func(f *form) string {
			return string(choice(f, field{Name: "kind", ID: "proposal-kind", Label: "sv.proposal.kind", Invalid: "sv.proposal.err.kind"},
				workflow.RegistrableProposalKinds()))
		}, kind, "类别：请选择建议、批评或意见。", "Kind: choose suggestion, criticism or opinion."},
	}
	for _, tt := range tests {
		for lang, want := range map[string]string{ui.LangZH: tt.zh, ui.LangEN: tt.en} {
			f := readForm(formRequest(t, lang, tt.values))
			got := tt.read(f)
			if typed := strings.TrimSpace(tt.values.Get(tt.fd.Name)); got != typed {
				t.Errorf("%s (%s): gives back %q, want the text typed %q", tt.name, lang, got, typed)
			}
			if f.OK() || len(f.Errors) != 1 {
				t.Fatalf("%s (%s): errors %v, want one", tt.name, lang, f.Errors)
			}
			if e := f.Errors[0]; e.Field != tt.fd.ID || e.Message != want {
				t.Errorf("%s (%s): %q under %q, want %q under %q", tt.name, lang, e.Message, e.Field, want, tt.fd.ID)
			}
			if label := message(f.r, tt.fd.Label); strings.Contains(f.Errors[0].Message, tt.fd.Name) && !strings.Contains(label, tt.fd.Name) {
				t.Errorf("%s (%s): %q names the field by its name in the form", tt.name, lang, f.Errors[0].Message)
			}
			if err := f.Err(); workflow.Code(err) != workflow.ErrInvalid || workflow.Message(err) != want {
				t.Errorf("%s (%s): Err() = %v", tt.name, lang, err)
			}
		}
	}
}

// TestFormReadsGoodInput: what parses is read without an error: trimmed,
// an optional empty field as nothing, ticked boxes once each.
func TestFormReadsGoodInput(t *testing.T) {
	t.Parallel()
	f := readForm(formRequest(t, ui.LangZH, url.Values{"title": {"  标题 "}, "due": {"2024-10-08"}, "n": {"12"},
		"kind": {"opinion"}, "co": {"b", " a ", "b", ""}}))
	if v := f.Text(field{Name: "title", Label: "sv.proposal.title"}, 10, true); v != "标题" {
		t.Errorf("Text = %q", v)
	}
	if d, _ := f.Date(field{Name: "due", Label: "act.wantedDue"}, true); d != (workflow.Date{Year: 2024, Month: 10, Day: 8}) {
		t.Errorf("Date = %v", d)
	}
	if d, v := f.Date(field{Name: "none", Label: "act.wantedDue"}, false); !d.IsZero() || v != "" {
		t.Errorf("an empty optional date = %v, %q", d, v)
	}
	if n, _ := f.Int(field{Name: "n", Label: "adm.rule.reply"}, true); n != 12 {
		t.Errorf("Int = %d", n)
	}
	if k := choice(f, field{Name: "kind", Label: "sv.proposal.kind"}, workflow.AllProposalKinds()); k != workflow.ProposalOpinion {
		t.Errorf("choice = %q", k)
	}
	if v := f.Values("co"); strings.Join(v, ",") != "b,a" {
		t.Errorf("Values = %q", v)
	}
	if !f.OK() || f.Err() != nil {
		t.Errorf("errors %v", f.Errors)
	}
}
