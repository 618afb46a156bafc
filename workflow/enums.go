package workflow

// This file holds the closed sets of the domain other than states, actions and
// roles. Each is a typed string; each constant is documented; All* lists every
// value in display order; each is mirrored by a CHECK constraint in SQL.

import "slices"

// CaseKind is how a unit takes part in handling a proposal (办理方式).
type CaseKind string

const (
	// KindLead is the lead unit (主办): it drafts and sends the reply, after the
	// co-handling units' opinions are in.
	KindLead CaseKind = "lead"
	// KindCo is a co-handling unit (协办): it sends its opinion to the lead unit.
	KindCo CaseKind = "co"
	// KindSeparate is one of several units that each reply on their own (分办).
	KindSeparate CaseKind = "separate"
)

// AllCaseKinds lists every case kind.
func AllCaseKinds() []CaseKind { return []CaseKind{KindLead, KindCo, KindSeparate} }

// Valid reports whether k is a known case kind.
func (k CaseKind) Valid() bool { return slices.Contains(AllCaseKinds(), k) }

// LabelZH is the Chinese name of the kind.
func (k CaseKind) LabelZH() string { return caseKindLabelZH[k] }

var caseKindLabelZH = map[CaseKind]string{KindLead: "主办", KindCo: "协办", KindSeparate: "分办"}

// LabelEN is the English name of the kind.
func (k CaseKind) LabelEN() string { return caseKindLabelEN[k] }

var caseKindLabelEN = map[CaseKind]string{KindLead: "Lead", KindCo: "Co-handling", KindSeparate: "Separate"}

// RepliesToDeputy reports whether a case of this kind sends its own reply.
func (k CaseKind) RepliesToDeputy() bool { return k == KindLead || k == KindSeparate }

// ProposalKind is what a deputy submitted.
type ProposalKind string

const (
	// ProposalSuggestion is a suggestion (建议).
	ProposalSuggestion ProposalKind = "suggestion"
	// ProposalCriticism is a criticism (批评).
	ProposalCriticism ProposalKind = "criticism"
	// ProposalOpinion is an opinion (意见).
	ProposalOpinion ProposalKind = "opinion"
	// ProposalCPPCC is a CPPCC member's proposal (政协提案). It is kept so
	// that stored data naming it stays readable, but it cannot be registered:
	// banli does not yet speak a CPPCC session's words (提案, 委员, titles
	// "关于政协…第N号提案的答复"), and half the words would be wrong.
	ProposalCPPCC ProposalKind = "cppcc_proposal"
)

// AllProposalKinds lists every proposal kind, including those that can no
// longer be registered.
func AllProposalKinds() []ProposalKind {
	return []ProposalKind{ProposalSuggestion, ProposalCriticism, ProposalOpinion, ProposalCPPCC}
}

// RegistrableProposalKinds lists the kinds a new proposal may have: a
// deputy's 建议, 批评 or 意见 — not a CPPCC proposal (提案).
func RegistrableProposalKinds() []ProposalKind {
	return []ProposalKind{ProposalSuggestion, ProposalCriticism, ProposalOpinion}
}

// Valid reports whether k is a known proposal kind.
func (k ProposalKind) Valid() bool { return slices.Contains(AllProposalKinds(), k) }

// Registrable reports whether a new proposal may be registered with kind k.
func (k ProposalKind) Registrable() bool { return slices.Contains(RegistrableProposalKinds(), k) }

// LabelZH is the Chinese name of the kind.
func (k ProposalKind) LabelZH() string { return proposalKindLabelZH[k] }

var proposalKindLabelZH = map[ProposalKind]string{ProposalSuggestion: "建议", ProposalCriticism: "批评", ProposalOpinion: "意见", ProposalCPPCC: "提案"}

// LabelEN is the English name of the kind.
func (k ProposalKind) LabelEN() string { return proposalKindLabelEN[k] }

var proposalKindLabelEN = map[ProposalKind]string{ProposalSuggestion: "Suggestion", ProposalCriticism: "Criticism", ProposalOpinion: "Opinion", ProposalCPPCC: "CPPCC proposal"}

// ReplyClass is the result class marked on a reply letter (办理结果分类).
type ReplyClass string

const (
	// ClassA means solved or basically solved (已解决或基本解决).
	ClassA ReplyClass = "A"
	// ClassB means being solved or planned (正在解决或列入计划逐步解决).
	ClassB ReplyClass = "B"
	// ClassC means cannot be solved for now (因条件限制暂时不能解决).
	ClassC ReplyClass = "C"
	// ClassD means kept for reference (留作参考).
	ClassD ReplyClass = "D"
)

// AllReplyClasses lists every reply class.
func AllReplyClasses() []ReplyClass { return []ReplyClass{ClassA, ClassB, ClassC, ClassD} }

// Valid reports whether c is a known reply class.
func (c ReplyClass) Valid() bool { return slices.Contains(AllReplyClasses(), c) }

// LabelZH is the Chinese meaning of the class.
func (c ReplyClass) LabelZH() string { return replyClassLabelZH[c] }

var replyClassLabelZH = map[ReplyClass]string{ClassA: "已解决或基本解决", ClassB: "正在解决或列入计划逐步解决", ClassC: "因条件限制暂时不能解决", ClassD: "留作参考"}

// LabelEN is the English meaning of the class.
func (c ReplyClass) LabelEN() string { return replyClassLabelEN[c] }

var replyClassLabelEN = map[ReplyClass]string{ClassA: "Solved or basically solved", ClassB: "Being solved or planned", ClassC: "Cannot be solved for now", ClassD: "Kept for reference"}

// Disclosure is the disclosure decision taken at sign-off (公开属性).
type Disclosure string

