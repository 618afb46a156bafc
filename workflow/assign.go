package workflow

// AssignedCase is what the assignment rules look at of a case a proposal
// already has: its kind and state.
type AssignedCase struct {
	Kind  CaseKind
	State State
}

// The assignment rules CheckKindMix names in its refusals (Error.Guard).
const (
	// AssignOneLead: a proposal has one live lead unit.
	AssignOneLead = "one_lead"
	// AssignKindMix: separate handling does not mix with lead and co-handling.
	AssignKindMix = "kind_mix"
	// AssignCoBeforeSignOff: a co-handling unit joins only before the lead
	// unit's sign-off.
	AssignCoBeforeSignOff = "co_before_sign_off"
	// AssignNotEnded: a suggestion withdrawn or not handled as a
	// suggestion (撤回, 不作为建议处理) is assigned to no one any more.
	AssignNotEnded = "not_ended"
)

// CheckKindMix decides whether a proposal whose cases are existing may get
// one more case of kind (交办). A proposal is handled either by one lead unit
// (主办) with any co-handling units (协办), or by separate units (分办) that
// each reply on their own; returned cases (已退回) no longer count. A
// co-handling unit joins only while the lead unit has not signed its reply
// off: once the lead case is approved, replied or closed its reply no longer
// waits for opinions, so a late co-unit would owe an opinion nobody reads.
// (A re-handling round reopens the lead case, and co-units may join again.)
// The refusal is a conflict in plain words: the liaison's page was out of
// date, or another liaison assigned the proposal first.
func CheckKindMix(existing []AssignedCase, kind CaseKind) error {
	var lead *AssignedCase
	separate, leadOrCo := 0, 0
	for i, c := range existing {
		if c.State.Outcome() {
			return &Error{Code: ErrConflict, Message: "该建议已撤回或不作为建议处理，不能再交办，请刷新后查看", Guard: AssignNotEnded}
		}
		if !c.State.Live() {
			continue
		}
		switch c.Kind {
		case KindSeparate:
			separate++
		case KindLead:
			lead = &existing[i]
			leadOrCo++
		default:
			leadOrCo++
		}
	}
	refuse := func(rule, msg string) error { return &Error{Code: ErrConflict, Message: msg, Guard: rule} }
	switch {
	case kind == KindSeparate && leadOrCo > 0:
		return refuse(AssignKindMix, "该建议已交由主办、协办单位办理，不能再分办，请刷新后查看")
	case kind != KindSeparate && separate > 0:
		return refuse(AssignKindMix, "该建议已分办，不能再交办主办或协办单位，请刷新后查看")
	case kind == KindLead && lead != nil:
		return refuse(AssignOneLead, "该建议已有主办单位，不能再交办第二个主办单位，请刷新后查看")
	case kind == KindCo && lead != nil && leadSigned(lead.State):
		return refuse(AssignCoBeforeSignOff, "主办单位已签发答复，不能再增加协办单位，请刷新后查看")
	}
	return nil
}

// leadSigned reports whether a lead case in state s has its reply signed
// off in the current round.
func leadSigned(s State) bool {
	return s == StateApproved || s == StateReplied || s == StateClosed
}
