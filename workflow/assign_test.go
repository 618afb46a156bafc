package workflow

import "testing"

// TestCheckKindMix writes out DESIGN.md §3's assignment rules: lead(+co) or
// separate, never both; one lead; no co-unit after the lead signed off.
func TestCheckKindMix(t *testing.T) {
	t.Parallel()
	lead := func(s State) AssignedCase { return AssignedCase{KindLead, s} }
	co := func(s State) AssignedCase { return AssignedCase{KindCo, s} }
	sep := func(s State) AssignedCase { return AssignedCase{KindSeparate, s} }
	tests := []struct {
		name     string
		existing []AssignedCase
		kind     CaseKind
		ok       bool
	}{
		{"first lead", nil, KindLead, true},
		{"first separate", nil, KindSeparate, true},
		{"co before its lead", nil, KindCo, true},
		{"co beside a drafting lead", []AssignedCase{lead(StateDrafting)}, KindCo, true},
		{"co beside a lead awaiting sign-off", []AssignedCase{lead(StateAwaitingApproval)}, KindCo, true},
		{"co after the lead signed", []AssignedCase{lead(StateApproved)}, KindCo, false},
		{"co after the lead replied", []AssignedCase{lead(StateReplied)}, KindCo, false},
		{"co after the lead closed", []AssignedCase{lead(StateClosed)}, KindCo, false},
		{"co in a re-handling round", []AssignedCase{lead(StateRehandling)}, KindCo, true},
		{"second lead", []AssignedCase{lead(StateAssigned)}, KindLead, false},
		{"lead after a returned lead", []AssignedCase{lead(StateReturned), co(StateDrafting)}, KindLead, true},
		{"separate beside a lead", []AssignedCase{lead(StateAssigned)}, KindSeparate, false},
		{"separate beside a co", []AssignedCase{co(StateAssigned)}, KindSeparate, false},
		{"lead beside a separate", []AssignedCase{sep(StateDrafting)}, KindLead, false},
		{"co beside a separate", []AssignedCase{sep(StateDrafting)}, KindCo, false},
		{"second separate", []AssignedCase{sep(StateDrafting)}, KindSeparate, true},
		{"lead after every separate returned", []AssignedCase{sep(StateReturned)}, KindLead, true},
	}
	for _, tt := range tests {
		err := CheckKindMix(tt.existing, tt.kind)
		if (err == nil) != tt.ok {
			t.Errorf("%s: %v, want allowed=%v", tt.name, err, tt.ok)
		}
		if err != nil && Code(err) != ErrConflict {
			t.Errorf("%s: code %s, want conflict", tt.name, Code(err))
		}
	}
}
