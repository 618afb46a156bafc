package workflow

import "slices"

// Machine names one of the two state machines of banli.
type Machine string

const (
	// MachineCase is the handling of one case, from assignment to closure.
	MachineCase Machine = "case"
	// MachinePublication is the publication of one sent reply.
	MachinePublication Machine = "publication"
)

// AllMachines lists both machines.
func AllMachines() []Machine { return []Machine{MachineCase, MachinePublication} }

// State is the state of a case or of a publication.
type State string

const (
	// StateNone is the pseudo-state before a case exists: the only action from
	// it is assignment (交办). It is never stored.
	StateNone State = ""

	// StateAssigned means the case was assigned to the unit and awaits its
	// acceptance (已交办，待签收).
	StateAssigned State = "assigned"
	// StateReturnRequested means the unit asked the liaison to take the case
	// back because it is not theirs (退回待审批; the action is 申请退回).
	StateReturnRequested State = "return_requested"
	// StateReturned means the liaison took the case back (已退回); terminal,
	// the liaison assigns another unit.
	StateReturned State = "returned"
	// StateDrafting means the unit is handling the case and drafting the reply
	// or opinion (办理中).
	StateDrafting State = "drafting"
	// StateInReview means a draft awaits the division chief's review (审核中).
	StateInReview State = "in_review"
	// StateAwaitingApproval means a reviewed draft awaits the leader's
	// sign-off (待签发).
	StateAwaitingApproval State = "awaiting_approval"
	// StateApproved means the reply is signed off and ready to send (已签发).
	StateApproved State = "approved"
	// StateReplied means the reply was sent to the deputy and feedback is
	// awaited (已答复，待反馈).
	StateReplied State = "replied"
	// StateRehandling means the deputy was dissatisfied and a new round is due
	// (重新办理中; the round is a 重办).
	StateRehandling State = "rehandling"
	// StateClosed means the deputy was satisfied or basically satisfied (办结);
	// terminal.
	StateClosed State = "closed"
	// StateOpinionSubmitted means a co-handling unit's signed opinion reached
	// the lead unit (协办意见已提交); terminal.
	StateOpinionSubmitted State = "opinion_submitted"
	// StateWithdrawn means the deputy withdrew the suggestion before any
	// reply was sent (代表撤回); terminal, for every open case of it.
	StateWithdrawn State = "withdrawn"
	// StateConverted means the suggestion is not handled as a suggestion
	// (不作为建议处理): it went elsewhere (转为来信, 转信访部门…); terminal,
	// for every open case of it.
	StateConverted State = "converted"

	// StatePending means a sent reply awaits publication (待公开).
	StatePending State = "pending"
	// StatePublished means the reply is on the public portal (已公开).
	StatePublished State = "published"
	// StateWithheld means the reply is not published, with a reason (不公开).
	StateWithheld State = "withheld"
)

// CaseStates lists every state a stored case can be in.
func CaseStates() []State {
	return []State{
		StateAssigned, StateReturnRequested, StateReturned, StateDrafting, StateInReview,
		StateAwaitingApproval, StateApproved, StateReplied, StateRehandling, StateClosed,
		StateOpinionSubmitted,
		StateWithdrawn, StateConverted,
	}
}

// PublicationStates lists every state of a publication.
func PublicationStates() []State { return []State{StatePending, StatePublished, StateWithheld} }

// States lists the states of machine m; for MachineCase it starts with
// StateNone, the pseudo-state before assignment.
func States(m Machine) []State {
	if m == MachinePublication {
		return PublicationStates()
	}
	return append([]State{StateNone}, CaseStates()...)
}

// Terminal reports whether no action leaves state s.
func (s State) Terminal() bool {
	return s == StateReturned || s == StateClosed || s == StateOpinionSubmitted ||
		s == StatePublished || s == StateWithheld ||
		s.Outcome()
}

// Outcome reports whether s ends a case because its suggestion itself
// ended without a reply: withdrawn (撤回) or not handled as a suggestion
// (不作为建议处理).
func (s State) Outcome() bool { return s == StateWithdrawn || s == StateConverted }

// Open reports whether s is a case state in which the unit still owes its
// answer, with a deadline: every stored case state that is neither terminal
// nor replied. Case.Owes says what it owes.
func (s State) Open() bool {
	return slices.Contains(CaseStates(), s) && !s.Terminal() && s != StateReplied
}

// Live reports whether a case in state s still counts among its proposal's
// cases: every state but returned (已退回), after which the liaison assigns
// another unit.
func (s State) Live() bool { return s != StateReturned }

// LabelZH is the Chinese name of the state.
func (s State) LabelZH() string { return stateLabelZH[s] }

