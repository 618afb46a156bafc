package storage_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// The built-in calendar ends with 2027. Expectations follow DESIGN.md §2,
// counting Monday to Friday in 2028 until an admin enters its schedule.

// deadlineList lists a case's deadlines as "kind due[ provisional][ (end)]".
func deadlineList(t *testing.T, bn *bundle, caseID int64) []string {
	t.Helper()
	ds, err := bn.db.CaseDeadlines(bn.ctx, caseID)
	must(t, err)
	var out []string
	for _, d := range ds {
		s := string(d.Kind) + " " + d.Due.String()
		if d.Provisional {
			s += " provisional"
		}
		if d.Ended {
			s += " (" + d.EndReason + ")"
		}
		out = append(out, s)
	}
	return out
}

func only(prefix string, list []string) []string {
	var out []string
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			out = append(out, s)
		}
	}
	return out
}

// TestCalendarAssignSecondHalf: assignments from 1 July 2027 no longer stop
// for lack of 2028's schedule; dates that read 2028 are stored provisional
// with their deadlines; when 2028's data arrives they are recomputed from
// their start days, an extension's decision date too.
func TestCalendarAssignSecondHalf(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	clock := on(t, "2027-07-01")
	bn.db.Clock = func() time.Time { return clock }

	// 2027-07-01: reply due 2027-10-01 is 国庆节 → 2027-10-08, exact; the
	// cap (6 months → 2028-01-01, a Saturday) is provisional, and only
	// computed when asked for.
	july := bn.assign(t, bn.unitA, workflow.KindLead, on(t, "2027-07-01"))
	if july.ReplyDue != date(t, "2027-10-08") || july.ReturnDue != date(t, "2027-07-08") || july.Provisional.Any() {
		t.Errorf("assigned 2027-07-01: reply %s, return %s, provisional %+v; want 2027-10-08, 2027-07-08, none",
			july.ReplyDue, july.ReturnDue, july.Provisional)
	}
	limit, err := bn.db.ExtensionCap(bn.ctx, july)
	must(t, err)
	if limit != (workflow.DueDate{Date: date(t, "2028-01-03"), Provisional: true}) {
		t.Errorf("cap of the July case = %+v, want 2028-01-03 provisional", limit)
	}

	// 2027-12-20, on a second proposal: reply 2028-03-20 (Monday) and
	// co-opinion 2028-01-20 (Thursday) provisional; the return window
	// (5 working days → 2027-12-27) stays in 2027 and is exact.
	p2 := &workflow.Proposal{SessionID: bn.session.ID, Number: "20240300", Title: "关于优化营商环境的建议",
		SubmittedOn: date(t, "2024-01-09"), DeputyIDs: bn.proposal.DeputyIDs}
	must(t, bn.db.CreateProposal(bn.ctx, p2))
	clock = on(t, "2027-12-20")
	lead, err := bn.db.Assign(bn.ctx, storage.AssignCmd{ProposalID: p2.ID, DepartmentID: bn.unitA.ID, Kind: workflow.KindLead,
		Actor: bn.liaison, At: on(t, "2027-12-20")})
	must(t, err)
	co, err := bn.db.Assign(bn.ctx, storage.AssignCmd{ProposalID: p2.ID, DepartmentID: bn.unitB.ID, Kind: workflow.KindCo,
		Actor: bn.liaison, At: on(t, "2027-12-20")})
	must(t, err)
	stored, err := bn.db.Case(bn.ctx, lead.ID)
	must(t, err)
	if stored.ReplyDue != date(t, "2028-03-20") || stored.ReturnDue != date(t, "2027-12-27") ||
		stored.Provisional != (workflow.ProvisionalDues{Reply: true}) {
		t.Errorf("lead assigned 2027-12-20: reply %s, return %s, provisional %+v; want 2028-03-20 provisional, 2027-12-27",
			stored.ReplyDue, stored.ReturnDue, stored.Provisional)
	}
	storedCo, err := bn.db.Case(bn.ctx, co.ID)
	must(t, err)
	// A co-handling case keeps the proposal's reply date too (never a
	// deadline of its own).
	if storedCo.CoOpinionDue != date(t, "2028-01-20") || storedCo.Provisional != (workflow.ProvisionalDues{Reply: true, CoOpinion: true}) {
		t.Errorf("co assigned 2027-12-20: co-opinion %s, provisional %+v; want 2028-01-20 provisional", storedCo.CoOpinionDue, storedCo.Provisional)
	}
	if got, want := deadlineList(t, bn, lead.ID), []string{"reply 2028-03-20 provisional", "return_window 2027-12-27"}; !slices.Equal(got, want) {
		t.Errorf("lead deadlines %q, want %q", got, want)
	}
	if got, want := deadlineList(t, bn, co.ID), []string{"co_opinion 2028-01-20 provisional", "return_window 2027-12-27"}; !slices.Equal(got, want) {
		t.Errorf("co deadlines %q, want %q", got, want)
	}

	// An extension request on 2027-12-27: the liaison's decision is due 5
	// working days later, 2028-01-03, provisionally; the cap (6 months →
	// 2028-06-20) is computed now and lets 2028-04-20 through.
	clock = on(t, "2027-12-27")
	lead = bn.act(t, lead, workflow.ActionAccept, bn.a[workflow.RoleDrafter], on(t, "2027-12-21"), workflow.Input{})
	lead = bn.act(t, lead, workflow.ActionRequestExtension, bn.a[workflow.RoleApprover], on(t, "2027-12-27"),
		workflow.Input{Comment: "需调研", Due: date(t, "2028-04-20")})
	exts, err := bn.db.CaseExtensions(bn.ctx, lead.ID)
	must(t, err)
	if len(exts) != 1 || exts[0].DecideDue != date(t, "2028-01-03") || !exts[0].DecideDueProvisional {
		t.Fatalf("extension request: %+v; want decision due 2028-01-03 provisional", exts)
	}

	// 2028's schedule arrives: 2028-01-03 is a holiday (元旦节).
	clock = on(t, "2027-12-28")
	must(t, bn.db.SetHolidayOverride(bn.ctx, workflow.Override{Date: date(t, "2028-01-03"), Kind: workflow.DayHoliday, Name: "元旦节"}))
	res, err := bn.db.RecomputeProvisionalDueDates(bn.ctx, on(t, "2027-12-28"))
	must(t, err)
	if res.Checked != 2 || res.Changed != 2 || res.Failed != 0 {
		t.Errorf("recompute: %+v; want 2 cases checked and changed", res)
	}
	exts, err = bn.db.CaseExtensions(bn.ctx, lead.ID)
	must(t, err)
	if exts[0].DecideDue != date(t, "2028-01-04") || exts[0].DecideDueProvisional {
		t.Errorf("decision due %s (provisional %t) after 2028's data, want 2028-01-04", exts[0].DecideDue, exts[0].DecideDueProvisional)
	}
	stored, err = bn.db.Case(bn.ctx, lead.ID)
	must(t, err)
	if stored.ReplyDue != date(t, "2028-03-20") || stored.Provisional.Any() || stored.Version != lead.Version {
		t.Errorf("lead after 2028's data: reply %s, provisional %+v, version %d; want 2028-03-20 confirmed, version %d",
			stored.ReplyDue, stored.Provisional, stored.Version, lead.Version)
	}
	want := []string{"reply 2028-03-20", "extension_decision 2028-01-03 provisional (moved)", "extension_decision 2028-01-04"}
	if got := only("reply", deadlineList(t, bn, lead.ID)); !slices.Equal(got, want[:1]) {
		t.Errorf("lead reply deadline %q, want %q", got, want[:1])
	}
	if got := only("extension", deadlineList(t, bn, lead.ID)); !slices.Equal(got, want[1:]) {
		t.Errorf("lead extension deadlines %q, want %q", got, want[1:])
	}
	if got := only("co_opinion", deadlineList(t, bn, co.ID)); !slices.Equal(got, []string{"co_opinion 2028-01-20"}) {
		t.Errorf("co deadline %q, want confirmed 2028-01-20", got)
	}
	if rep := bn.verify(t); len(rep.Breaks) > 0 {
		t.Errorf("audit breaks: %+v", rep.Breaks)
	}
}

