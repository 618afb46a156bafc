package workflow

import (
	"fmt"
	"slices"
)

// EffectKind names what an action does beyond moving its case (or
// publication) to the next state. Storage applies effects by kind and knows
// no action by name: what an action does is decided here.
type EffectKind string

const (
	// EffectSetDue sets one due date of the case (Date): counted by Rule from
	// the day From, or the given Value (a granted extension). With AtLeast,
	// the date only ever moves later.
	EffectSetDue EffectKind = "set_due"
	// EffectNewRound opens the next handling round (重办): the round number
	// goes up by one; what the round owes comes with the EffectSetDue that
	// follow it.
	EffectNewRound EffectKind = "new_round"
	// EffectWaiveCoOpinions records the liaison's consent that the lead unit
	// signs without the missing co-opinions (同意主办单位先行答复).
	EffectWaiveCoOpinions EffectKind = "waive_co_opinions"
	// EffectCreateReply stores the signed reply (答复) of the round: its
	// latest draft with the class, disclosure and document number of the
	// input.
	EffectCreateReply EffectKind = "create_reply"
	// EffectSendReply records that the round's signed reply went to the
	// deputy.
	EffectSendReply EffectKind = "send_reply"
	// EffectCreatePublication opens the publication (公开) of the reply just
	// sent, pending, due by Rule from From.
	EffectCreatePublication EffectKind = "create_publication"
	// EffectSetPublication moves the reply's publication to State
	// (published, or withheld with the input's comment as the reason).
	EffectSetPublication EffectKind = "set_publication"
	// EffectRecordFeedback stores the deputy's feedback form (征询意见表) on
	// the round's sent reply.
	EffectRecordFeedback EffectKind = "record_feedback"
	// EffectRequestExtension records an extension request (申请延期) for the
	// input's due date; the liaison's decision is due by Rule from From.
	EffectRequestExtension EffectKind = "request_extension"
	// EffectDecideExtension records the liaison's decision (Extension:
	// granted or refused) on the pending extension request.
	EffectDecideExtension EffectKind = "decide_extension"
	// EffectEndProposal records the suggestion's outcome (State: withdrawn
	// or converted) with the input's reason and destination, once for all
	// its cases.
	EffectEndProposal EffectKind = "end_proposal"
)

// CaseDate names one of a case's stored due dates.
type CaseDate string

const (
	// DateReplyDue is the reply due date in force (答复期限).
	DateReplyDue CaseDate = "reply_due"
	// DateCoOpinionDue is a co-handling unit's opinion due date.
	DateCoOpinionDue CaseDate = "co_opinion_due"
	// DateReturnDue is the last day to ask for a return.
	DateReturnDue CaseDate = "return_due"
	// DateRehandleDue is the due date of a re-handling round.
	DateRehandleDue CaseDate = "rehandle_due"
)

// Effect is one thing an action does, as data.
type Effect struct {
	Kind EffectKind
	// Date is the due date EffectSetDue sets.
	Date CaseDate
	// Rule and From count a due date (EffectSetDue, EffectCreatePublication,
	// EffectRequestExtension): the period of Rule after the day From.
	Rule RuleName
	From Date
	// Value is the due date itself when no rule counts it (a granted
	// extension).
	Value Date
	// AtLeast keeps a due date from moving earlier (EffectSetDue).
	AtLeast bool
	// Audit: the audit event records the new date under the name of Date
	// (EffectSetDue).
	Audit bool
	// State is the publication's new state (EffectSetPublication).
	State State
	// Extension is the decision (EffectDecideExtension).
	Extension ExtensionState
}

// String describes the effect for developers and the generated docs.
func (e Effect) String() string {
	switch e.Kind {
	case EffectSetDue:
		how := fmt.Sprintf("%s from %s", e.Rule, e.From)
		if e.Rule == "" {
			how = e.Value.String()
		}
		if e.AtLeast {
			how = "at least " + how
		}
		return fmt.Sprintf("set %s: %s", e.Date, how)
	case EffectCreatePublication, EffectRequestExtension:
		return fmt.Sprintf("%s (due: %s from %s)", e.Kind, e.Rule, e.From)
	case EffectSetPublication, EffectEndProposal:
		return fmt.Sprintf("%s %s", e.Kind, e.State)
	case EffectDecideExtension:
		return fmt.Sprintf("%s %s", e.Kind, e.Extension)
	}
	return string(e.Kind)
}

// Apply applies the effects that change only the case itself (due dates
// with their provisional flags, the round, the waiver) to c; due counts a
// rule's period from a day on the session's rules and calendar. The effects
// that write other records (replies, publications, feedback, extensions)
// are storage's; Apply leaves them alone.
func (e Effect) Apply(c *Case, due func(RuleName, Date) (DueDate, error)) error {
	switch e.Kind {
	case EffectNewRound:
		c.Round++
	case EffectWaiveCoOpinions:
		c.CoOpinionsWaived = true
	case EffectSetDue:
		// A date given by a person (a granted extension) is never provisional.
		d := DueDate{Date: e.Value}
		if e.Rule != "" {
			var err error
			if d, err = due(e.Rule, e.From); err != nil {
				return err
			}
		}
		p, prov := c.dateField(e.Date), c.provisionalField(e.Date)
		if p == nil || prov == nil {
			return Errorf(ErrInvalid, "unknown case date %q", e.Date)
		}
		if e.AtLeast && !p.Before(d.Date) {
			return nil
		}
		*p, *prov = d.Date, d.Provisional
	}
	return nil
}

