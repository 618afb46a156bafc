package storage_test

import (
	"testing"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// remindersToGo counts the reminder jobs of the cases' deadlines that
// would still go out.
func remindersToGo(t *testing.T, bn *bundle, caseIDs ...int64) int {
	t.Helper()
	var n int
	must(t, bn.db.Pool.QueryRow(bn.ctx, `
		SELECT count(*) FROM river_job j JOIN deadlines d ON d.id = (j.args->>'deadline_id')::bigint
		WHERE j.kind = 'deadline_reminder' AND d.case_id = ANY($1) AND j.state IN ('available', 'scheduled', 'retryable', 'pending')`,
		caseIDs).Scan(&n))
	return n
}

// TestWithdrawEndsEveryOpenCase: the liaison records the deputy's
// withdrawal from one case of a suggestion with a lead unit (being drafted)
// and a co-handling unit (not yet accepted): in one go both cases end
// withdrawn, each with its audit event, their deadlines end and no reminder
// is left to go out; the suggestion keeps the reason; the lead unit hears of
// it; and the suggestion can be assigned to no one any more.
func TestWithdrawEndsEveryOpenCase(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	now := bn.db.Clock.Now()
	lead := bn.assign(t, bn.unitA, workflow.KindLead, now)
	co := bn.assign(t, bn.unitB, workflow.KindCo, now)
	lead = bn.act(t, lead, workflow.ActionAccept, bn.a[workflow.RoleDrafter], now, workflow.Input{})
	if remindersToGo(t, bn, lead.ID, co.ID) == 0 {
		t.Fatal("no reminders scheduled before the withdrawal: the test proves nothing")
	}

	// A drafter may not record it.
	_, err := bn.db.Transition(bn.ctx, storage.TransitionCmd{CaseID: lead.ID, Action: workflow.ActionWithdraw,
		Actor: bn.a[workflow.RoleDrafter], ExpectedVersion: lead.Version, Input: workflow.Input{Comment: "代表撤回"}})
	wantCode(t, err, workflow.ErrForbidden)
	// Without a reason nothing happens.
	_, err = bn.db.Transition(bn.ctx, storage.TransitionCmd{CaseID: co.ID, Action: workflow.ActionWithdraw,
		Actor: bn.liaison, ExpectedVersion: co.Version})
	wantCode(t, err, workflow.ErrInvalid)

	got := bn.act(t, co, workflow.ActionWithdraw, bn.liaison, now, workflow.Input{Comment: "代表于2027年7月1日书面申请撤回该建议"})
	if got.State != workflow.StateWithdrawn {
		t.Fatalf("co case: %s, want withdrawn", got.State)
	}
	for _, c := range []*workflow.Case{lead, co} {
		cs, err := bn.db.Case(bn.ctx, c.ID)
		must(t, err)
		if cs.State != workflow.StateWithdrawn || cs.Version != c.Version+1 {
			t.Errorf("case %d: %s at version %d, want withdrawn at %d", c.ID, cs.State, cs.Version, c.Version+1)
		}
		events, err := bn.db.CaseEvents(bn.ctx, c.ID)
		must(t, err)
		last := events[len(events)-1]
		if last.Action != string(workflow.ActionWithdraw) || last.To != workflow.StateWithdrawn || last.Payload["comment"] == nil {
			t.Errorf("case %d: last event %+v", c.ID, last)
		}
		active, err := bn.db.CaseDeadlines(bn.ctx, c.ID)
		must(t, err)
		for _, d := range active {
			if !d.Ended {
				t.Errorf("case %d: deadline %s still runs", c.ID, d.Kind)
			}
		}
	}
	if n := remindersToGo(t, bn, lead.ID, co.ID); n != 0 {
		t.Errorf("%d reminders would still go out", n)
	}
	p, err := bn.db.Proposal(bn.ctx, bn.proposal.ID)
	must(t, err)
	if o := p.Outcome; o == nil || o.State != workflow.StateWithdrawn || o.Reason != "代表于2027年7月1日书面申请撤回该建议" ||
		o.RecordedBy != bn.liaison.UserID || o.Destination != "" {
		t.Errorf("outcome %+v", p.Outcome)
	}
	var told int
	must(t, bn.db.Pool.QueryRow(bn.ctx, `SELECT count(*) FROM notifications WHERE case_id = $1 AND user_id = $2`,
		lead.ID, bn.a[workflow.RoleDrafter].UserID).Scan(&told))
	if told == 0 {
		t.Error("the lead unit's drafter was not told")
	}
	if rep := bn.verify(t); len(rep.Breaks) > 0 {
		t.Errorf("audit: %+v", rep)
	}
	_, err = bn.db.Assign(bn.ctx, storage.AssignCmd{ProposalID: bn.proposal.ID, DepartmentID: bn.unitB.ID, Kind: workflow.KindLead,
		Actor: bn.liaison, At: now})
	wantCode(t, err, workflow.ErrConflict)
}

// TestConvertNeedsWhereItWent and is refused once a reply was sent.
func TestConvertAfterReplyRefused(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	lead := bn.assign(t, bn.unitA, workflow.KindLead, on(t, "2024-07-01"))
	lead = bn.toAwaitingApproval(t, lead, bn.a, "2024-07-10")
	_, err := bn.db.Transition(bn.ctx, storage.TransitionCmd{CaseID: lead.ID, Action: workflow.ActionConvert, Actor: bn.liaison,
		ExpectedVersion: lead.Version, At: on(t, "2024-07-11"), Input: workflow.Input{Comment: "属个人诉求"}})
	wantCode(t, err, workflow.ErrInvalid) // where it went is missing
	lead = bn.signAndSend(t, lead, bn.a, workflow.ClassB, "2024-07-12", "2024-07-15")
	_, err = bn.db.Transition(bn.ctx, storage.TransitionCmd{CaseID: lead.ID, Action: workflow.ActionWithdraw, Actor: bn.liaison,
		ExpectedVersion: lead.Version, At: on(t, "2024-07-16"), Input: workflow.Input{Comment: "代表撤回"}})
	wantCode(t, err, workflow.ErrConflict)
	p, err := bn.db.Proposal(bn.ctx, bn.proposal.ID)
	must(t, err)
	if p.Outcome != nil {
		t.Errorf("outcome %+v after a refusal", p.Outcome)
	}
}

// TestStatisticsCountEndsApart: a withdrawn and a converted suggestion are
// in no rate's denominator (replying cases) and are counted apart, each
// once however many units it had.
func TestStatisticsCountEndsApart(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	s := bn.session.ID
	// P1: replied by A (counts in 办复率). P2: lead A + co B, withdrawn.
	// P3: separate A and B, converted.
	p1 := bn.newProposal(t, s, "1")
	c1 := bn.assignTo(t, p1, bn.unitA, workflow.KindLead, "2024-07-01")
	c1 = bn.toAwaitingApproval(t, c1, bn.a, "2024-07-10")
	bn.signAndSend(t, c1, bn.a, workflow.ClassA, "2024-07-11", "2024-07-12")
	p2 := bn.newProposal(t, s, "2")
	c2 := bn.assignTo(t, p2, bn.unitA, workflow.KindLead, "2024-07-01")
	bn.assignTo(t, p2, bn.unitB, workflow.KindCo, "2024-07-01")
	bn.act(t, c2, workflow.ActionWithdraw, bn.liaison, on(t, "2024-07-05"), workflow.Input{Comment: "代表撤回"})
	p3 := bn.newProposal(t, s, "3")
	c3 := bn.assignTo(t, p3, bn.unitA, workflow.KindSeparate, "2024-07-01")
	bn.assignTo(t, p3, bn.unitB, workflow.KindSeparate, "2024-07-01")
	bn.act(t, c3, workflow.ActionConvert, bn.liaison, on(t, "2024-07-05"),
		workflow.Input{Comment: "反映的是个人信访诉求", Destination: "转为来信，交市信访局办理"})

	st, err := bn.db.Statistics(bn.ctx, storage.StatisticsScope{SessionID: s}, date(t, "2024-11-25"), date(t, "2024-12-04"))
	must(t, err)
	tot := st.Total
	if tot.Replying != 1 || tot.Replied != 1 || tot.ReplyRate().Percent() != "100.0%" {
		t.Errorf("replying %d replied %d (%s), want 1 of 1: the ended suggestions are not in the denominator",
			tot.Replying, tot.Replied, tot.ReplyRate().Percent())
	}
	if tot.Withdrawn != 1 || tot.Converted != 1 {
		t.Errorf("withdrawn %d converted %d, want 1 and 1 (suggestions, not cases)", tot.Withdrawn, tot.Converted)
	}
	if tot.Overdue != 0 {
		t.Errorf("%d overdue: an ended case owes nothing", tot.Overdue)
	}
	for _, u := range st.Units {
		if u.Department.ID == bn.unitB.ID && (u.Withdrawn != 1 || u.Converted != 1 || u.Replying != 0) {
			t.Errorf("unit B: withdrawn %d converted %d replying %d", u.Withdrawn, u.Converted, u.Replying)
		}
	}
}

// TestWithheldPassages: a passage withheld at sign-off (区分处理) is left
// out of the public text with a note, the portal's search does not find
// it, staff still read it, marked; 不予公开 keeps its reason.
func TestWithheldPassages(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	c := bn.assign(t, bn.unitA, workflow.KindLead, on(t, "2024-07-01"))
	at := on(t, "2024-07-10")
	c = bn.act(t, c, workflow.ActionAccept, bn.a[workflow.RoleDrafter], at, workflow.Input{})
	_, err := bn.db.SaveDraft(bn.ctx, storage.SaveDraftCmd{CaseID: c.ID, Actor: bn.a[workflow.RoleDrafter], At: at,
		Sections: []workflow.Section{{Heading: "一、工作开展情况", Body: "一是出台成果转化政策。\n二是约谈涉事企业负责人。\n三是开展专利转化行动。"}}})
	must(t, err)
	c = bn.act(t, c, workflow.ActionSubmit, bn.a[workflow.RoleDrafter], at, workflow.Input{})
	c = bn.act(t, c, workflow.ActionForward, bn.a[workflow.RoleReviewer], at, workflow.Input{})
	// A passage that is not in the text is refused.
	_, err = bn.db.Transition(bn.ctx, storage.TransitionCmd{CaseID: c.ID, Action: workflow.ActionSign, Actor: bn.a[workflow.RoleApprover],
		ExpectedVersion: c.Version, At: at, Input: workflow.Input{Class: workflow.ClassB, Disclosure: workflow.DisclosePublic,
			Withheld: []workflow.Passage{{Section: 0, Paragraph: 3}}}})
	wantCode(t, err, workflow.ErrInvalid)
	c = bn.act(t, c, workflow.ActionSign, bn.a[workflow.RoleApprover], at, workflow.Input{Class: workflow.ClassB,
		Disclosure: workflow.DisclosePublic, Withheld: []workflow.Passage{{Section: 0, Paragraph: 1}}})
	c = bn.act(t, c, workflow.ActionSend, bn.a[workflow.RoleDrafter], at, workflow.Input{})
	bn.act(t, c, workflow.ActionPublish, bn.a[workflow.RoleDrafter], at, workflow.Input{})

	id, err := bn.db.PublicationIDByNumber(bn.ctx, bn.session.ShortName, bn.proposal.Number)
	must(t, err)
	pub, err := bn.db.PublishedReply(bn.ctx, id)
	must(t, err)
	want := "一是出台成果转化政策。\n" + workflow.WithheldNote + "\n三是开展专利转化行动。"
	if len(pub.Sections) != 1 || pub.Sections[0].Body != want || pub.Public.Omitted != 1 {
		t.Errorf("public text %+v, want %q", pub.Sections, want)
	}
	if _, n, err := bn.db.PublishedReplies(bn.ctx, storage.PublicationFilter{Query: "约谈涉事企业"}); err != nil || n != 0 {
		t.Errorf("the portal's search finds the withheld passage: %d, %v", n, err)
	}
	if _, n, err := bn.db.PublishedReplies(bn.ctx, storage.PublicationFilter{Query: "专利转化行动"}); err != nil || n != 1 {
		t.Errorf("the portal's search misses the published text: %d, %v", n, err)
	}
	replies, err := bn.db.CaseReplies(bn.ctx, c.ID)
	must(t, err)
	marked := replies[0].Signed().Marked()
	if p := marked[0].Paragraphs[1]; !p.Withheld || p.Text != "二是约谈涉事企业负责人。" || marked[0].Paragraphs[0].Withheld {
		t.Errorf("staff read %+v", marked)
	}
	// The staff search still finds the whole text.
	if res, err := bn.db.SearchCases(bn.ctx, bn.liaison, storage.CaseSearch{Query: "约谈涉事企业"}); err != nil || res.Total != 1 {
		t.Errorf("the staff search misses the withheld passage: %+v, %v", res, err)
	}
}
