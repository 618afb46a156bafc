package workflow

import (
	"fmt"
	"slices"
	"strings"
)

// Transition is one row of the transition table: in machine Machine, a case
// of one of Kinds (all kinds when empty) in state From may take Action by a
// user holding one of Roles, when every guard passes, and then is in state To.
type Transition struct {
	Machine Machine
	From    State
	Action  Action
	Roles   []Role
	Kinds   []CaseKind
	Guards  []Guard
	To      State
}

// AppliesTo reports whether the row covers a case of kind k (publications
// have no kind: pass "").
func (t Transition) AppliesTo(k CaseKind) bool {
	return len(t.Kinds) == 0 || k == "" || slices.Contains(t.Kinds, k)
}

// AllowsRole reports whether r may take the row's action.
func (t Transition) AllowsRole(r Role) bool { return slices.Contains(t.Roles, r) }

// SelfLoop reports whether the action leaves the state as it is (a decision
// recorded on the case, such as an extension).
func (t Transition) SelfLoop() bool { return t.From == t.To }

// GuardNames lists the names of the row's guards.
func (t Transition) GuardNames() []string {
	names := make([]string, len(t.Guards))
	for i, g := range t.Guards {
		names[i] = g.Name
	}
	return names
}

var (
	unitRoles      = []Role{RoleDrafter, RoleReviewer, RoleApprover}
	acceptRoles    = []Role{RoleDrafter, RoleReviewer}
	replyingKinds  = []CaseKind{KindLead, KindSeparate}
	extensionFroms = []State{StateAssigned, StateDrafting, StateInReview, StateAwaitingApproval, StateRehandling}
	// outcomeFroms are the states in which a suggestion may still end
	// without a reply (撤回, 不作为建议处理): every open state before a reply
	// is sent (GuardNoReplySent checks the suggestion's other cases).
	outcomeFroms = []State{StateAssigned, StateReturnRequested, StateDrafting, StateInReview, StateAwaitingApproval, StateApproved}
)

// table is the transition table: the single source of what may happen.
var table = buildTable()

