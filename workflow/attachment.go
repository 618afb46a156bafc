package workflow

import (
	"fmt"
	"slices"
)

// AttachmentOwner is what a file (附件) belongs to; who sees the file is
// who sees that.
type AttachmentOwner string

const (
	// AttachToProposal: the suggestion itself (the deputy's original, say),
	// seen by the liaison and every unit that sees a case of it.
	AttachToProposal AttachmentOwner = "proposal"
	// AttachToCase: a unit's case (办件) as a whole.
	AttachToCase AttachmentOwner = "case"
	// AttachToCommunication: a contact with the deputy (面商记录): photos,
	// minutes.
	AttachToCommunication AttachmentOwner = "communication"
	// AttachToDraft: a version of the reply or co-opinion draft (答复稿).
	AttachToDraft AttachmentOwner = "draft"
	// AttachToReply: a signed reply (答复), typically the scanned stamped
	// letter; the only kind that may be public with the reply.
	AttachToReply AttachmentOwner = "reply"
)

// AllAttachmentOwners lists every AttachmentOwner.
func AllAttachmentOwners() []AttachmentOwner {
	return []AttachmentOwner{AttachToProposal, AttachToCase, AttachToCommunication, AttachToDraft, AttachToReply}
}

// Valid reports whether o is a known owner.
func (o AttachmentOwner) Valid() bool { return slices.Contains(AllAttachmentOwners(), o) }

// LabelZH is the Chinese name of the owner.
func (o AttachmentOwner) LabelZH() string { return attachmentOwnerLabelZH[o] }

var attachmentOwnerLabelZH = map[AttachmentOwner]string{AttachToProposal: "建议", AttachToCase: "办件", AttachToCommunication: "面商记录",
	AttachToDraft: "答复稿", AttachToReply: "答复"}

// LabelEN is the English name of the owner.
func (o AttachmentOwner) LabelEN() string { return attachmentOwnerLabelEN[o] }

var attachmentOwnerLabelEN = map[AttachmentOwner]string{AttachToProposal: "Suggestion", AttachToCase: "Case", AttachToCommunication: "Contact record",
	AttachToDraft: "Draft", AttachToReply: "Reply"}

// MayPublish reports whether a file of this owner can be marked public
// with the reply.
func (o AttachmentOwner) MayPublish() bool { return o == AttachToReply }

// Records of attachments in a case's audit chain (machine "record").
const (
	// RecordAddAttachment: a file was attached.
	RecordAddAttachment Record = "add_attachment"
	// RecordDeleteAttachment: a file was deleted; it stays listed as
	// deleted, by whom and when.
	RecordDeleteAttachment Record = "delete_attachment"
)

// replyFileStates are the states in which a signed reply's file (the
// scanned letter) may be added: once signed, for as long as the case lives.
var replyFileStates = []State{StateApproved, StateReplied, StateRehandling, StateClosed, StateDrafting, StateInReview, StateAwaitingApproval}

// MayAttach returns the role under which a user holding roles (RolesOn the
// case's department) may add — or delete — a file of owner o on a case in
// state s, or a domain error:
//   - the suggestion's files: the liaison, whatever the state;
//   - the case's: the liaison, and the unit's staff while the case is live;
//   - a contact record's: who may record a contact (RecordAddCommunication);
//   - a draft's: who may save the draft (RecordSaveDraft);
//   - a reply's: the unit's staff once a reply is signed.
//
// Who may add a file may delete it; deleting is recorded, never silent.
func MayAttach(o AttachmentOwner, s State, roles []Role) (Role, error) {
	switch o {
	case AttachToCommunication:
		return MayRecord(RecordAddCommunication, s, roles)
	case AttachToDraft:
		return MayRecord(RecordSaveDraft, s, roles)
	}
	var allowed []Role
	switch o {
	case AttachToProposal:
		allowed = []Role{RoleLiaison}
	case AttachToCase:
		if s.Live() {
			allowed = append([]Role{RoleLiaison}, unitRoles...)
		} else {
			allowed = []Role{RoleLiaison}
		}
	case AttachToReply:
		if slices.Contains(replyFileStates, s) {
			allowed = unitRoles
		}
	default:
		return "", Errorf(ErrInvalid, "unknown attachment owner %q", o)
	}
	for _, have := range roles {
		if slices.Contains(allowed, have) {
			return have, nil
		}
	}
	if len(allowed) == 0 {
		return "", &Error{Code: ErrConflict, Message: fmt.Sprintf("“%s”状态下不能添加或删除%s的附件 (files of a %s cannot change in state %s)",
			s.LabelZH(), o.LabelZH(), o, s)}
	}
	return "", &Error{Code: ErrForbidden, Message: fmt.Sprintf("您的角色无权添加或删除%s的附件 (roles %s may not change files of a %s in state %s; allowed: %s)",
		o.LabelZH(), joinRoles(roles), o, s, joinRoles(allowed))}
}

// AccessToProposal is what the actor may see of a suggestion's own files
// given its cases: the most any of them grants (AccessTo); the liaison
// sees them even before the suggestion is assigned.
func (a Actor) AccessToProposal(cases []*Case, leadDept int64) Access {
	if slices.Contains(a.Roles, RoleLiaison) {
		return AccessAct
	}
	best := AccessNone
	for _, c := range cases {
		switch a.AccessTo(c, leadDept) {
		case AccessAct:
			return AccessAct
		case AccessRead:
			best = AccessRead
		}
	}
	return best
}
