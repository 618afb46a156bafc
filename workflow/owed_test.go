package workflow

import (
	"slices"
	"testing"
)

// TestOwedAndDue: what a unit owes and by when, per kind and state
// (DESIGN.md §3), written out.
func TestOwedAndDue(t *testing.T) {
	t.Parallel()
	reply, co, rehandle := testDate("2024-10-08"), testDate("2024-08-01"), testDate("2024-11-25")
	tests := []struct {
		kind  CaseKind
		state State
		round int
		owes  Owed
		due   Date
		dk    DeadlineKind
	}{
		{KindLead, StateAssigned, 1, OwedReply, reply, DeadlineReply},
		{KindLead, StateReturnRequested, 1, OwedReply, reply, DeadlineReply},
		{KindLead, StateDrafting, 1, OwedReply, reply, DeadlineReply},
		{KindLead, StateAwaitingApproval, 1, OwedReply, reply, DeadlineReply},
		{KindSeparate, StateApproved, 1, OwedReply, reply, DeadlineReply}, // signed, not yet sent
		{KindLead, StateReplied, 1, OwedNothing, reply, DeadlineReply},
		{KindLead, StateClosed, 1, OwedNothing, reply, DeadlineReply},
		{KindLead, StateReturned, 1, OwedNothing, reply, DeadlineReply},
		{KindLead, StateRehandling, 2, OwedReply, rehandle, DeadlineRehandle},
		{KindLead, StateDrafting, 2, OwedReply, rehandle, DeadlineRehandle},
		{KindCo, StateAssigned, 1, OwedCoOpinion, co, DeadlineCoOpinion},
		{KindCo, StateAwaitingApproval, 1, OwedCoOpinion, co, DeadlineCoOpinion},
		{KindCo, StateOpinionSubmitted, 1, OwedNothing, co, DeadlineCoOpinion},
		{KindCo, StateReturned, 1, OwedNothing, co, DeadlineCoOpinion},
	}
	for _, tt := range tests {
		c := &Case{Kind: tt.kind, State: tt.state, Round: tt.round, ReplyDue: reply, CoOpinionDue: co}
		if tt.round > 1 {
			c.ReplyDue, c.RehandleDue = rehandle, rehandle
		}
		if got := c.Owes(); got != tt.owes {
			t.Errorf("%s %s: owes %q, want %q", tt.kind, tt.state, got, tt.owes)
		}
		if got := c.Due(); got != tt.due {
			t.Errorf("%s %s round %d: due %s, want %s", tt.kind, tt.state, tt.round, got, tt.due)
		}
		if got := c.DueDeadline(); got != tt.dk {
			t.Errorf("%s %s round %d: deadline %s, want %s", tt.kind, tt.state, tt.round, got, tt.dk)
		}
	}
	pending := map[State]bool{StateAssigned: true, StateDrafting: true, StateAwaitingApproval: true,
		StateOpinionSubmitted: false, StateReturned: false, StateReturnRequested: true}
	for s, want := range pending {
		if got := CoOpinionPending(KindCo, s); got != want {
			t.Errorf("co %s: pending %v, want %v", s, got, want)
		}
		if CoOpinionPending(KindLead, s) || CoOpinionPending(KindSeparate, s) {
			t.Errorf("a %s case is counted as a co-opinion", s)
		}
	}
}