func buildTable() []Transition {
	c := MachineCase
	rows := []Transition{
		{c, StateNone, ActionAssign, []Role{RoleLiaison}, nil, nil, StateAssigned},
		{c, StateAssigned, ActionAccept, acceptRoles, nil, nil, StateDrafting},
		{c, StateAssigned, ActionRequestReturn, unitRoles, nil, []Guard{GuardWithinReturnWindow, GuardCommentGiven}, StateReturnRequested},
		{c, StateReturnRequested, ActionApproveReturn, []Role{RoleLiaison}, nil, nil, StateReturned},
		{c, StateReturnRequested, ActionRejectReturn, []Role{RoleLiaison}, nil, []Guard{GuardCommentGiven}, StateAssigned},
		{c, StateDrafting, ActionSubmit, []Role{RoleDrafter}, nil, []Guard{GuardHasDraft}, StateInReview},
		{c, StateInReview, ActionForward, []Role{RoleReviewer}, nil, nil, StateAwaitingApproval},
		{c, StateInReview, ActionReturnForRevision, []Role{RoleReviewer}, nil, []Guard{GuardCommentGiven}, StateDrafting},
		{c, StateAwaitingApproval, ActionReturnForRevision, []Role{RoleApprover}, nil, []Guard{GuardCommentGiven}, StateDrafting},
		{c, StateAwaitingApproval, ActionSign, []Role{RoleApprover}, replyingKinds, []Guard{GuardReplyDecided, GuardCoOpinionsIn, GuardPrincipalLeader}, StateApproved},
		{c, StateAwaitingApproval, ActionSign, []Role{RoleApprover}, []CaseKind{KindCo}, nil, StateOpinionSubmitted},
		{c, StateApproved, ActionSend, []Role{RoleDrafter}, replyingKinds, nil, StateReplied},
		{c, StateReplied, ActionRecordFeedback, []Role{RoleLiaison, RoleDeputy}, replyingKinds, []Guard{GuardFeedbackComplete, GuardFeedbackSatisfied}, StateClosed},
		{c, StateReplied, ActionRecordFeedback, []Role{RoleLiaison, RoleDeputy}, replyingKinds, []Guard{GuardFeedbackComplete, GuardFeedbackDissatisfied}, StateRehandling},
		{c, StateRehandling, ActionAccept, acceptRoles, replyingKinds, nil, StateDrafting},
	}
	for _, s := range []State{StateAssigned, StateDrafting, StateInReview, StateAwaitingApproval} {
		rows = append(rows, Transition{c, s, ActionWaiveCoOpinions, []Role{RoleLiaison}, []CaseKind{KindLead}, []Guard{GuardCoOpinionsPending}, s})
	}
	for _, s := range extensionFroms {
		rows = append(rows,
			Transition{c, s, ActionRequestExtension, unitRoles, replyingKinds, []Guard{GuardNoExtensionPending, GuardCommentGiven, GuardExtensionWithinCap}, s},
			Transition{c, s, ActionGrantExtension, []Role{RoleLiaison}, replyingKinds, []Guard{GuardExtensionPending, GuardExtensionWithinCap}, s},
			Transition{c, s, ActionRefuseExtension, []Role{RoleLiaison}, replyingKinds, []Guard{GuardExtensionPending, GuardCommentGiven}, s},
		)
	}
	for _, s := range outcomeFroms {
		rows = append(rows,
			Transition{c, s, ActionWithdraw, []Role{RoleLiaison}, nil, []Guard{GuardNoReplySent, GuardCommentGiven}, StateWithdrawn},
			Transition{c, s, ActionConvert, []Role{RoleLiaison}, nil, []Guard{GuardNoReplySent, GuardCommentGiven, GuardDestinationGiven}, StateConverted},
		)
	}
	p := MachinePublication
	rows = append(rows,
		Transition{p, StatePending, ActionPublish, []Role{RoleDrafter, RoleApprover}, nil, []Guard{GuardPublishable}, StatePublished},
		Transition{p, StatePending, ActionWithhold, []Role{RoleApprover}, nil, []Guard{GuardCommentGiven}, StateWithheld},
	)
	return rows
}

// Table returns a copy of the transition table, in its order.
func Table() []Transition { return slices.Clone(table) }

// Request asks whether a user holding Roles may take Action on a case of
// Kind in state From (for a publication: Kind "" and a publication state),
// given Facts for the guards.
type Request struct {
	Kind   CaseKind
	From   State
	Action Action
	Roles  []Role
	Facts  Facts
}

// Decision is the outcome of an allowed request: the row that applies, the
// role under which the user acts, what the action does (Effects, in the
// order to apply them) and who acts next on the case.
type Decision struct {
	Transition
	Role Role
	// Effects is what the action does beyond the state change.
	Effects []Effect
	// Next lists the roles that may act after it (NextRoles of the new state).
	Next []Role
}

// Decide applies the transition table to req. It returns the first row
// whose kind, state, action and one of the user's roles match and whose
// guards all pass. Otherwise it returns a domain error: ErrInvalid for an
// unknown action, ErrConflict when the action is not available in this state
// or a guard fails, ErrForbidden when it is available but not to the user's
// roles.
func Decide(req Request) (Decision, error) { return decideIn(table, req) }

