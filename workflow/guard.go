package workflow

import (
	"strings"
	"time"
)

// Facts is what the guards of the transition table look at: the time of the
// action, what storage knows about the case at that moment (read under the
// case's lock) and the user's input.
type Facts struct {
	// Now is when the action happens.
	Now time.Time
	// ReturnDue is the last day of the return window.
	ReturnDue Date
	// ReplyDue is the current reply due date.
	ReplyDue Date
	// ExtensionCap is the latest date an extension may reach (reply-extended),
	// computed when the extension is requested or decided
	// (Calendar.ExtensionCap); zero for other actions.
	ExtensionCap Date
	// HasDraft reports whether the current round has a saved draft.
	HasDraft bool
	// CoOpinionsPending counts co-handling cases of the proposal that have
	// neither submitted their opinion nor been returned.
	CoOpinionsPending int
	// CoOpinionsWaived reports whether the liaison waived the missing co-opinions.
	CoOpinionsWaived bool
	// ExtensionPending reports whether an extension request awaits a decision.
	ExtensionPending bool
	// Disclosure is the disclosure decision of the reply (for publication).
	Disclosure Disclosure
	// Input is what the user entered with the action.
	Input Input
}

// Input is what a user enters with an action.
type Input struct {
	// Comment is the reason or review comment.
	Comment string
	// Class is the reply class chosen at sign-off.
	Class ReplyClass
	// Disclosure is the disclosure decision chosen at sign-off.
	Disclosure Disclosure
	// DisclosureReason is required when Disclosure is DiscloseNone.
	DisclosureReason string
	// DocumentNumber is the reply's document number (文号).
	DocumentNumber string
	// Due is the wanted (request) or granted (grant) extension due date.
	Due Date
	// WorkRating and ResultRating are the deputy's two ratings: 办理工作 and 办理结果.
	WorkRating   Rating
	ResultRating Rating
}

// Guard is a named condition on a transition. Check returns nil when the
// transition may proceed, or a domain error saying what is missing.
type Guard struct {
	Name  string
	Check func(a Action, f Facts) *Error
}

