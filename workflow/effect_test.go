package workflow

import (
	"slices"
	"testing"
	"time"
)

// TestDecideEffects writes out, from DESIGN.md §2–3, what each action does
// beyond its new state.
func TestDecideEffects(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 7, 1, 10, 0, 0, 0, Zone())
	day := DateOf(now)
	due := Date{Year: 2024, Month: 9, Day: 30}
	tests := []struct {
		name string
		req  Request
		want []Effect
		next []Role
	}{
		{"assign lead", Request{Kind: KindLead, Action: ActionAssign, Roles: []Role{RoleLiaison}},
			[]Effect{
				{Kind: EffectSetDue, Date: DateReplyDue, Rule: RuleReply, From: day, Audit: true},
				{Kind: EffectSetDue, Date: DateReturnDue, Rule: RuleReturnWindow, From: day, Audit: true},
			}, []Role{RoleDrafter, RoleReviewer, RoleApprover, RoleLiaison}}, // the liaison may waive co-opinions
		{"assign co", Request{Kind: KindCo, Action: ActionAssign, Roles: []Role{RoleLiaison}},
			[]Effect{
				{Kind: EffectSetDue, Date: DateReplyDue, Rule: RuleReply, From: day, Audit: true},
				{Kind: EffectSetDue, Date: DateReturnDue, Rule: RuleReturnWindow, From: day, Audit: true},
				{Kind: EffectSetDue, Date: DateCoOpinionDue, Rule: RuleCoOpinion, From: day, Audit: true},
			}, []Role{RoleDrafter, RoleReviewer, RoleApprover}},
		{"accept", Request{Kind: KindLead, From: StateAssigned, Action: ActionAccept, Roles: []Role{RoleDrafter}},
			nil, []Role{RoleDrafter, RoleReviewer, RoleApprover, RoleLiaison}},
		{"sign a reply", Request{Kind: KindLead, From: StateAwaitingApproval, Action: ActionSign, Roles: []Role{RoleApprover},
			Facts: Facts{Input: Input{Class: ClassA, Disclosure: DisclosePublic}}},
			[]Effect{{Kind: EffectCreateReply}}, []Role{RoleDrafter}},
		{"sign a co-opinion", Request{Kind: KindCo, From: StateAwaitingApproval, Action: ActionSign, Roles: []Role{RoleApprover}},
			nil, nil},
		{"send", Request{Kind: KindSeparate, From: StateApproved, Action: ActionSend, Roles: []Role{RoleDrafter}},
			[]Effect{{Kind: EffectSendReply}, {Kind: EffectCreatePublication, Rule: RulePublication, From: day}},
			[]Role{RoleLiaison, RoleDeputy}},
		{"feedback 不满意", Request{Kind: KindLead, From: StateReplied, Action: ActionRecordFeedback, Roles: []Role{RoleDeputy},
			Facts: Facts{Input: Input{WorkRating: RatingSatisfied, ResultRating: RatingDissatisfied}}},
			[]Effect{
				{Kind: EffectRecordFeedback},
				{Kind: EffectNewRound},
				{Kind: EffectSetDue, Date: DateRehandleDue, Rule: RuleRehandle, From: day, Audit: true},
				{Kind: EffectSetDue, Date: DateReplyDue, Rule: RuleRehandle, From: day},
			}, []Role{RoleDrafter, RoleReviewer, RoleApprover, RoleLiaison}}, // accept; any unit role may ask for more time
		{"feedback 满意", Request{Kind: KindLead, From: StateReplied, Action: ActionRecordFeedback, Roles: []Role{RoleLiaison},
			Facts: Facts{Input: Input{WorkRating: RatingSatisfied, ResultRating: RatingBasicallySatisfied}}},
			[]Effect{{Kind: EffectRecordFeedback}}, nil},
		{"waive", Request{Kind: KindLead, From: StateInReview, Action: ActionWaiveCoOpinions, Roles: []Role{RoleLiaison},
			Facts: Facts{CoOpinionsPending: 1}},
			[]Effect{{Kind: EffectWaiveCoOpinions}}, []Role{RoleDrafter, RoleReviewer, RoleApprover, RoleLiaison}},
		{"request extension", Request{Kind: KindLead, From: StateDrafting, Action: ActionRequestExtension, Roles: []Role{RoleDrafter},
			Facts: Facts{ReplyDue: day.AddDays(60), ExtensionCap: day.AddDays(180), Input: Input{Comment: "调研", Due: due.AddDays(30)}}},
			[]Effect{{Kind: EffectRequestExtension, Rule: RuleExtensionDecision, From: day}},
			[]Role{RoleDrafter, RoleReviewer, RoleApprover, RoleLiaison}},
		{"grant extension", Request{Kind: KindLead, From: StateDrafting, Action: ActionGrantExtension, Roles: []Role{RoleLiaison},
			Facts: Facts{ExtensionPending: true, ReplyDue: day.AddDays(60), ExtensionCap: day.AddDays(180), Input: Input{Due: due.AddDays(30)}}},
			[]Effect{{Kind: EffectDecideExtension, Extension: ExtensionGranted}, {Kind: EffectSetDue, Date: DateReplyDue, Value: due.AddDays(30)}},
			[]Role{RoleDrafter, RoleReviewer, RoleApprover, RoleLiaison}},
		{"refuse extension", Request{Kind: KindLead, From: StateDrafting, Action: ActionRefuseExtension, Roles: []Role{RoleLiaison},
			Facts: Facts{ExtensionPending: true, Input: Input{Comment: "理由不充分"}}},
			[]Effect{{Kind: EffectDecideExtension, Extension: ExtensionRefused}},
			[]Role{RoleDrafter, RoleReviewer, RoleApprover, RoleLiaison}},
		{"publish", Request{From: StatePending, Action: ActionPublish, Roles: []Role{RoleDrafter}, Facts: Facts{Disclosure: DiscloseSummary}},
			[]Effect{{Kind: EffectSetPublication, State: StatePublished}}, nil},
		{"withhold", Request{From: StatePending, Action: ActionWithhold, Roles: []Role{RoleApprover}, Facts: Facts{Input: Input{Comment: "涉密"}}},
			[]Effect{{Kind: EffectSetPublication, State: StateWithheld}}, nil},
	}
	for _, tt := range tests {
		tt.req.Facts.Now = now
		d, err := Decide(tt.req)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !slices.Equal(d.Effects, tt.want) {
			t.Errorf("%s: effects\n got %v\nwant %v", tt.name, d.Effects, tt.want)
		}
		if !slices.Equal(d.Next, tt.next) {
			t.Errorf("%s: next %v, want %v", tt.name, d.Next, tt.next)
		}
	}
}