// decideIn is Decide over the rows of a table: the spec test runs the
// process rules against altered copies of the table to prove they catch a
// wrong row.
func decideIn(rows []Transition, req Request) (Decision, error) {
	if !req.Action.Valid() {
		return Decision{}, &Error{Code: ErrInvalid, Rule: "unknown_action", Message: "没有这项操作，请刷新页面后从页面上的按钮办理。",
			Detail: fmt.Sprintf("unknown action %q", req.Action)}
	}
	if e := mergedRefusal(req.Action, req.Facts); e != nil {
		return Decision{}, e
	}
	var available []Transition
	for _, t := range rows {
		if t.From == req.From && t.Action == req.Action && t.Machine == req.Action.Machine() && t.AppliesTo(req.Kind) {
			available = append(available, t)
		}
	}
	if len(available) == 0 {
		return Decision{}, &Error{Code: ErrConflict, Rule: "not_available", Message: fmt.Sprintf(
			"该建议目前的状态是“%s”，不能%s；请刷新页面，查看现在可以办理的事项。", req.From.LabelZH(), req.Action.LabelZH()),
			Args:   []any{req.From, req.Action},
			Detail: fmt.Sprintf("action %s is not available in state %s", req.Action, stateName(req.From))}
	}
	var guardErr error
	allowedRoles := []Role{}
	for _, t := range available {
		for _, r := range t.Roles {
			if !slices.Contains(allowedRoles, r) {
				allowedRoles = append(allowedRoles, r)
			}
		}
		role, ok := firstRole(t, req.Roles)
		if !ok {
			continue
		}
		if err := t.check(req.Facts); err != nil {
			if guardErr == nil {
				guardErr = err
			}
			continue
		}
		return Decision{Transition: t, Role: role, Effects: effectsOf(t, req.Kind, req.Facts), Next: NextRoles(req.Kind, t.To)}, nil
	}
	if guardErr != nil {
		return Decision{}, guardErr
	}
	return Decision{}, &Error{Code: ErrForbidden, Rule: "role", Message: fmt.Sprintf(
		"在“%s”状态下%s不是您的职责，请由%s办理。", req.From.LabelZH(), req.Action.LabelZH(), roleList(allowedRoles)),
		Args: []any{req.From, req.Action, allowedRoles},
		Detail: fmt.Sprintf("roles %s may not %s in state %s; allowed: %s",
			joinRoles(req.Roles), req.Action, stateName(req.From), joinRoles(allowedRoles))}
}

// Available lists the rows a user holding roles could take on a case of kind
// in state from, ignoring guards: the buttons to show. Rows are in table order,
// one per action.
func Available(kind CaseKind, from State, roles []Role) []Transition {
	return availableIn(table, kind, from, roles)
}

func availableIn(rows []Transition, kind CaseKind, from State, roles []Role) []Transition {
	var out []Transition
	seen := map[Action]bool{}
	for _, t := range rows {
		if t.From != from || !t.AppliesTo(kind) || seen[t.Action] {
			continue
		}
		if _, ok := firstRole(t, roles); ok {
			seen[t.Action] = true
			out = append(out, t)
		}
	}
	return out
}

func (t Transition) check(f Facts) error {
	if ge := t.checkOn(f, ""); ge != nil {
		return ge.err
	}
	return nil
}

// checkOn checks the row's guards that look at kind (every guard when
// kind is ""), returning the first failure named by its guard.
func (t Transition) checkOn(f Facts, kind GuardKind) *guardError {
	for _, g := range t.Guards {
		if kind != "" && g.On != kind {
			continue
		}
		if err := g.Check(t.Action, f); err != nil {
			e := *err
			e.Guard = g.Name
			return &guardError{err: &e, hides: g.Hides}
		}
	}
	return nil
}

// guardError is a failing guard's error and whether the guard hides its
// action.
type guardError struct {
	err   *Error
	hides bool
}

// roleList names roles in Chinese, joined by 或: the liaison as the
// office users know (督办人员).
func roleList(roles []Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = r.LabelZH()
		if r == RoleLiaison {
			s[i] = "督办人员"
		}
	}
	return strings.Join(s, "或")
}

func firstRole(t Transition, roles []Role) (Role, bool) {
	for _, r := range roles {
		if t.AllowsRole(r) {
			return r, true
		}
	}
	return "", false
}

func joinRoles(roles []Role) string {
	if len(roles) == 0 {
		return "none"
	}
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

func stateName(s State) string {
	if s == StateNone {
		return "none"
	}
	return string(s)
}

// ActionsFor lists what a user holding roles could do on a case now,
// ignoring guards: the case's own actions, then those of its reply's
// publication (pubState "" before a reply is sent). Buttons and the API's
// allowed actions both come from here.
func ActionsFor(c *Case, pubState State, roles []Role) []Transition {
	out := Available(c.Kind, c.State, roles)
	if pubState != "" {
		out = append(out, Available("", pubState, roles)...)
	}
	return out
}
