package storage_test

import (
	"slices"
	"testing"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// statsWorld is a small known dataset for the statistics: eight cases of
// six proposals in the bundle's session, across units A (scjg) and B (kcj),
// and one case in another session and year that no scope below may count.
type statsWorld struct {
	*bundle
	cases map[string]int64 // "P1 lead", … → case id
}

// newProposal registers a proposal of the bundle's session.
func (bn *bundle) newProposal(t *testing.T, session int64, number string) *workflow.Proposal {
	t.Helper()
	dep := &workflow.Deputy{Name: "代表" + number}
	must(t, bn.db.CreateDeputy(bn.ctx, dep))
	p := &workflow.Proposal{SessionID: session, Number: number, Title: "关于统计测试的建议" + number,
		SubmittedOn: date(t, "2024-01-09"), DeputyIDs: []int64{dep.ID}}
	must(t, bn.db.CreateProposal(bn.ctx, p))
	return p
}

func (bn *bundle) assignTo(t *testing.T, p *workflow.Proposal, dept *workflow.Department, kind workflow.CaseKind, day string) *workflow.Case {
	t.Helper()
	c, err := bn.db.Assign(bn.ctx, storage.AssignCmd{ProposalID: p.ID, DepartmentID: dept.ID, Kind: kind, Actor: bn.liaison, At: on(t, day)})
	must(t, err)
	return c
}

func (bn *bundle) talk(t *testing.T, c *workflow.Case, unit map[workflow.Role]workflow.Actor, method workflow.ContactMethod, day string) {
	t.Helper()
	must(t, bn.db.AddCommunication(bn.ctx, unit[workflow.RoleDrafter],
		&storage.Communication{CaseID: c.ID, Method: method, HappenedOn: date(t, day), Summary: "与代表沟通"}, on(t, day)))
}

// signAndSend signs c (awaiting approval) with class on day and, unless
// sendDay is "", sends it then.
func (bn *bundle) signAndSend(t *testing.T, c *workflow.Case, unit map[workflow.Role]workflow.Actor, class workflow.ReplyClass, day, sendDay string) *workflow.Case {
	t.Helper()
	c = bn.act(t, c, workflow.ActionSign, unit[workflow.RoleApprover], on(t, day),
		workflow.Input{Class: class, Disclosure: workflow.DisclosePublic})
	if sendDay == "" {
		return c
	}
	return bn.act(t, c, workflow.ActionSend, unit[workflow.RoleDrafter], on(t, sendDay), workflow.Input{})
}

func (bn *bundle) feedback(t *testing.T, c *workflow.Case, work, result workflow.Rating, day string) *workflow.Case {
	t.Helper()
	return bn.act(t, c, workflow.ActionRecordFeedback, bn.liaison, on(t, day), workflow.Input{WorkRating: work, ResultRating: result})
}

// newStatsWorld builds the dataset. Every case is assigned on 2024-07-01
// (reply due 2024-10-08) unless said otherwise:
//
//	P1 lead A  meeting; sent 08-22 (on time); class A; 满意/满意 → closed
//	P1 co B    opinion submitted
//	P2 lead A  phone; extension to 11-15 granted 09-20; sent 11-10 (on time
//	           only thanks to the extension); class B; work 满意, result
//	           基本满意 → closed
//	P3 lead B  visit; sent 10-15 (late); class C; work 基本满意, result
//	           不满意 on 10-20 → rehandling, due 11-20
//	P4 sep A   assigned, untouched (due 10-08)
//	P4 sep B   return requested and approved → returned
//	P5 lead B  signed class D, not sent → approved
//	P6 lead A  assigned 08-26 (due 11-26), untouched
//	Q1 lead A  another session, assigned 2025-01-10
func newStatsWorld(t *testing.T) *statsWorld {
	t.Helper()
	bn := setup(t)
	w := &statsWorld{bundle: bn, cases: map[string]int64{}}
	A, B, s := bn.a, bn.b, bn.session.ID

	p1 := bn.newProposal(t, s, "1")
	lead := bn.assignTo(t, p1, bn.unitA, workflow.KindLead, "2024-07-01")
	co := bn.assignTo(t, p1, bn.unitB, workflow.KindCo, "2024-07-01")
	co = bn.toAwaitingApproval(t, co, B, "2024-07-10")
	co = bn.act(t, co, workflow.ActionSign, B[workflow.RoleApprover], on(t, "2024-07-11"), workflow.Input{})
	bn.talk(t, lead, A, workflow.ContactMeeting, "2024-07-15")
	lead = bn.toAwaitingApproval(t, lead, A, "2024-08-20")
	lead = bn.signAndSend(t, lead, A, workflow.ClassA, "2024-08-21", "2024-08-22")
	lead = bn.feedback(t, lead, workflow.RatingSatisfied, workflow.RatingSatisfied, "2024-09-01")
	w.cases["P1 lead"], w.cases["P1 co"] = lead.ID, co.ID

	p2 := bn.newProposal(t, s, "2")
	c := bn.assignTo(t, p2, bn.unitA, workflow.KindLead, "2024-07-01")
	bn.talk(t, c, A, workflow.ContactPhone, "2024-07-05")
	c = bn.act(t, c, workflow.ActionRequestExtension, A[workflow.RoleDrafter], on(t, "2024-09-10"),
		workflow.Input{Comment: "需要协调多个部门", Due: date(t, "2024-11-15")})
	c = bn.act(t, c, workflow.ActionGrantExtension, bn.liaison, on(t, "2024-09-20"), workflow.Input{Due: date(t, "2024-11-15")})
	c = bn.toAwaitingApproval(t, c, A, "2024-11-05")
	c = bn.signAndSend(t, c, A, workflow.ClassB, "2024-11-08", "2024-11-10")
	c = bn.feedback(t, c, workflow.RatingSatisfied, workflow.RatingBasicallySatisfied, "2024-11-20")
	w.cases["P2 lead"] = c.ID

	p3 := bn.newProposal(t, s, "3")
	c = bn.assignTo(t, p3, bn.unitB, workflow.KindLead, "2024-07-01")
	bn.talk(t, c, B, workflow.ContactVisit, "2024-08-01")
	c = bn.toAwaitingApproval(t, c, B, "2024-10-10")
	c = bn.signAndSend(t, c, B, workflow.ClassC, "2024-10-14", "2024-10-15")
	c = bn.feedback(t, c, workflow.RatingBasicallySatisfied, workflow.RatingDissatisfied, "2024-10-20")
	if c.State != workflow.StateRehandling || c.ReplyDue != date(t, "2024-11-20") {
		t.Fatalf("P3: %s due %s, want rehandling due 2024-11-20", c.State, c.ReplyDue)
	}
	w.cases["P3 lead"] = c.ID

	p4 := bn.newProposal(t, s, "4")
	sepA := bn.assignTo(t, p4, bn.unitA, workflow.KindSeparate, "2024-07-01")
	sepB := bn.assignTo(t, p4, bn.unitB, workflow.KindSeparate, "2024-07-01")
	sepB = bn.act(t, sepB, workflow.ActionRequestReturn, B[workflow.RoleDrafter], on(t, "2024-07-03"), workflow.Input{Comment: "不属于本单位职责"})
	sepB = bn.act(t, sepB, workflow.ActionApproveReturn, bn.liaison, on(t, "2024-07-04"), workflow.Input{})
	w.cases["P4 sep A"], w.cases["P4 sep B"] = sepA.ID, sepB.ID

	p5 := bn.newProposal(t, s, "5")
	c = bn.assignTo(t, p5, bn.unitB, workflow.KindLead, "2024-07-01")
	c = bn.toAwaitingApproval(t, c, B, "2024-09-01")
	c = bn.signAndSend(t, c, B, workflow.ClassD, "2024-09-02", "")
	w.cases["P5 lead"] = c.ID

	p6 := bn.newProposal(t, s, "6")
	c = bn.assignTo(t, p6, bn.unitA, workflow.KindLead, "2024-08-26")
	if c.ReplyDue != date(t, "2024-11-26") {
		t.Fatalf("P6 due %s, want 2024-11-26", c.ReplyDue)
	}
	w.cases["P6 lead"] = c.ID

	other := &workflow.CongressSession{Name: "武汉市第十五届人民代表大会第四次会议", ShortName: "市十五届人大四次会议", OpenedOn: date(t, "2025-01-06")}
	must(t, bn.db.CreateSession(bn.ctx, other))
	q1 := bn.newProposal(t, other.ID, "1")
	w.cases["Q1 lead"] = bn.assignTo(t, q1, bn.unitA, workflow.KindLead, "2025-01-10").ID
	return w
}

// statsToday and statsSoon are the days the dataset is counted on.
const statsToday, statsSoon = "2024-11-25", "2024-12-04"

func TestStatistics(t *testing.T) {
	t.Parallel()
	w := newStatsWorld(t)
	for _, scope := range []storage.StatisticsScope{{SessionID: w.session.ID}, {Year: 2024}} {
		st, err := w.db.Statistics(w.ctx, scope, date(t, statsToday), date(t, statsSoon))
		must(t, err)
		if len(st.Units) != 2 || st.Units[0].Department.Code != "kcj" || st.Units[1].Department.Code != "scjg" {
			t.Fatalf("%+v: units %v, want kcj and scjg (the liaison office is no unit)", scope, st.Units)
		}
		B, A, T := st.Units[0].Figures, st.Units[1].Figures, st.Total

		type row struct {
			name      string
			got, want any
		}
		S := workflow.RatingSatisfied
		BS := workflow.RatingBasicallySatisfied
		D := workflow.RatingDissatisfied
		rows := []row{
			{"A cases", A.Cases, 4}, {"B cases", B.Cases, 4}, {"total cases", T.Cases, 8},
			{"A closed", A.States[workflow.StateClosed], 2}, {"A assigned", A.States[workflow.StateAssigned], 2},
			{"B states", []int{B.States[workflow.StateOpinionSubmitted], B.States[workflow.StateRehandling],
				B.States[workflow.StateReturned], B.States[workflow.StateApproved]}, []int{1, 1, 1, 1}},
			{"total assigned", T.States[workflow.StateAssigned], 2},
			{"A due soon/overdue", []int{A.DueSoon, A.Overdue}, []int{1, 1}},
			{"B due soon/overdue", []int{B.DueSoon, B.Overdue}, []int{0, 2}},
			{"A replying/replied/on time/met", []int{A.Replying, A.Replied, A.OnTime, A.Met}, []int{4, 2, 2, 1}},
			{"B replying/replied/on time/met", []int{B.Replying, B.Replied, B.OnTime, B.Met}, []int{2, 1, 0, 1}},
			{"total replying/replied/on time/met", []int{T.Replying, T.Replied, T.OnTime, T.Met}, []int{6, 3, 2, 2}},
			{"办复率（按件次）", T.ReplyRate().Percent(), "50.0%"},
			{"suggestions A/B/total", []int{A.Suggestions, A.SuggestionsReplied, B.Suggestions, B.SuggestionsReplied, T.Suggestions, T.SuggestionsReplied},
				[]int{4, 2, 2, 1, 6, 3}},
			{"按时办复率", T.OnTimeRate().Percent(), "66.7%"},
			{"面商率", T.MeetingRate().Percent(), "66.7%"},
			{"A 按时办复率", A.OnTimeRate().Percent(), "100.0%"},
			{"B 按时办复率", B.OnTimeRate().Percent(), "0.0%"},
			{"feedback", []int{A.Feedback, B.Feedback, T.Feedback}, []int{2, 1, 3}},
			{"result ratings", []int{T.Ratings[S], T.Ratings[BS], T.Ratings[D]}, []int{1, 1, 1}},
			{"work ratings", []int{T.WorkRatings[S], T.WorkRatings[BS], T.WorkRatings[D]}, []int{2, 1, 0}},
			{"满意率", T.RatingRate(S).Percent(), "33.3%"},
			{"A 满意率", A.RatingRate(S).Percent(), "50.0%"},
			{"B 不满意率", B.RatingRate(D).Percent(), "100.0%"},
			{"满意率（含基本满意）", T.Rate(workflow.FigureSatisfiedInclBasic).Percent(), "66.7%"},
			{"first-round ratings", []int{T.FirstFeedback, T.FirstRatings[S], T.FirstRatings[BS], T.FirstRatings[D]}, []int{3, 1, 1, 1}},
			{"初次办理不满意率", T.Rate(workflow.FigureFirstDissatisfied).Percent(), "33.3%"},
			{"signed", []int{A.Signed, B.Signed, T.Signed}, []int{2, 2, 4}},
			{"classes", []int{T.Classes[workflow.ClassA], T.Classes[workflow.ClassB], T.Classes[workflow.ClassC], T.Classes[workflow.ClassD]},
				[]int{1, 1, 1, 0}}, // P5's class D reply was signed, never sent
			{"A share", T.ClassShare(workflow.ClassA).Percent(), "33.3%"},
			{"B unit C share", B.ClassShare(workflow.ClassC).Percent(), "100.0%"},
		}
		for _, r := range rows {
			if !equalAny(r.got, r.want) {
				t.Errorf("%+v: %s = %v, want %v", scope, r.name, r.got, r.want)
			}
		}
	}

	// The other session and year hold Q1 alone; a year without cases none.
	st, err := w.db.Statistics(w.ctx, storage.StatisticsScope{Year: 2025}, date(t, statsToday), date(t, statsSoon))
	must(t, err)
	if st.Total.Cases != 1 || st.Total.Replying != 1 || st.Total.ReplyRate().Percent() != "0.0%" || st.Total.OnTimeRate().Percent() != "—" {
		t.Errorf("2025: %+v", st.Total)
	}
	st, err = w.db.Statistics(w.ctx, storage.StatisticsScope{Year: 2023}, date(t, statsToday), date(t, statsSoon))
	must(t, err)
	if st.Total.Cases != 0 || st.Total.ReplyRate().Defined() || st.Units[0].Cases != 0 {
		t.Errorf("2023: %+v", st.Total)
	}
}

func equalAny(a, b any) bool {
	if as, ok := a.([]int); ok {
		bs, ok := b.([]int)
		return ok && slices.Equal(as, bs)
	}
	return a == b
}

func TestSupervisionCases(t *testing.T) {
	t.Parallel()
	w := newStatsWorld(t)
	base := storage.SupervisionFilter{Scope: storage.StatisticsScope{SessionID: w.session.ID},
		Today: date(t, statsToday), SoonUntil: date(t, statsSoon)}
	tests := []struct {
		name string
		f    func(*storage.SupervisionFilter)
		want []string
	}{
		{"all", func(*storage.SupervisionFilter) {},
			// overdue first, then the other open ones, then by due date
			[]string{"P4 sep A", "P5 lead", "P3 lead", "P6 lead", "P1 co", "P1 lead", "P4 sep B", "P2 lead"}},
		{"unit A overdue", func(f *storage.SupervisionFilter) { f.DepartmentID, f.Overdue = w.unitA.ID, true }, []string{"P4 sep A"}},
		{"overdue", func(f *storage.SupervisionFilter) { f.Overdue = true }, []string{"P4 sep A", "P5 lead", "P3 lead"}},
		{"due soon", func(f *storage.SupervisionFilter) { f.DueSoon = true }, []string{"P6 lead"}},
		{"state closed", func(f *storage.SupervisionFilter) { f.State = workflow.StateClosed }, []string{"P1 lead", "P2 lead"}},
		{"replying", func(f *storage.SupervisionFilter) { f.Measure = storage.MeasureReplying },
			[]string{"P4 sep A", "P5 lead", "P3 lead", "P6 lead", "P1 lead", "P2 lead"}},
		{"replied", func(f *storage.SupervisionFilter) { f.Measure = storage.MeasureReplied }, []string{"P3 lead", "P1 lead", "P2 lead"}},
		{"on time", func(f *storage.SupervisionFilter) { f.Measure = storage.MeasureOnTime }, []string{"P1 lead", "P2 lead"}},
		{"late", func(f *storage.SupervisionFilter) { f.Measure = storage.MeasureLate }, []string{"P3 lead"}},
		{"met", func(f *storage.SupervisionFilter) { f.Measure = storage.MeasureMet }, []string{"P3 lead", "P1 lead"}},
		{"dissatisfied", func(f *storage.SupervisionFilter) { f.Rating = workflow.RatingDissatisfied }, []string{"P3 lead"}},
		{"class C", func(f *storage.SupervisionFilter) { f.Class = workflow.ClassC }, []string{"P3 lead"}},
		{"class D: signed, not sent, no share", func(f *storage.SupervisionFilter) { f.Class = workflow.ClassD }, nil},
		{"suggestions", func(f *storage.SupervisionFilter) { f.Measure = storage.MeasureSuggestions },
			[]string{"P4 sep A", "P5 lead", "P3 lead", "P6 lead", "P1 lead", "P2 lead"}},
		{"suggestions replied", func(f *storage.SupervisionFilter) { f.Measure = storage.MeasureSuggestionsReplied },
			[]string{"P3 lead", "P1 lead", "P2 lead"}},
		{"first round dissatisfied", func(f *storage.SupervisionFilter) { f.FirstRating = workflow.RatingDissatisfied }, []string{"P3 lead"}},
		{"unit B signed", func(f *storage.SupervisionFilter) { f.DepartmentID, f.Measure = w.unitB.ID, storage.MeasureSigned },
			[]string{"P5 lead", "P3 lead"}},
		{"year 2025", func(f *storage.SupervisionFilter) { f.Scope = storage.StatisticsScope{Year: 2025} }, []string{"Q1 lead"}},
	}
	names := map[int64]string{}
	for k, id := range w.cases {
		names[id] = k
	}
	for _, tt := range tests {
		f := base
		tt.f(&f)
		got, total, err := w.db.SupervisionCases(w.ctx, f)
		must(t, err)
		var gotNames []string
		for _, c := range got {
			gotNames = append(gotNames, names[c.ID])
		}
		if !slices.Equal(gotNames, tt.want) || total != len(tt.want) {
			t.Errorf("%s: %v (total %d), want %v", tt.name, gotNames, total, tt.want)
		}
	}
	// A case carries its due date and where it stands.
	got, _, err := w.db.SupervisionCases(w.ctx, storage.SupervisionFilter{Scope: base.Scope, Today: base.Today,
		SoonUntil: base.SoonUntil, Measure: storage.MeasureLate})
	must(t, err)
	if c := got[0]; c.Due != date(t, "2024-11-20") || !c.Overdue || c.FirstSentAt == nil || c.OnTime ||
		c.Rating != workflow.RatingDissatisfied || c.Class != workflow.ClassC || c.DepartmentName != w.unitB.Name || c.Number != "3" {
		t.Errorf("P3: %+v", c)
	}
	// Paging.
	f := base
	f.Limit, f.Offset = 3, 3
	page, total, err := w.db.SupervisionCases(w.ctx, f)
	must(t, err)
	if len(page) != 3 || total != 8 || page[0].ID != w.cases["P6 lead"] {
		t.Errorf("page 2: %d cases of %d, first %d", len(page), total, page[0].ID)
	}
	// Keyset paging (exports) walks the same rows in the same order.
	var walked []string
	f = base
	f.Limit = 3
	for {
		page, _, err := w.db.SupervisionCases(w.ctx, f)
		must(t, err)
		for _, c := range page {
			walked = append(walked, names[c.ID])
		}
		if len(page) < f.Limit {
			break
		}
		f.After = &page[len(page)-1]
	}
	if want := tests[0].want; !slices.Equal(walked, want) {
		t.Errorf("keyset walk: %v, want %v", walked, want)
	}
	if _, _, err := w.db.SupervisionCases(w.ctx, storage.SupervisionFilter{Measure: "nosuch"}); workflow.Code(err) != workflow.ErrInvalid {
		t.Errorf("unknown measure: %v", err)
	}
}

func TestPendingRequests(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	p := bn.newProposal(t, bn.session.ID, "7")
	ret := bn.assignTo(t, p, bn.unitA, workflow.KindSeparate, "2024-07-01")
	bn.act(t, ret, workflow.ActionRequestReturn, bn.a[workflow.RoleDrafter], on(t, "2024-07-02"), workflow.Input{Comment: "不属于本单位职责"})
	ext := bn.assignTo(t, p, bn.unitB, workflow.KindSeparate, "2024-07-01")
	bn.act(t, ext, workflow.ActionRequestExtension, bn.b[workflow.RoleDrafter], on(t, "2024-09-02"),
		workflow.Input{Comment: "需要实地调研", Due: date(t, "2024-12-02")})

	returns, err := bn.db.PendingReturnRequests(bn.ctx)
	must(t, err)
	if len(returns) != 1 || returns[0].CaseID != ret.ID || returns[0].Reason != "不属于本单位职责" ||
		returns[0].DepartmentName != bn.unitA.Name || returns[0].Number != "7" || !returns[0].RequestedAt.Equal(on(t, "2024-07-02")) {
		t.Errorf("return requests: %+v", returns)
	}
	exts, err := bn.db.PendingExtensionRequests(bn.ctx)
	must(t, err)
	if len(exts) != 1 || exts[0].CaseID != ext.ID || exts[0].Reason != "需要实地调研" || exts[0].WantedDue != date(t, "2024-12-02") ||
		exts[0].PreviousDue != date(t, "2024-10-08") || exts[0].DecideDue.IsZero() || exts[0].DepartmentName != bn.unitB.Name {
		t.Errorf("extension requests: %+v", exts)
	}
}

func TestAssignAll(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	cmd := func(d *workflow.Department, k workflow.CaseKind) storage.AssignCmd {
		return storage.AssignCmd{ProposalID: bn.proposal.ID, DepartmentID: d.ID, Kind: k, Actor: bn.liaison, At: on(t, "2024-07-01")}
	}
	third := &workflow.Department{Code: "jyj", Name: "武汉市教育局"}
	must(t, bn.db.CreateDepartment(bn.ctx, third))

	// A second lead in the same call: nothing stays, and the error names it.
	_, err := bn.db.AssignAll(bn.ctx, []storage.AssignCmd{cmd(bn.unitA, workflow.KindLead), cmd(bn.unitB, workflow.KindCo),
		cmd(third, workflow.KindLead)})
	wantCode(t, err, workflow.ErrConflict)
	if ae, ok := storage.FailedAssignment(err); !ok || ae.Index != 2 || ae.Cmd.DepartmentID != third.ID {
		t.Errorf("error %v does not name the third assignment", err)
	}
	cases, err := bn.db.CasesOfProposal(bn.ctx, bn.proposal.ID)
	must(t, err)
	if len(cases) != 0 {
		t.Fatalf("%d cases after a failed AssignAll, want none", len(cases))
	}
	var events int
	must(t, bn.db.Pool.QueryRow(bn.ctx, `SELECT count(*) FROM case_events`).Scan(&events))
	if events != 0 {
		t.Errorf("%d audit events after a failed AssignAll", events)
	}

	got, err := bn.db.AssignAll(bn.ctx, []storage.AssignCmd{cmd(bn.unitA, workflow.KindLead), cmd(bn.unitB, workflow.KindCo),
		cmd(third, workflow.KindCo)})
	must(t, err)
	if len(got) != 3 || got[0].Kind != workflow.KindLead || got[2].Kind != workflow.KindCo || got[2].CoOpinionDue.IsZero() {
		t.Fatalf("AssignAll: %+v", got)
	}
	cases, err = bn.db.CasesOfProposal(bn.ctx, bn.proposal.ID)
	must(t, err)
	if len(cases) != 3 {
		t.Errorf("%d cases, want 3", len(cases))
	}
	if _, err := bn.db.AssignAll(bn.ctx, nil); workflow.Code(err) != workflow.ErrInvalid {
		t.Errorf("no assignments: %v", err)
	}
}

func TestRegisterProposal(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	count := func(table string) int {
		var n int
		must(t, bn.db.Pool.QueryRow(bn.ctx, `SELECT count(*) FROM `+table).Scan(&n))
		return n
	}
	deputies, proposals := count("deputies"), count("proposals")
	existing := bn.proposal.DeputyIDs[0]

	// A duplicate number in the session: neither the new deputy nor the
	// proposal stays.
	dup := &workflow.Proposal{SessionID: bn.session.ID, Number: bn.proposal.Number, Title: "重复编号", SubmittedOn: date(t, "2024-01-10")}
	err := bn.db.RegisterProposal(bn.ctx, dup, []storage.DeputyRef{{New: &workflow.Deputy{Name: "新代表"}}, {ID: existing}})
	wantCode(t, err, workflow.ErrConflict)
	if count("deputies") != deputies || count("proposals") != proposals || dup.ID != 0 {
		t.Errorf("a refused registration wrote: deputies %d→%d, proposals %d→%d", deputies, count("deputies"), proposals, count("proposals"))
	}
	taken, err := bn.db.ProposalNumberTaken(bn.ctx, bn.session.ID, bn.proposal.Number)
	must(t, err)
	if !taken {
		t.Error("ProposalNumberTaken: false for an existing number")
	}

	p := &workflow.Proposal{SessionID: bn.session.ID, Number: "20240300", Title: "关于新建议的建议", SubmittedOn: date(t, "2024-01-10")}
	nd := &workflow.Deputy{Name: " 新代表 ", Delegation: "江岸代表团", Phone: "13900000000"}
	must(t, bn.db.RegisterProposal(bn.ctx, p, []storage.DeputyRef{{New: nd}, {ID: existing}}))
	got, err := bn.db.ProposalDeputies(bn.ctx, p.ID)
	must(t, err)
	if len(got) != 2 || !got[0].Lead || got[0].Name != "新代表" || got[0].Delegation != "江岸代表团" || got[1].ID != existing || got[1].Lead {
		t.Errorf("deputies: %+v", got)
	}
	all, err := bn.db.Deputies(bn.ctx)
	must(t, err)
	if len(all) != deputies+1 {
		t.Errorf("%d deputies, want %d", len(all), deputies+1)
	}
}
