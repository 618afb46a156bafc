package workflow

import "fmt"

// Record is something written on a case that does not change its state:
// a draft version or a contact with the deputy. Like transitions, records go
// into the case's audit chain, and who may write them is decided here.
type Record string

const (
	// RecordSaveDraft saves a new version of the reply or co-opinion (答复稿).
	RecordSaveDraft Record = "save_draft"
	// RecordAddCommunication records a contact with the deputy (面商).
	RecordAddCommunication Record = "add_communication"
	// RecordMarkKey marks the case's suggestion as a key suggestion (重点建议),
	// with its overseeing leader and supervising office.
	RecordMarkKey Record = "mark_key"
	// RecordUnmarkKey takes the key mark off the case's suggestion.
	RecordUnmarkKey Record = "unmark_key"
	// RecordAddProgressReport files a progress report (办理进展) on a key
	// suggestion's case.
	RecordAddProgressReport Record = "add_progress_report"
	// RecordMerge merges the case's suggestion with another one (并案): on the
	// main suggestion's case and on the merged one's.
	RecordMerge Record = "merge"
	// RecordUnmerge undoes a merge, on both cases.
	RecordUnmerge Record = "unmerge"
)

// AllRecords lists every record kind.
func AllRecords() []Record {
	return []Record{RecordSaveDraft, RecordAddCommunication, RecordMarkKey, RecordUnmarkKey, RecordAddProgressReport,
		RecordMerge, RecordUnmerge, RecordAddAttachment, RecordDeleteAttachment}
}

// recordRules says, per record kind, which role may write it in which state:
// the drafter while drafting, the reviewer and approver while the draft is
// with them (they may correct it), and any unit role may log a contact with
// the deputy while the case is being handled.
var recordRules = map[Record]map[State][]Role{
	RecordSaveDraft: {
		StateDrafting:         {RoleDrafter},
		StateInReview:         {RoleReviewer},
		StateAwaitingApproval: {RoleApprover},
	},
	RecordAddCommunication: {
		StateAssigned:         {RoleDrafter, RoleReviewer, RoleApprover},
		StateDrafting:         {RoleDrafter, RoleReviewer, RoleApprover},
		StateInReview:         {RoleDrafter, RoleReviewer, RoleApprover},
		StateAwaitingApproval: {RoleDrafter, RoleReviewer, RoleApprover},
		StateApproved:         {RoleDrafter, RoleReviewer, RoleApprover},
		StateReplied:          {RoleDrafter, RoleReviewer, RoleApprover},
		StateRehandling:       {RoleDrafter, RoleReviewer, RoleApprover},
	},
	// The liaison marks or unmarks a key suggestion while its reply is
	// owed; the unit reports progress while it handles it.
	RecordMarkKey:           statesOwing(RoleLiaison),
	RecordUnmarkKey:         statesOwing(RoleLiaison),
	RecordAddProgressReport: statesOwing(RoleDrafter, RoleReviewer, RoleApprover),
	// Merging, and undoing it, only before drafting starts (并案 is decided
	// on suggestions not yet accepted).
	RecordMerge:   {StateAssigned: {RoleLiaison}},
	RecordUnmerge: {StateAssigned: {RoleLiaison}},
}

// statesOwing gives roles every state in which the unit still owes its
// answer (State.Open).
func statesOwing(roles ...Role) map[State][]Role {
	out := map[State][]Role{}
	for _, s := range CaseStates() {
		if s.Open() {
			out[s] = roles
		}
	}
	return out
}

// MayRecord returns the role under which a user holding roles may write a
// record of kind r on a case in state s, or a domain error.
func MayRecord(r Record, s State, roles []Role) (Role, error) {
	rules, ok := recordRules[r]
	if !ok {
		return "", Errorf(ErrInvalid, "unknown record %q", r)
	}
	allowed, ok := rules[s]
	if !ok {
		return "", &Error{Code: ErrConflict, Message: fmt.Sprintf("不能在“%s”状态下修改 (%s is not possible in state %s)", s.LabelZH(), r, s)}
	}
	for _, have := range roles {
		for _, want := range allowed {
			if have == want {
				return have, nil
			}
		}
	}
	return "", &Error{Code: ErrForbidden, Message: fmt.Sprintf("您的角色无权在“%s”状态下修改 (roles %s may not %s in state %s; allowed: %s)", s.LabelZH(), joinRoles(roles), r, s, joinRoles(allowed))}
}

// SystemEvent is an entry the system itself writes into a case's audit
// chain (actor role "system", machine "record"): it changes no state and
// is nobody's action.
type SystemEvent string

const (
	// SystemRecomputeDueDates records that provisional due dates (暂定) were
	// recomputed when the holiday data of their year arrived: the payload
	// holds each changed date as key and key_was.
	SystemRecomputeDueDates SystemEvent = "recompute_due_dates"
)

// AllSystemEvents lists every system event.
func AllSystemEvents() []SystemEvent { return []SystemEvent{SystemRecomputeDueDates} }
