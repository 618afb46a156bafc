package workflow

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestGuardKinds: the classification of the guards, written by hand from
// what each one reads. Guards on the case's facts decide what a page offers;
// guards on the user's input never hide a form. A guard added to the table
// must be classified here.
func TestGuardKinds(t *testing.T) {
	t.Parallel()
	want := map[string]struct {
		on             GuardKind
		hides, ownWork bool
	}{
		"within_return_window":  {GuardOnState, false, false}, // the day against the return window
		"comment_given":         {GuardOnInput, false, false},
		"has_draft":             {GuardOnState, false, true},  // 提交审核 — 请先保存答复稿: the drafter's own work
		"reply_decided":         {GuardOnInput, false, false}, // class and disclosure chosen at sign-off
		"co_opinions_in":        {GuardOnState, false, false}, // 签发 — 等待协办意见: others' work
		"co_opinions_pending":   {GuardOnState, true, false},  // nothing to waive
		"feedback_complete":     {GuardOnInput, false, false},
		"feedback_satisfied":    {GuardOnInput, false, false},
		"feedback_dissatisfied": {GuardOnInput, false, false},
		"no_extension_pending":  {GuardOnState, false, false}, // 申请延期 — one request at a time
		"extension_pending":     {GuardOnState, true, false},  // no request to decide
		"extension_within_cap":  {GuardOnInput, false, false}, // the date typed
		"publishable":           {GuardOnState, true, false},  // the disclosure decided at sign-off
		"principal_leader":      {GuardOnState, false, false}, // 签发 a key suggestion — the principal leader's
		"no_reply_sent":         {GuardOnState, true, false},  // 撤回 — nothing to withdraw once a reply went out
		"destination_given":     {GuardOnInput, false, false}, // where a converted suggestion went
	}
	for _, g := range AllGuards() {
		w, ok := want[g.Name]
		if !ok {
			t.Errorf("guard %s is not classified by this test", g.Name)
			continue
		}
		if g.On != w.on || g.Hides != w.hides || g.OwnWork != w.ownWork {
			t.Errorf("guard %s: on %q hides %v own work %v, want %+v", g.Name, g.On, g.Hides, g.OwnWork, w)
		}
	}
	if len(want) != len(AllGuards()) {
		t.Errorf("%d guards classified, %d exist", len(want), len(AllGuards()))
	}
}

func offered(offers []Offer) (enabled, disabled []Action) {
	for _, o := range offers {
		if o.Enabled() {
			enabled = append(enabled, o.Action)
		} else {
			disabled = append(disabled, o.Action)
		}
	}
	return
}

// TestOffers: only actions that can succeed are offered; a state guard
// with nothing to decide hides the action, another shows it disabled with
// its reason; input guards never hide.
func TestOffers(t *testing.T) {
	t.Parallel()
	today := Date{Year: 2027, Month: 7, Day: 10}
	now := today.Time().Add(10 * time.Hour)
	lead := &Case{Kind: KindLead, State: StateAwaitingApproval, ReplyDue: today.AddDays(30), ReturnDue: today.AddDays(-20)}
	liaison, approver, drafter := []Role{RoleLiaison}, []Role{RoleApprover}, []Role{RoleDrafter}

	// No extension request: the liaison is offered no decision on it; a
	// co-opinion missing: sign is disabled, naming the unit and its due
	// date, and the liaison may waive it.
	f := Facts{Now: now, ReturnDue: lead.ReturnDue, ReplyDue: lead.ReplyDue, CoOpinionsPending: 1,
		AwaitedCoOpinions: []AwaitedCoOpinion{{Unit: "市科技创新局", Due: Date{Year: 2027, Month: 8, Day: 1}}}}
	en, dis := offered(Offers(lead, "", liaison, f))
	if !slices.Equal(en, []Action{ActionWaiveCoOpinions, ActionWithdraw, ActionConvert}) || len(dis) != 0 {
		t.Errorf("liaison, no extension request: enabled %v disabled %v, want the waiver and the suggestion's ends", en, dis)
	}
	offers := Offers(lead, "", approver, f)
	en, dis = offered(offers)
	if !slices.Equal(en, []Action{ActionReturnForRevision, ActionRequestExtension}) || !slices.Equal(dis, []Action{ActionSign}) {
		t.Errorf("approver, co-opinion missing: enabled %v disabled %v", en, dis)
	}
	for _, o := range offers {
		if o.Action == ActionSign {
			if o.Refusal.Guard != "co_opinions_in" || !strings.Contains(o.Refusal.Message, "市科技创新局（期限 2027-08-01）") {
				t.Errorf("sign refused with %+v", o.Refusal)
			}
		}
	}
	if aw := Awaited(offers); len(aw) != 1 || aw[0].Action != ActionReturnForRevision {
		t.Errorf("approver awaits %v, want return_for_revision only", aw)
	}

	// Opinions in: sign enabled, named first in the queue; no co-units: no waiver.
	f.CoOpinionsPending, f.AwaitedCoOpinions = 0, nil
	offers = Offers(lead, "", approver, f)
	if aw := Awaited(offers); len(aw) != 2 || aw[0].Action != ActionSign || aw[1].Action != ActionReturnForRevision {
		t.Errorf("approver awaits %v, want sign then return_for_revision", aw)
	}
	if en, _ := offered(Offers(lead, "", liaison, f)); !slices.Equal(en, []Action{ActionWithdraw, ActionConvert}) {
		t.Errorf("liaison, nothing to decide: offered %v, want the suggestion's ends only", en)
	}
	if aw := Awaited(Offers(lead, "", liaison, f)); len(aw) != 0 {
		t.Errorf("liaison, nothing to decide: awaits %v", aw)
	}
	// Once a unit sent its reply, the suggestion can no longer be withdrawn:
	// not offered at all.
	f.ReplySent = true
	if en, dis := offered(Offers(lead, "", liaison, f)); len(en)+len(dis) != 0 {
		t.Errorf("liaison, a reply sent: offered %v %v", en, dis)
	}
	f.ReplySent = false

	// An extension request pending: the liaison decides it (grant first);
	// the unit may not ask again, and is told why.
	f.ExtensionPending = true
	offers = Offers(lead, "", liaison, f)
	if aw := Awaited(offers); len(aw) != 2 || aw[0].Action != ActionGrantExtension || aw[1].Action != ActionRefuseExtension {
		t.Errorf("liaison awaits %v, want grant then refuse", aw)
	}
	_, dis = offered(Offers(lead, "", approver, f))
	if !slices.Equal(dis, []Action{ActionRequestExtension}) {
		t.Errorf("approver, request pending: disabled %v", dis)
	}

	// No draft: 提交审核 disabled, saying to save one; the comment a form
	// asks for never hides it.
	drafting := &Case{Kind: KindLead, State: StateDrafting, ReplyDue: lead.ReplyDue, ReturnDue: lead.ReturnDue}
	f = Facts{Now: now, ReturnDue: drafting.ReturnDue, ReplyDue: drafting.ReplyDue}
	for _, o := range Offers(drafting, "", drafter, f) {
		if o.Action == ActionSubmit && (o.Enabled() || !strings.Contains(o.Refusal.Message, "请先保存答复稿")) {
			t.Errorf("submit without a draft: %+v", o)
		}
	}
	// Drafting is the drafter's own work: the case waits for them.
	if aw := Awaited(Offers(drafting, "", drafter, f)); len(aw) != 1 || aw[0].Action != ActionSubmit || aw[0].Enabled() {
		t.Errorf("drafter without a draft awaits %v, want submit (disabled)", aw)
	}
	f.HasDraft = true
	if aw := Awaited(Offers(drafting, "", drafter, f)); len(aw) != 1 || aw[0].Action != ActionSubmit {
		t.Errorf("drafter with a draft awaits %v", aw)
	}
	// Comments are input: returning a draft is offered without one.
	review := &Case{Kind: KindLead, State: StateInReview}
	if aw := Awaited(Offers(review, "", []Role{RoleReviewer}, Facts{Now: now})); len(aw) != 2 || aw[0].Action != ActionForward {
		t.Errorf("reviewer awaits %v, want forward then return_for_revision", aw)
	}

	// A reply not to be published: no 公开 button, 不予公开 still there.
	closed := &Case{Kind: KindLead, State: StateClosed}
	en, dis = offered(Offers(closed, StatePending, approver, Facts{Now: now, Disclosure: DiscloseOnRequest}))
	if !slices.Equal(en, []Action{ActionWithhold}) || len(dis) != 0 {
		t.Errorf("reply on request: enabled %v disabled %v", en, dis)
	}
}

