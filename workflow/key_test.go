package workflow

import (
	"slices"
	"testing"
	"time"
)

func TestCheckMerge(t *testing.T) {
	t.Parallel()
	lead := func(dept int64, s State) *Case { return &Case{Kind: KindLead, DepartmentID: dept, State: s} }
	side := func(id int64, number string, cases ...*Case) MergeSide {
		return MergeSide{ProposalID: id, Number: number, SessionID: 1, Cases: cases}
	}
	main := side(1, "20240101", lead(7, StateAssigned))
	tests := []struct {
		name   string
		main   MergeSide
		other  MergeSide
		reason string // "" when allowed
	}{
		{"duplicates at one unit, neither accepted", main, side(2, "20240102", lead(7, StateAssigned)), ""},
		{"the same suggestion", main, side(1, "20240101", lead(7, StateAssigned)), "same"},
		{"another session", main, MergeSide{ProposalID: 2, Number: "20230102", SessionID: 2, Cases: []*Case{lead(7, StateAssigned)}}, "session"},
		{"another unit", main, side(2, "20240102", lead(8, StateAssigned)), "unit"},
		{"the other already accepted", main, side(2, "20240102", lead(7, StateDrafting)), "started"},
		{"the main already accepted", side(1, "20240101", lead(7, StateDrafting)), side(2, "20240102", lead(7, StateAssigned)), "started"},
		{"the other has a co-handling unit", main, side(2, "20240102", lead(7, StateAssigned), &Case{Kind: KindCo, DepartmentID: 9, State: StateAssigned}), "cases"},
		{"the other not assigned yet", main, side(2, "20240102"), "cases"},
		{"the other merged elsewhere", main, MergeSide{ProposalID: 2, Number: "20240102", SessionID: 1, MergedInto: "20240103",
			Cases: []*Case{lead(7, StateAssigned)}}, "merged"},
		{"the other is a main suggestion", main, MergeSide{ProposalID: 2, Number: "20240102", SessionID: 1, HasMerged: true,
			Cases: []*Case{lead(7, StateAssigned)}}, "is_main"},
		{"the main merged elsewhere", MergeSide{ProposalID: 1, Number: "20240101", SessionID: 1, MergedInto: "20240103",
			Cases: []*Case{lead(7, StateAssigned)}}, side(2, "20240102", lead(7, StateAssigned)), "main_merged"},
	}
	for _, tc := range tests {
		err := CheckMerge(tc.main, tc.other)
		switch {
		case tc.reason == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.reason != "":
			e, ok := err.(*Error)
			if !ok || e.Rule != "merge" || e.Reason != tc.reason {
				t.Errorf("%s: got %v, want the merge rule's refusal %q", tc.name, err, tc.reason)
			}
		}
	}
	if err := CheckUnmerge(lead(7, StateAssigned)); err != nil {
		t.Errorf("unmerge before acceptance: %v", err)
	}
	if err := CheckUnmerge(lead(7, StateDrafting)); Code(err) != ErrConflict {
		t.Errorf("unmerge after acceptance: %v, want a conflict", err)
	}
}

// A merged case follows its main case: the same state, and the effects of
// the step for its own kind — its own reply at sign-off, its own sent reply
// and publication at sending.
func TestFollow(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 3, 4, 10, 0, 0, 0, Zone())
	f := realisticFacts(ActionSign)
	sign, err := Decide(Request{Kind: KindLead, From: StateAwaitingApproval, Action: ActionSign, Roles: []Role{RoleApprover}, Facts: f})
	if err != nil {
		t.Fatal(err)
	}
	fs := Follow(sign, KindLead, now)
	if fs.To != StateApproved || fs.Role != RoleApprover || len(fs.Effects) != 1 || fs.Effects[0].Kind != EffectCreateReply {
		t.Errorf("follow sign: to %s as %s, effects %v; want approved as approver with its own reply", fs.To, fs.Role, fs.Effects)
	}
	send, err := Decide(Request{Kind: KindLead, From: StateApproved, Action: ActionSend, Roles: []Role{RoleDrafter}, Facts: realisticFacts(ActionSend)})
	if err != nil {
		t.Fatal(err)
	}
	fd := Follow(send, KindSeparate, now)
	kinds := []EffectKind{}
	for _, e := range fd.Effects {
		kinds = append(kinds, e.Kind)
	}
	if fd.To != StateReplied || !slices.Equal(kinds, []EffectKind{EffectSendReply, EffectCreatePublication}) {
		t.Errorf("follow send: to %s, effects %v; want replied, its reply sent and a publication", fd.To, kinds)
	}
	if fd.Effects[1].From != DateOf(now) {
		t.Errorf("follow send: publication counted from %s, want %s", fd.Effects[1].From, DateOf(now))
	}
}