// Date returns the case's due date named d (zero for an unknown name).
func (c *Case) Date(d CaseDate) Date {
	if p := c.dateField(d); p != nil {
		return *p
	}
	return Date{}
}

func (c *Case) dateField(d CaseDate) *Date {
	switch d {
	case DateReplyDue:
		return &c.ReplyDue
	case DateCoOpinionDue:
		return &c.CoOpinionDue
	case DateReturnDue:
		return &c.ReturnDue
	case DateRehandleDue:
		return &c.RehandleDue
	}
	return nil
}

// DateProvisional reports whether the case's due date named d was counted
// without a year's holiday data (暂定).
func (c *Case) DateProvisional(d CaseDate) bool {
	if p := c.provisionalField(d); p != nil {
		return *p
	}
	return false
}

// provisionalField is the provisional flag of the due date d.
func (c *Case) provisionalField(d CaseDate) *bool {
	switch d {
	case DateReplyDue:
		return &c.Provisional.Reply
	case DateCoOpinionDue:
		return &c.Provisional.CoOpinion
	case DateReturnDue:
		return &c.Provisional.Return
	case DateRehandleDue:
		return &c.Provisional.Rehandle
	}
	return nil
}

// effectsOf says what taking row t does, given the facts it was decided on:
// the one place that knows what each action means beyond its new state.
func effectsOf(t Transition, kind CaseKind, f Facts) []Effect {
	day := DateOf(f.Now)
	due := func(d CaseDate, r RuleName) Effect {
		return Effect{Kind: EffectSetDue, Date: d, Rule: r, From: day, Audit: true}
	}
	switch t.Action {
	case ActionAssign:
		// Every period runs from the day of assignment (DESIGN.md §2).
		// The extension cap is not among them: it is counted when an
		// extension is requested or decided (Calendar.ExtensionCap), so that
		// assignment never reads a year the calendar may not have yet.
		out := []Effect{due(DateReplyDue, RuleReply), due(DateReturnDue, RuleReturnWindow)}
		if kind == KindCo {
			out = append(out, due(DateCoOpinionDue, RuleCoOpinion))
		}
		return out
	case ActionSign:
		if !kind.RepliesToDeputy() {
			return nil // a co-opinion: its latest draft is the opinion the lead unit reads
		}
		return []Effect{{Kind: EffectCreateReply}}
	case ActionSend:
		return []Effect{{Kind: EffectSendReply}, {Kind: EffectCreatePublication, Rule: RulePublication, From: day}}
	case ActionRecordFeedback:
		out := []Effect{{Kind: EffectRecordFeedback}}
		if t.To == StateRehandling {
			// 不满意: a new round, due by the rehandle rule from the feedback.
			reply := due(DateReplyDue, RuleRehandle)
			reply.Audit = false
			out = append(out, Effect{Kind: EffectNewRound}, due(DateRehandleDue, RuleRehandle), reply)
		}
		return out
	case ActionWaiveCoOpinions:
		return []Effect{{Kind: EffectWaiveCoOpinions}}
	case ActionRequestExtension:
		return []Effect{{Kind: EffectRequestExtension, Rule: RuleExtensionDecision, From: day}}
	case ActionGrantExtension:
		return []Effect{{Kind: EffectDecideExtension, Extension: ExtensionGranted},
			{Kind: EffectSetDue, Date: DateReplyDue, Value: f.Input.Due}}
	case ActionRefuseExtension:
		return []Effect{{Kind: EffectDecideExtension, Extension: ExtensionRefused}}
	case ActionPublish, ActionWithhold:
		return []Effect{{Kind: EffectSetPublication, State: t.To}}
	case ActionWithdraw, ActionConvert:
		return []Effect{{Kind: EffectEndProposal, State: t.To}}
	}
	return nil
}

// NextRoles lists the roles that may act on a case of kind in state s (for
// a publication: kind "" and its state), in the order of AllRoles: who
// must act next. A terminal state has none. Ending the whole suggestion
// (撤回, 不作为建议处理) is open to the liaison in every state before a reply,
// but no case waits for it: it makes no one the next to act.
func NextRoles(kind CaseKind, s State) []Role {
	var out []Role
	for _, r := range AllRoles() {
		if slices.ContainsFunc(Available(kind, s, []Role{r}), func(t Transition) bool { return !t.Action.ProposalWide() }) {
			out = append(out, r)
		}
	}
	return slices.Clip(out)
}

// DeadlineEndReason says why a stored deadline of kind k ends as the case
// moves to state to: "moved" when the case still carries it with another
// due date, "void" when the case was returned or closed before it was met
// (a deputy's feedback is met by the closing feedback itself), for a
// progress report when the suggestion stopped being key while its reply
// is still owed, or when its suggestion was withdrawn or converted; else
// "met".
func DeadlineEndReason(to State, k DeadlineKind, stillCarried bool) string {
	switch {
	case stillCarried:
		return "moved"
	case to == StateReturned || to.Outcome() || to == StateClosed && k != DeadlineFeedback:
		return "void"
	case k == DeadlineProgress && to.Open():
		return "void"
	}
	return "met"
}