// TestUrgency: overdue and due soon on the 2024 calendar. On Monday
// 2024-09-23, the 7th working day after is 2024-10-08 (National Day
// 10-01..07 and its make-up Sunday 09-29 counted), so a reply due
// 2024-10-08 is due soon (amber), one due 2024-10-09 is not (green).
func TestUrgency(t *testing.T) {
	t.Parallel()
	cal := NewCalendar(nil)
	today := testDate("2024-09-23")
	until, exact := SoonUntil(cal, today)
	if until != testDate("2024-10-08") || !exact {
		t.Fatalf("soon until %s (exact %v), want 2024-10-08", until, exact)
	}
	tests := []struct {
		due         string
		light       Light
		days, late  int
		overdue     bool
		dueSoon     bool
		description string
	}{
		{"2024-10-09", LightGreen, 8, 0, false, false, "8 working days left"},
		{"2024-10-08", LightAmber, 7, 0, false, true, "the 7th working day"},
		{"2024-09-23", LightAmber, 0, 0, false, true, "due today"},
		{"2024-09-20", LightRed, -1, 1, true, false, "due last Friday"},
		{"2024-09-13", LightRed, -5, 5, true, false, "Mid-Autumn 09-15..17 off, Saturday 09-14 a make-up working day"},
	}
	for _, tt := range tests {
		due := testDate(tt.due)
		u := UrgencyOf(cal, today, due)
		if !u.Known || u.Light != tt.light || u.Days != tt.days || u.Late != tt.late {
			t.Errorf("%s (%s): %+v, want %s, %d days, %d late", tt.due, tt.description, u, tt.light, tt.days, tt.late)
		}
		c := &Case{Kind: KindLead, State: StateDrafting, Round: 1, ReplyDue: due}
		if c.Overdue(today) != tt.overdue || c.DueSoon(today, until) != tt.dueSoon {
			t.Errorf("%s (%s): overdue %v, due soon %v", tt.due, tt.description, c.Overdue(today), c.DueSoon(today, until))
		}
		c.State = StateReplied // owes nothing: never overdue nor due soon
		if c.Overdue(today) || c.DueSoon(today, until) {
			t.Errorf("%s: a replied case counts as overdue or due soon", tt.due)
		}
	}
	// A Saturday after a Friday due day: late, though by no working day yet.
	if u := UrgencyOf(cal, testDate("2024-09-21"), testDate("2024-09-20")); u.Light != LightRed {
		t.Errorf("the day after the due day: %+v, want red", u)
	}
}

// TestFeedbackLink: only the liaison creates the deputy's link, only for a
// sent reply awaiting feedback (state replied, lead or separate).
func TestFeedbackLink(t *testing.T) {
	t.Parallel()
	liaison := []Role{RoleLiaison}
	tests := []struct {
		kind  CaseKind
		state State
		roles []Role
		code  ErrorCode // "" when allowed
	}{
		{KindLead, StateReplied, liaison, ""},
		{KindSeparate, StateReplied, liaison, ""},
		{KindLead, StateReplied, []Role{RoleDrafter, RoleReviewer, RoleApprover}, ErrForbidden},
		{KindLead, StateReplied, nil, ErrForbidden},
		{KindLead, StateApproved, liaison, ErrConflict},
		{KindLead, StateClosed, liaison, ErrConflict},
		{KindLead, StateRehandling, liaison, ErrConflict},
		{KindCo, StateOpinionSubmitted, liaison, ErrConflict},
	}
	for _, tt := range tests {
		err := MayLinkFeedback(&Case{Kind: tt.kind, State: tt.state}, tt.roles)
		if Code(err) != tt.code && !(tt.code == "" && err == nil) {
			t.Errorf("%s %s as %v: %v, want %q", tt.kind, tt.state, tt.roles, err, tt.code)
		}
	}
}

// TestUnitDuty: a unit is late with its reply, co-opinion, re-handled reply
// and publication; the return window is a chance, not a duty; deciding an
// extension and chasing feedback are the liaison office's.
func TestUnitDuty(t *testing.T) {
	t.Parallel()
	want := []DeadlineKind{DeadlineReply, DeadlineCoOpinion, DeadlineRehandle, DeadlinePublication}
	if got := UnitDutyKinds(); !slices.Equal(got, want) {
		t.Errorf("unit duties %v, want %v", got, want)
	}
}

func TestReplying(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		kind CaseKind
		s    State
		want bool
	}{
		{KindLead, StateDrafting, true}, {KindSeparate, StateClosed, true}, {KindCo, StateDrafting, false},
		{KindLead, StateReturned, false}, {KindLead, StateWithdrawn, false}, {KindSeparate, StateConverted, false},
	} {
		if got := Replying(tt.kind, tt.s); got != tt.want {
			t.Errorf("Replying(%s, %s) = %v", tt.kind, tt.s, got)
		}
	}
}