var stateLabelZH = map[State]string{
	StateNone: "未交办", StateAssigned: "待签收", StateReturnRequested: "退回待审批", StateReturned: "已退回",
	StateDrafting: "办理中", StateInReview: "审核中", StateAwaitingApproval: "待签发",
	StateApproved: "已签发", StateReplied: "已答复", StateRehandling: "重新办理中", StateClosed: "已办结",
	StateOpinionSubmitted: "协办意见已提交", StatePending: "待公开", StatePublished: "已公开",
	StateWithheld: "不公开",

	StateWithdrawn: "已撤回", StateConverted: "不作为建议处理",
}

// LabelEN is the English name of the state.
func (s State) LabelEN() string { return stateLabelEN[s] }

var stateLabelEN = map[State]string{
	StateNone: "Not assigned", StateAssigned: "Awaiting acceptance", StateReturnRequested: "Return awaiting approval",
	StateReturned: "Returned", StateDrafting: "Being handled", StateInReview: "In review",
	StateAwaitingApproval: "Awaiting sign-off", StateApproved: "Signed off", StateReplied: "Replied",
	StateRehandling: "Re-handling", StateClosed: "Closed", StateOpinionSubmitted: "Co-opinion submitted",
	StatePending: "Awaiting publication", StatePublished: "Published", StateWithheld: "Not published",
	StateWithdrawn: "Withdrawn by the deputy", StateConverted: "Not handled as a suggestion",
}

// Action is something a user does to a case or a publication.
type Action string

const (
	// ActionAssign creates a case: the liaison assigns a proposal to a unit (交办).
	ActionAssign Action = "assign"
	// ActionAccept is the unit's acceptance of a case or of a re-handling round (签收).
	ActionAccept Action = "accept"
	// ActionRequestReturn asks the liaison to take the case back, inside the
	// return window (申请退回).
	ActionRequestReturn Action = "request_return"
	// ActionApproveReturn is the liaison agreeing to take the case back.
	ActionApproveReturn Action = "approve_return"
	// ActionRejectReturn is the liaison refusing a return request, with a reason.
	ActionRejectReturn Action = "reject_return"
	// ActionSubmit sends the current draft to review (提交审核).
	ActionSubmit Action = "submit"
	// ActionForward passes a reviewed draft on for sign-off (审核通过).
	ActionForward Action = "forward"
	// ActionReturnForRevision sends a draft back to drafting with a comment (退回修改).
	ActionReturnForRevision Action = "return_for_revision"
	// ActionSign is the leader's sign-off (签发): for a reply it sets the class
	// and disclosure; for a co-handling opinion it submits it to the lead unit.
	ActionSign Action = "sign"
	// ActionSend records that the signed reply went to the deputy (答复).
	ActionSend Action = "send"
	// ActionRecordFeedback records the deputy's two ratings (征询意见): closure
	// or a re-handling round.
	ActionRecordFeedback Action = "record_feedback"
	// ActionWaiveCoOpinions lets the lead unit sign without the missing
	// co-opinions; the liaison's decision (同意主办单位先行答复).
	ActionWaiveCoOpinions Action = "waive_co_opinions"
	// ActionRequestExtension asks the liaison for a later reply due date (申请延期).
	ActionRequestExtension Action = "request_extension"
	// ActionGrantExtension is the liaison granting an extension, never beyond
	// the reply-extended rule.
	ActionGrantExtension Action = "grant_extension"
	// ActionRefuseExtension is the liaison refusing an extension, with a reason.
	ActionRefuseExtension Action = "refuse_extension"
	// ActionPublish puts a sent reply on the public portal (公开).
	ActionPublish Action = "publish"
	// ActionWithhold decides not to publish a sent reply, with a reason.
	ActionWithhold Action = "withhold"
	// ActionWithdraw records that the deputy withdrew the suggestion (撤回),
	// with a reason: it ends every open case of the suggestion at once.
	ActionWithdraw Action = "withdraw"
	// ActionConvert records that the suggestion is not handled as a
	// suggestion (不作为建议处理), with a reason and where it went: it ends
	// every open case of the suggestion at once.
	ActionConvert Action = "convert"
)

// AllActions lists every action.
func AllActions() []Action {
	return []Action{
		ActionAssign, ActionAccept, ActionRequestReturn, ActionApproveReturn, ActionRejectReturn,
		ActionSubmit, ActionForward, ActionReturnForRevision, ActionSign, ActionSend,
		ActionRecordFeedback, ActionWaiveCoOpinions, ActionRequestExtension, ActionGrantExtension,
		ActionRefuseExtension, ActionPublish, ActionWithhold,
		ActionWithdraw, ActionConvert,
	}
}

// Valid reports whether a is a known action.
func (a Action) Valid() bool { return slices.Contains(AllActions(), a) }

// Machine is the machine the action belongs to.
func (a Action) Machine() Machine {
	if a == ActionPublish || a == ActionWithhold {
		return MachinePublication
	}
	return MachineCase
}

