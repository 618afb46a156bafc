package workflow

import "slices"

// Access is what an actor may do with a case they asked for.
type Access string

const (
	// AccessNone: the case is not visible; it is reported as not found so its
	// existence does not leak.
	AccessNone Access = "none"
	// AccessRead: the case is visible but the actor cannot act on it — the
	// lead unit reading a co-handling unit's case and opinion.
	AccessRead Access = "read"
	// AccessAct: visible, and the transition table decides each action.
	AccessAct Access = "act"
)

// AccessTo decides who sees which case: the liaison sees every case; a unit's
// drafters, reviewers and approvers see their own unit's cases, and the lead
// unit of a proposal reads its co-handling units' cases (their opinions).
// Admins administer users and settings but see no case. leadDept is the
// department of the proposal's live lead case (0 when there is none).
func (a Actor) AccessTo(c *Case, leadDept int64) Access {
	if slices.Contains(a.Roles, RoleLiaison) {
		return AccessAct
	}
	if !slices.ContainsFunc(a.Roles, Role.DepartmentScoped) || a.DepartmentID == 0 {
		return AccessNone
	}
	switch {
	case c.DepartmentID == a.DepartmentID:
		return AccessAct
	case c.Kind == KindCo && leadDept == a.DepartmentID:
		return AccessRead
	}
	return AccessNone
}