// TestQueueEntries: the queue's entries are the table's awaited rows, one
// per kind and role, with their state guards only; initiatives are not
// among them.
func TestQueueEntries(t *testing.T) {
	t.Parallel()
	has := func(e QueueEntry) bool {
		return slices.ContainsFunc(QueueEntries(), func(x QueueEntry) bool {
			return x.Machine == e.Machine && x.State == e.State && x.Kind == e.Kind && x.Role == e.Role && x.Action == e.Action &&
				slices.Equal(x.Guards, e.Guards)
		})
	}
	for _, e := range []QueueEntry{
		{MachineCase, StateAwaitingApproval, KindLead, RoleApprover, ActionSign, []string{"co_opinions_in", "principal_leader"}},
		{MachineCase, StateAwaitingApproval, KindCo, RoleApprover, ActionSign, nil},
		{MachineCase, StateDrafting, KindSeparate, RoleDrafter, ActionSubmit, nil},
		{MachineCase, StateInReview, KindCo, RoleReviewer, ActionReturnForRevision, nil},
		{MachineCase, StateDrafting, KindLead, RoleLiaison, ActionGrantExtension, []string{"extension_pending"}},
		{MachinePublication, StatePending, "", RoleDrafter, ActionPublish, []string{"publishable"}},
	} {
		if !has(e) {
			t.Errorf("no queue entry %+v", e)
		}
	}
	for _, e := range QueueEntries() {
		if e.Action.Initiative() || e.State == StateNone {
			t.Errorf("queue entry of %s from %q", e.Action, e.State)
		}
		if e.Machine == MachineCase && e.Kind == KindCo && e.Action == ActionSend {
			t.Errorf("a co-handling case never waits to be sent: %+v", e)
		}
	}
}

// TestTask: the queue names the step that moves the case on.
func TestTask(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		kind    CaseKind
		state   State
		pub     State
		actions []Action
		want    Action
	}{
		{KindLead, StateAwaitingApproval, "", []Action{ActionReturnForRevision, ActionSign}, ActionSign},
		{KindLead, StateInReview, "", []Action{ActionForward, ActionReturnForRevision}, ActionForward},
		{KindLead, StateReturnRequested, "", []Action{ActionApproveReturn, ActionRejectReturn}, ActionApproveReturn},
		{KindLead, StateDrafting, "", []Action{ActionGrantExtension, ActionRefuseExtension}, ActionGrantExtension},
		{KindLead, StateClosed, StatePending, []Action{ActionPublish, ActionWithhold}, ActionPublish},
		{KindLead, StateDrafting, "", nil, ""},
	} {
		if got := Task(tt.kind, tt.state, tt.pub, tt.actions); got != tt.want {
			t.Errorf("Task(%s %s %v) = %q, want %q", tt.kind, tt.state, tt.actions, got, tt.want)
		}
	}
}