// LabelZH is the Chinese label of the action, as on its button.
func (a Action) LabelZH() string { return actionLabelZH[a] }

var actionLabelZH = map[Action]string{
	ActionAssign: "交办", ActionAccept: "签收", ActionRequestReturn: "申请退回",
	ActionApproveReturn: "同意退回", ActionRejectReturn: "不同意退回", ActionSubmit: "提交审核",
	ActionForward: "审核通过", ActionReturnForRevision: "退回修改", ActionSign: "签发",
	ActionSend: "答复代表", ActionRecordFeedback: "登记反馈", ActionWaiveCoOpinions: "同意主办单位先行答复",
	ActionRequestExtension: "申请延期", ActionGrantExtension: "同意延期", ActionRefuseExtension: "不同意延期",
	ActionPublish: "公开", ActionWithhold: "不予公开",
	ActionWithdraw: "登记代表撤回", ActionConvert: "不作为建议处理",
}

// LabelEN is the English label of the action, as on its button.
func (a Action) LabelEN() string { return actionLabelEN[a] }

var actionLabelEN = map[Action]string{
	ActionAssign: "Assign", ActionAccept: "Accept", ActionRequestReturn: "Request a return",
	ActionApproveReturn: "Approve the return", ActionRejectReturn: "Refuse the return", ActionSubmit: "Submit for review",
	ActionForward: "Pass the review", ActionReturnForRevision: "Return for revision", ActionSign: "Sign off",
	ActionSend: "Send the reply", ActionRecordFeedback: "Record the feedback",
	ActionWaiveCoOpinions: "Let the lead unit reply first", ActionRequestExtension: "Request an extension",
	ActionGrantExtension: "Grant the extension", ActionRefuseExtension: "Refuse the extension",
	ActionPublish: "Publish", ActionWithhold: "Do not publish",
	ActionWithdraw: "Record the deputy's withdrawal", ActionConvert: "Do not handle as a suggestion",
}

// Role is what a user may do; a user may hold several.
type Role string

const (
	// RoleDrafter handles cases of their unit and drafts replies (承办人).
	RoleDrafter Role = "drafter"
	// RoleReviewer reviews drafts of their unit (审核人, 处室负责人).
	RoleReviewer Role = "reviewer"
	// RoleApprover signs replies of their unit off (签发人, 分管/主要领导).
	RoleApprover Role = "approver"
	// RoleLiaison assigns proposals, rules on requests and watches every unit
	// (督办人员: the liaison office's staff; 联络员 in government usage is a
	// unit's own contact person, not this role).
	RoleLiaison Role = "liaison"
	// RoleAdmin administers departments, users, sessions and the calendar
	// (系统管理员); it does not draft or sign.
	RoleAdmin Role = "admin"
	// RoleDeputy is the deputy giving feedback through a signed link (代表).
	RoleDeputy Role = "deputy"
)

// AllRoles lists every role.
func AllRoles() []Role {
	return []Role{RoleDrafter, RoleReviewer, RoleApprover, RoleLiaison, RoleAdmin, RoleDeputy}
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(AllRoles(), r) }

// LabelZH is the Chinese name of the role.
func (r Role) LabelZH() string { return roleLabelZH[r] }

var roleLabelZH = map[Role]string{
	RoleDrafter: "承办人", RoleReviewer: "审核人", RoleApprover: "签发人", RoleLiaison: "督办人员",
	RoleAdmin: "系统管理员", RoleDeputy: "代表",
}

// LabelEN is the English name of the role.
func (r Role) LabelEN() string { return roleLabelEN[r] }

var roleLabelEN = map[Role]string{
	RoleDrafter: "Drafter", RoleReviewer: "Reviewer", RoleApprover: "Approver", RoleLiaison: "Supervision officer",
	RoleAdmin: "Administrator", RoleDeputy: "Deputy",
}

// DepartmentScoped reports whether the role acts only on its own unit's cases.
func (r Role) DepartmentScoped() bool {
	return r == RoleDrafter || r == RoleReviewer || r == RoleApprover
}

// Valid reports whether s is a stored case state.
func (s State) Valid() bool { return slices.Contains(CaseStates(), s) }

// ProposalWide reports whether the action ends the whole suggestion, every
// open case of it in one go (撤回, 不作为建议处理), rather than one case.
func (a Action) ProposalWide() bool { return a == ActionWithdraw || a == ActionConvert }

// ReleasesMerged reports whether the action, taken on a suggestion others
// are merged into (并案), dissolves that merge: the suggestion ends (撤回,
// 不作为建议处理), and the suggestions merged into it, which move only with
// it, go on each on its own, their cases where they are.
func (a Action) ReleasesMerged() bool { return a.ProposalWide() }
