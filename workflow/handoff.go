package workflow

import "slices"

// HandOff is who hears that a case changed hands after an action (交接通知),
// and what they may now do. HandOffOf derives it: who acts next is read from
// the transition table; the two rules the table cannot hold — a decided
// request goes back to whoever made it, and a co-opinion reaches the lead
// unit — are the data below.
type HandOff struct {
	// Audience is who acts next: roles in the case's own unit, or the
	// liaison office.
	Audience
	// LeadUnitRoles are roles in the unit of the proposal's lead case: a
	// co-handling unit's opinion reached it.
	LeadUnitRoles []Role
	// Request is the request the action decided (申请退回, 申请延期), whose
	// requester hears the decision; "" when the action decided none.
	Request Action
	// ToDo lists the actions the audience may take now, in table order,
	// ignoring guards.
	ToDo []Action
}

// Empty reports whether the hand-off notifies no one.
func (h HandOff) Empty() bool {
	return len(h.UnitRoles) == 0 && !h.Liaison && len(h.LeadUnitRoles) == 0 && h.Request == ""
}

// requestDecisions pairs each request a unit makes with the actions that
// decide it. After a request, the roles that may take its decisions hear
// of it; after a decision, the requester does.
var requestDecisions = map[Action][]Action{
	ActionRequestReturn:    {ActionApproveReturn, ActionRejectReturn},
	ActionRequestExtension: {ActionGrantExtension, ActionRefuseExtension},
}

// coOpinionReaders are the lead unit's roles that hear of a co-handling
// unit's signed opinion: the drafters, who work it into the reply.
var coOpinionReaders = []Role{RoleDrafter}

// RequestDecidedBy returns the request that action a decides
// (ActionRequestReturn for ActionApproveReturn), and false when a decides
// none.
func RequestDecidedBy(a Action) (Action, bool) {
	for req, decisions := range requestDecisions {
		if slices.Contains(decisions, a) {
			return req, true
		}
	}
	return "", false
}

// HandOffOf says who is notified after decision d on a case of kind. The
// actor is never among them (storage leaves them out by user).
//
//   - When the case moves to another state, its next actor hears of it: the
//     first role, in the order of AllRoles, of those in d.Next that may move
//     the case on from there (a row that leaves the state). The table lets a
//     more senior role stand in on some rows (a reviewer may accept); the work
//     is the first's. No one hears when that is the role the actor acted as
//     (a drafter accepting moves nothing to anyone else).
//   - After a request, the roles that may decide it hear of it.
//   - After a decision on a request, the requester hears of it.
//   - When a co-handling unit's opinion is submitted, the lead unit's
//     drafters hear of it.
//   - When the suggestion is withdrawn or converted, the case's unit hears
//     that its work stops.
//
// Actions on a publication hand nothing off.
func HandOffOf(kind CaseKind, d Decision) HandOff {
	var h HandOff
	if d.Machine != MachineCase {
		return h
	}
	if !d.SelfLoop() {
		if r, ok := nextActor(kind, d.To, d.Next); ok && r != d.Role {
			h.add(r, moves(kind, d.To, r)...)
		}
	}
	for _, decision := range requestDecisions[d.Action] {
		for _, t := range table {
			if t.Machine == MachineCase && t.From == d.To && t.Action == decision && t.AppliesTo(kind) {
				for _, r := range t.Roles {
					h.add(r, decision)
				}
			}
		}
	}
	if req, ok := RequestDecidedBy(d.Action); ok {
		h.Request = req
	}
	if d.To.Outcome() {
		// The suggestion ended without a reply: the unit's people who were
		// handling it hear that their work on it stops.
		for _, r := range unitRoles {
			h.add(r)
		}
	}
	if kind == KindCo && d.To == StateOpinionSubmitted {
		h.LeadUnitRoles = slices.Clone(coOpinionReaders)
	}
	return h
}

// add makes role r part of the audience, with the actions it may take.
// Only unit roles and the liaison are notified: a deputy has no inbox.
func (h *HandOff) add(r Role, todo ...Action) {
	switch {
	case r == RoleLiaison:
		h.Liaison = true
	case r.DepartmentScoped():
		if !slices.Contains(h.UnitRoles, r) {
			h.UnitRoles = append(h.UnitRoles, r)
		}
	default:
		return
	}
	for _, a := range todo {
		if !slices.Contains(h.ToDo, a) {
			h.ToDo = append(h.ToDo, a)
		}
	}
}

// nextActor is the first of roles (the next roles, in AllRoles order) that
// may move a case of kind on from state s.
func nextActor(kind CaseKind, s State, roles []Role) (Role, bool) {
	for _, r := range roles {
		if len(moves(kind, s, r)) > 0 {
			return r, true
		}
	}
	return "", false
}

// moves lists the actions by which role r may move a case of kind out of
// state s, in table order: the state's own work, not the decisions recorded
// on the case that leave it where it is (an extension, a waiver), nor the
// end of the whole suggestion (撤回, 不作为建议处理).
func moves(kind CaseKind, s State, r Role) []Action {
	var out []Action
	for _, t := range Available(kind, s, []Role{r}) {
		if !t.SelfLoop() && !t.Action.ProposalWide() {
			out = append(out, t.Action)
		}
	}
	return out
}

// Due returns the deadline a hand-off's audience works to, from the
// deadlines the case carries now (ActiveDeadlines, in their order): the
// liaison's own (deciding an extension, chasing the feedback) when only the
// liaison office is told, else what the unit owes. False when there is none.
func (h HandOff) Due(active []Deadline) (Deadline, bool) {
	liaisonOnly := h.Liaison && len(h.UnitRoles) == 0 && h.Request == ""
	for _, d := range active {
		if liaisonOnly && d.Kind.ForLiaison() || !liaisonOnly && d.Kind.UnitDuty() {
			return d, true
		}
	}
	return Deadline{}, false
}