// TestCalendarRecomputeOnNewYearData: a reply due 2028-02-15 counted from
// 2027-11-15 is provisional; when an admin makes 2028-02-15 a holiday, it
// moves to 2028-02-16 with its deadline and reminders, and the case's log
// says so. The cap is computed when an extension is asked for: before the
// data 2028-05-15, after it (2028-05-15 a holiday too) 2028-05-16.
func TestCalendarRecomputeOnNewYearData(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	clock := on(t, "2027-11-15")
	bn.db.Clock = func() time.Time { return clock }

	c := bn.assign(t, bn.unitA, workflow.KindLead, on(t, "2027-11-15"))
	if c.ReplyDue != date(t, "2028-02-15") || !c.Provisional.Reply {
		t.Fatalf("reply due %s provisional %t, want 2028-02-15 provisional", c.ReplyDue, c.Provisional.Reply)
	}
	c = bn.act(t, c, workflow.ActionAccept, bn.a[workflow.RoleDrafter], on(t, "2027-11-16"), workflow.Input{})
	// 15, 7, 3 and 1 working days before 2028-02-15 (a Tuesday), Monday to
	// Friday; the due day; the first overdue day.
	reminders := []string{"reply before-15 2028-01-25", "reply before-7 2028-02-04", "reply before-3 2028-02-10",
		"reply before-1 2028-02-14", "reply due 2028-02-15", "reply overdue 2028-02-16"}
	if got := only("reply", pendingReminders(t, bn, c.ID)); !slices.Equal(got, reminders) {
		t.Errorf("reminders:\n got %q\nwant %q", got, reminders)
	}

	// The cap, computed now: 6 months → 2028-05-15 (a Monday), provisional.
	_, err := bn.db.Transition(bn.ctx, storage.TransitionCmd{CaseID: c.ID, Action: workflow.ActionRequestExtension,
		Actor: bn.a[workflow.RoleApprover], ExpectedVersion: c.Version, At: on(t, "2027-11-20"),
		Input: workflow.Input{Comment: "需调研", Due: date(t, "2028-05-16")}})
	wantCode(t, err, workflow.ErrInvalid)
	if !strings.Contains(err.Error(), "2028-05-15") {
		t.Errorf("refusal %q does not name the cap 2028-05-15", err)
	}

	// The admin enters 2028's schedule (two of its days suffice here).
	clock = on(t, "2027-11-25")
	for _, d := range []string{"2028-02-15", "2028-05-15"} {
		must(t, bn.db.SetHolidayOverride(bn.ctx, workflow.Override{Date: date(t, d), Kind: workflow.DayHoliday, Name: "测试"}))
	}
	res, err := bn.db.RecomputeProvisionalDueDates(bn.ctx, on(t, "2027-11-25"))
	must(t, err)
	if res != (storage.RecomputeResult{Checked: 1, Changed: 1}) {
		t.Errorf("recompute: %+v; want 1 checked, 1 changed", res)
	}
	got, err := bn.db.Case(bn.ctx, c.ID)
	must(t, err)
	if got.ReplyDue != date(t, "2028-02-16") || got.Provisional.Reply || got.Version != c.Version || got.State != workflow.StateDrafting {
		t.Errorf("after 2028's data: reply %s provisional %t version %d state %s; want 2028-02-16, exact, version %d, drafting",
			got.ReplyDue, got.Provisional.Reply, got.Version, got.State, c.Version)
	}
	if ds, want := only("reply", deadlineList(t, bn, c.ID)), []string{"reply 2028-02-15 provisional (moved)", "reply 2028-02-16"}; !slices.Equal(ds, want) {
		t.Errorf("reply deadlines %q, want %q", ds, want)
	}
	// Counted back from 2028-02-16 over the holiday of 2028-02-15.
	reminders = []string{"reply before-15 2028-01-25", "reply before-7 2028-02-04", "reply before-3 2028-02-10",
		"reply before-1 2028-02-14", "reply due 2028-02-16", "reply overdue 2028-02-17"}
	if got := only("reply", pendingReminders(t, bn, c.ID)); !slices.Equal(got, reminders) {
		t.Errorf("reminders after 2028's data:\n got %q\nwant %q", got, reminders)
	}
	events, err := bn.db.CaseEvents(bn.ctx, c.ID)
	must(t, err)
	last := events[len(events)-1]
	if last.Action != string(workflow.SystemRecomputeDueDates) || last.ActorRole != "system" || last.ActorID != 0 ||
		last.From != workflow.StateDrafting || last.To != workflow.StateDrafting ||
		last.Payload["reply_due"] != "2028-02-16" || last.Payload["reply_due_was"] != "2028-02-15" {
		t.Errorf("last event %s by %s (%s→%s), payload %v; want recompute_due_dates by the system, reply_due 2028-02-16 was 2028-02-15",
			last.Action, last.ActorRole, last.From, last.To, last.Payload)
	}
	if rep := bn.verify(t); len(rep.Breaks) > 0 {
		t.Errorf("audit breaks: %+v", rep.Breaks)
	}

	// Nothing left to recompute: a second run changes nothing.
	res, err = bn.db.RecomputeProvisionalDueDates(bn.ctx, on(t, "2027-11-26"))
	must(t, err)
	if res != (storage.RecomputeResult{}) {
		t.Errorf("second recompute: %+v; want nothing", res)
	}

	// The cap now reads 2028's data: 2028-05-15 is a holiday → 2028-05-16.
	c = bn.act(t, got, workflow.ActionRequestExtension, bn.a[workflow.RoleApprover], on(t, "2027-11-26"),
		workflow.Input{Comment: "需调研", Due: date(t, "2028-05-16")})
	_, err = bn.db.Transition(bn.ctx, storage.TransitionCmd{CaseID: c.ID, Action: workflow.ActionGrantExtension,
		Actor: bn.liaison, ExpectedVersion: c.Version, At: on(t, "2027-11-29"), Input: workflow.Input{Due: date(t, "2028-05-17")}})
	wantCode(t, err, workflow.ErrInvalid)
	c = bn.act(t, c, workflow.ActionGrantExtension, bn.liaison, on(t, "2027-11-29"), workflow.Input{Due: date(t, "2028-05-16")})
	if c.ReplyDue != date(t, "2028-05-16") || c.Provisional.Reply {
		t.Errorf("granted: reply %s provisional %t; want 2028-05-16, exact", c.ReplyDue, c.Provisional.Reply)
	}
	events, err = bn.db.CaseEvents(bn.ctx, c.ID)
	must(t, err)
	if last := events[len(events)-1]; last.Payload["extension_cap"] != "2028-05-16" {
		t.Errorf("grant event payload %v; want extension_cap 2028-05-16", last.Payload)
	}
}