// On a merged case the unit's steps are offered disabled, with the reason
// naming the main suggestion; the liaison's decisions stay its own.
func TestOffersOnMergedCase(t *testing.T) {
	t.Parallel()
	c := &Case{Kind: KindLead, State: StateAssigned, ReturnDue: Date{2024, time.July, 8}}
	f := realisticFacts(ActionAccept)
	f.MergedInto = "20240101"
	offers := Offers(c, "", []Role{RoleDrafter}, f)
	var accept *Offer
	for i := range offers {
		if offers[i].Action == ActionAccept {
			accept = &offers[i]
		}
	}
	if accept == nil || accept.Enabled() {
		t.Fatalf("accept on a merged case: %+v, want offered disabled", accept)
	}
	if want := "该建议已与第20240101号建议并案办理，请在第20240101号建议的办件上签收。"; accept.Refusal.Message != want {
		t.Errorf("reason %q, want %q", accept.Refusal.Message, want)
	}
	if len(Awaited(offers)) != 0 {
		t.Errorf("a merged case waits for %v, want nothing", Awaited(offers))
	}
}

// The sign-off of a key suggestion is offered disabled, with its reason, to
// an approver who is not the principal leader.
func TestOffersPrincipalLeader(t *testing.T) {
	t.Parallel()
	c := &Case{Kind: KindLead, State: StateAwaitingApproval}
	f := realisticFacts(ActionSign)
	f.KeySuggestion = true
	find := func(offers []Offer) Offer {
		for _, o := range offers {
			if o.Action == ActionSign {
				return o
			}
		}
		t.Fatal("sign not offered")
		return Offer{}
	}
	if o := find(Offers(c, "", []Role{RoleApprover}, f)); o.Enabled() || o.Refusal.Guard != GuardPrincipalLeader.Name {
		t.Errorf("sign by an approver who is not the principal leader: %+v, want disabled by principal_leader", o.Refusal)
	}
	f.SignerPrincipal = true
	if o := find(Offers(c, "", []Role{RoleApprover}, f)); !o.Enabled() {
		t.Errorf("sign by the principal leader: disabled: %v", o.Refusal)
	}
}

// A key suggestion's case carries a progress report deadline while its
// reply is owed; a sent reply ends it.
func TestProgressDeadline(t *testing.T) {
	t.Parallel()
	assigned := Date{2024, time.March, 1}
	if got := ProgressFrom(assigned, Date{}); got != assigned {
		t.Errorf("ProgressFrom before any report = %s, want %s", got, assigned)
	}
	if got := ProgressFrom(assigned, Date{2024, time.April, 2}); got != (Date{2024, time.April, 2}) {
		t.Errorf("ProgressFrom after a report = %s, want 2024-04-02", got)
	}
	cal := NewCalendar(nil)
	due, err := cal.Due(DefaultRuleSet()[RuleProgress], assigned)
	if err != nil {
		t.Fatal(err)
	}
	if due.Date != (Date{2024, time.April, 1}) { // 30 days after 2024-03-01 is Sunday 03-31: the next working day
		t.Errorf("progress due %s, want 2024-04-01", due.Date)
	}
	has := func(s State) bool {
		c := &Case{Kind: KindLead, State: s, ReplyDue: Date{2024, time.June, 3}}
		for _, d := range ActiveDeadlines(CaseDeadlineFacts{Case: c, ProgressDue: due}) {
			if d.Kind == DeadlineProgress {
				return d.Due == due.Date
			}
		}
		return false
	}
	for _, s := range []State{StateAssigned, StateDrafting, StateAwaitingApproval, StateApproved} {
		if !has(s) {
			t.Errorf("a key suggestion's case in %s carries no progress deadline", s)
		}
	}
	for _, s := range []State{StateReplied, StateClosed, StateReturned} {
		if has(s) {
			t.Errorf("a key suggestion's case in %s still carries a progress deadline", s)
		}
	}
	if got := DeadlineEndReason(StateDrafting, DeadlineProgress, false); got != "void" {
		t.Errorf("progress deadline ended while the reply is owed (unmarked): %s, want void", got)
	}
	if got := DeadlineEndReason(StateReplied, DeadlineProgress, false); got != "met" {
		t.Errorf("progress deadline ended by the reply: %s, want met", got)
	}
	if DeadlineProgress.UnitDuty() || !DeadlineProgress.Escalates() {
		t.Error("a late progress report escalates but does not make the case overdue")
	}
}