func TestEffectApply(t *testing.T) {
	t.Parallel()
	d := func(s string) Date {
		v, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// A stand-in count: 30 days later, provisional from 2028 on (a year the
	// built-in calendar lacks).
	plus := func(r RuleName, from Date) (DueDate, error) {
		due := from.AddDays(30)
		return DueDate{Date: due, Provisional: due.Year >= 2028}, nil
	}
	c := &Case{Round: 1, ReplyDue: d("2024-10-08")}
	for _, e := range []Effect{
		{Kind: EffectNewRound},
		{Kind: EffectSetDue, Date: DateRehandleDue, Rule: RuleRehandle, From: d("2024-09-25")},
		{Kind: EffectSetDue, Date: DateReplyDue, Rule: RuleRehandle, From: d("2024-09-01"), AtLeast: true},
		{Kind: EffectWaiveCoOpinions},
	} {
		if err := e.Apply(c, plus); err != nil {
			t.Fatal(err)
		}
	}
	if c.Round != 2 || c.RehandleDue != d("2024-10-25") || c.ReplyDue != d("2024-10-08") || !c.CoOpinionsWaived {
		t.Errorf("after effects: %+v", c)
	}
	(Effect{Kind: EffectSetDue, Date: DateReplyDue, Rule: RuleRehandle, From: d("2027-12-25"), AtLeast: true}).Apply(c, plus)
	if c.ReplyDue != d("2028-01-24") || !c.Provisional.Reply {
		t.Errorf("reply due %s (provisional %v), want it moved later to 2028-01-24, provisional", c.ReplyDue, c.Provisional.Reply)
	}
	// A date a person gave (a granted extension) is not provisional.
	(Effect{Kind: EffectSetDue, Date: DateReplyDue, Value: d("2028-03-01")}).Apply(c, plus)
	if c.ReplyDue != d("2028-03-01") || c.Provisional.Reply {
		t.Errorf("granted reply due %s (provisional %v), want 2028-03-01, not provisional", c.ReplyDue, c.Provisional.Reply)
	}
}