// The guards of the transition table.
var (
	// GuardWithinReturnWindow: a return may be requested only until the last
	// day of the return window (return-window rule).
	GuardWithinReturnWindow = Guard{"within_return_window", func(_ Action, f Facts) *Error {
		if DateOf(f.Now).After(f.ReturnDue) {
			return Errorf(ErrConflict, "退回申请期限已过（%s） (the return window ended on %s)", f.ReturnDue, f.ReturnDue)
		}
		return nil
	}}
	// GuardCommentGiven: the action needs a reason or comment.
	GuardCommentGiven = Guard{"comment_given", func(a Action, f Facts) *Error {
		if strings.TrimSpace(f.Input.Comment) == "" {
			return Errorf(ErrInvalid, "请填写意见或理由 (a comment is required to %s)", a)
		}
		return nil
	}}
	// GuardHasDraft: a draft must be saved before it can go to review.
	GuardHasDraft = Guard{"has_draft", func(_ Action, f Facts) *Error {
		if !f.HasDraft {
			return Errorf(ErrConflict, "尚无答复稿 (save a draft before submitting it)")
		}
		return nil
	}}
	// GuardReplyDecided: sign-off sets a valid class and disclosure, with a
	// reason when the reply is not disclosed.
	GuardReplyDecided = Guard{"reply_decided", func(_ Action, f Facts) *Error {
		in := f.Input
		switch {
		case !in.Class.Valid():
			return Errorf(ErrInvalid, "请选择办理结果分类 A/B/C/D (class: %q is not one of A, B, C, D)", in.Class)
		case !in.Disclosure.Valid():
			return Errorf(ErrInvalid, "请选择公开属性 (disclosure: %q is not one of public, summary, on_request, none)", in.Disclosure)
		case in.Disclosure == DiscloseNone && strings.TrimSpace(in.DisclosureReason) == "":
			return Errorf(ErrInvalid, "不予公开须说明理由 (disclosure_reason: required when the reply is not disclosed)")
		}
		return nil
	}}
	// GuardCoOpinionsIn: the lead unit signs only when every co-opinion is in
	// or the liaison waived the missing ones.
	GuardCoOpinionsIn = Guard{"co_opinions_in", func(_ Action, f Facts) *Error {
		if f.CoOpinionsPending > 0 && !f.CoOpinionsWaived {
			return Errorf(ErrConflict, "尚有%d个协办单位未提交意见 (%d co-opinion(s) missing; the liaison may waive them)", f.CoOpinionsPending, f.CoOpinionsPending)
		}
		return nil
	}}
	// GuardCoOpinionsPending: there is something to waive.
	GuardCoOpinionsPending = Guard{"co_opinions_pending", func(_ Action, f Facts) *Error {
		if f.CoOpinionsPending == 0 || f.CoOpinionsWaived {
			return Errorf(ErrConflict, "没有待提交的协办意见 (no co-opinion is missing)")
		}
		return nil
	}}
	// GuardFeedbackComplete: both ratings are given.
	GuardFeedbackComplete = Guard{"feedback_complete", func(_ Action, f Facts) *Error {
		if !f.Input.WorkRating.Valid() {
			return Errorf(ErrInvalid, "请选择对办理工作的评价 (work_rating: %q is not one of satisfied, basically_satisfied, dissatisfied)", f.Input.WorkRating)
		}
		if !f.Input.ResultRating.Valid() {
			return Errorf(ErrInvalid, "请选择对办理结果的评价 (result_rating: %q is not one of satisfied, basically_satisfied, dissatisfied)", f.Input.ResultRating)
		}
		return nil
	}}
	// GuardFeedbackSatisfied: neither rating is 不满意, so the case closes.
	GuardFeedbackSatisfied = Guard{"feedback_satisfied", func(_ Action, f Facts) *Error {
		if f.Input.WorkRating == RatingDissatisfied || f.Input.ResultRating == RatingDissatisfied {
			return Errorf(ErrConflict, "代表不满意 (the deputy is dissatisfied)")
		}
		return nil
	}}
	// GuardFeedbackDissatisfied: a rating is 不满意, so a new round opens.
	GuardFeedbackDissatisfied = Guard{"feedback_dissatisfied", func(_ Action, f Facts) *Error {
		if f.Input.WorkRating != RatingDissatisfied && f.Input.ResultRating != RatingDissatisfied {
			return Errorf(ErrConflict, "代表满意或基本满意 (the deputy is not dissatisfied)")
		}
		return nil
	}}
	// GuardNoExtensionPending: one extension request at a time.
	GuardNoExtensionPending = Guard{"no_extension_pending", func(_ Action, f Facts) *Error {
		if f.ExtensionPending {
			return Errorf(ErrConflict, "已有延期申请待审批 (an extension request already awaits a decision)")
		}
		return nil
	}}
	// GuardExtensionPending: there is a request to decide.
	GuardExtensionPending = Guard{"extension_pending", func(_ Action, f Facts) *Error {
		if !f.ExtensionPending {
			return Errorf(ErrConflict, "没有待审批的延期申请 (no extension request awaits a decision)")
		}
		return nil
	}}
	// GuardExtensionWithinCap: the new due date is later than the current one
	// and not beyond the reply-extended rule.
	GuardExtensionWithinCap = Guard{"extension_within_cap", func(_ Action, f Facts) *Error {
		d := f.Input.Due
		switch {
		case d.IsZero():
			return Errorf(ErrInvalid, "请填写延期后的答复期限 (due: required)")
		case !d.After(f.ReplyDue):
			return Errorf(ErrInvalid, "延期后的期限须晚于当前期限%s (due: %s is not after the current due date %s)", f.ReplyDue, d, f.ReplyDue)
		case d.After(f.ExtensionCap):
			return Errorf(ErrInvalid, "延期不得超过%s (due: %s is beyond the reply-extended limit %s)", f.ExtensionCap, d, f.ExtensionCap)
		}
		return nil
	}}
	// GuardPublishable: only replies disclosed in full or as a summary go on
	// the public portal.
	GuardPublishable = Guard{"publishable", func(_ Action, f Facts) *Error {
		if !f.Disclosure.Publishable() {
			return Errorf(ErrConflict, "该答复的公开属性为%s，不能公开 (disclosure %s is not publishable)", f.Disclosure.LabelZH(), f.Disclosure)
		}
		return nil
	}}
)

// AllGuards lists every guard the table uses.
func AllGuards() []Guard {
	return []Guard{
		GuardWithinReturnWindow, GuardCommentGiven, GuardHasDraft, GuardReplyDecided,
		GuardCoOpinionsIn, GuardCoOpinionsPending, GuardFeedbackComplete, GuardFeedbackSatisfied,
		GuardFeedbackDissatisfied, GuardNoExtensionPending, GuardExtensionPending,
		GuardExtensionWithinCap, GuardPublishable,
	}
}