const (
	// DisclosePublic publishes the full text (主动公开).
	DisclosePublic Disclosure = "public"
	// DiscloseSummary publishes a summary (摘要公开).
	DiscloseSummary Disclosure = "summary"
	// DiscloseOnRequest discloses only on request (依申请公开).
	DiscloseOnRequest Disclosure = "on_request"
	// DiscloseNone is not disclosed; a reason is required (不予公开).
	DiscloseNone Disclosure = "none"
)

// AllDisclosures lists every disclosure decision.
func AllDisclosures() []Disclosure {
	return []Disclosure{DisclosePublic, DiscloseSummary, DiscloseOnRequest, DiscloseNone}
}

// Valid reports whether d is a known disclosure decision.
func (d Disclosure) Valid() bool { return slices.Contains(AllDisclosures(), d) }

// Publishable reports whether a reply with this decision goes on the public portal.
func (d Disclosure) Publishable() bool { return d == DisclosePublic || d == DiscloseSummary }

// LabelZH is the Chinese name of the decision.
func (d Disclosure) LabelZH() string { return disclosureLabelZH[d] }

var disclosureLabelZH = map[Disclosure]string{DisclosePublic: "主动公开", DiscloseSummary: "摘要公开", DiscloseOnRequest: "依申请公开", DiscloseNone: "不予公开"}

// LabelEN is the English name of the decision.
func (d Disclosure) LabelEN() string { return disclosureLabelEN[d] }

var disclosureLabelEN = map[Disclosure]string{DisclosePublic: "Published in full", DiscloseSummary: "Summary published", DiscloseOnRequest: "Disclosed on request", DiscloseNone: "Not disclosed"}

// Rating is one of the deputy's two ratings on the feedback form (征询意见表).
type Rating string

const (
	// RatingSatisfied is 满意.
	RatingSatisfied Rating = "satisfied"
	// RatingBasicallySatisfied is 基本满意.
	RatingBasicallySatisfied Rating = "basically_satisfied"
	// RatingDissatisfied is 不满意; it opens a re-handling round.
	RatingDissatisfied Rating = "dissatisfied"
)

// AllRatings lists every rating.
func AllRatings() []Rating {
	return []Rating{RatingSatisfied, RatingBasicallySatisfied, RatingDissatisfied}
}

// Valid reports whether r is a known rating.
func (r Rating) Valid() bool { return slices.Contains(AllRatings(), r) }

// LabelZH is the Chinese name of the rating.
func (r Rating) LabelZH() string { return ratingLabelZH[r] }

var ratingLabelZH = map[Rating]string{RatingSatisfied: "满意", RatingBasicallySatisfied: "基本满意", RatingDissatisfied: "不满意"}

// LabelEN is the English name of the rating.
func (r Rating) LabelEN() string { return ratingLabelEN[r] }

var ratingLabelEN = map[Rating]string{RatingSatisfied: "Satisfied", RatingBasicallySatisfied: "Basically satisfied", RatingDissatisfied: "Dissatisfied"}

// ContactMethod is how a unit met the deputy (面商方式).
type ContactMethod string

const (
	// ContactMeeting is a meeting or forum (座谈).
	ContactMeeting ContactMethod = "meeting"
	// ContactVisit is a visit (走访).
	ContactVisit ContactMethod = "visit"
	// ContactPhone is a telephone call (电话).
	ContactPhone ContactMethod = "phone"
	// ContactNone means the unit did not contact the deputy (未沟通).
	ContactNone ContactMethod = "none"
)

// AllContactMethods lists every contact method.
func AllContactMethods() []ContactMethod {
	return []ContactMethod{ContactMeeting, ContactVisit, ContactPhone, ContactNone}
}

// Valid reports whether m is a known contact method.
func (m ContactMethod) Valid() bool { return slices.Contains(AllContactMethods(), m) }

// LabelZH is the Chinese name of the method.
func (m ContactMethod) LabelZH() string { return contactMethodLabelZH[m] }

var contactMethodLabelZH = map[ContactMethod]string{ContactMeeting: "座谈", ContactVisit: "走访", ContactPhone: "电话", ContactNone: "未沟通"}

// LabelEN is the English name of the method.
func (m ContactMethod) LabelEN() string { return contactMethodLabelEN[m] }

var contactMethodLabelEN = map[ContactMethod]string{ContactMeeting: "Meeting", ContactVisit: "Visit", ContactPhone: "Telephone", ContactNone: "No contact"}

// ExtensionState is the state of an extension request (延期申请).
type ExtensionState string

const (
	// ExtensionRequested awaits the liaison's decision.
	ExtensionRequested ExtensionState = "requested"
	// ExtensionGranted moved the reply due date.
	ExtensionGranted ExtensionState = "granted"
	// ExtensionRefused left the due date as it was.
	ExtensionRefused ExtensionState = "refused"
)

// AllExtensionStates lists every extension state.
func AllExtensionStates() []ExtensionState {
	return []ExtensionState{ExtensionRequested, ExtensionGranted, ExtensionRefused}
}

// LabelZH is the Chinese name of the state.
func (s ExtensionState) LabelZH() string { return extensionStateLabelZH[s] }

var extensionStateLabelZH = map[ExtensionState]string{ExtensionRequested: "待审批", ExtensionGranted: "已同意", ExtensionRefused: "不同意"}

// LabelEN is the English name of the state.
func (s ExtensionState) LabelEN() string { return extensionStateLabelEN[s] }

var extensionStateLabelEN = map[ExtensionState]string{ExtensionRequested: "Awaiting decision", ExtensionGranted: "Granted", ExtensionRefused: "Refused"}
