package workflow

import (
	"fmt"
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
	// AwaitedCoOpinions names the co-handling units whose opinion is
	// pending, with its due date, for the reason a page gives (storage
	// fills it with CoOpinionsPending; it may be empty when only the count
	// is known).
	AwaitedCoOpinions []AwaitedCoOpinion
	// CoOpinionsWaived reports whether the liaison waived the missing co-opinions.
	CoOpinionsWaived bool
	// ExtensionPending reports whether an extension request awaits a decision.
	ExtensionPending bool
	// Disclosure is the disclosure decision of the reply (for publication).
	Disclosure Disclosure
	// KeySuggestion reports whether the case's suggestion is a key
	// suggestion (重点建议); SignerPrincipal whether the acting user is
	// their unit's principal leader (主要负责人).
	KeySuggestion   bool
	SignerPrincipal bool
	// MergedInto is the number of the suggestion the case's suggestion is
	// merged into (并案), "" when none: its case then takes the actions of
	// MergeFollows only with the main case.
	MergedInto string
	// ReplySent reports whether any case of the suggestion has sent a reply
	// to the deputy: it can then no longer be withdrawn or converted.
	ReplySent bool
	// Input is what the user entered with the action.
	Input Input
}

// AwaitedCoOpinion is a co-handling unit's opinion the lead unit waits for.
type AwaitedCoOpinion struct {
	// Unit is the co-handling unit's name.
	Unit string
	// Due is the co-opinion's due date.
	Due Date
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
	// Summary is the summary the portal publishes, required when
	// Disclosure is DiscloseSummary (摘要公开).
	Summary string
	// Withheld lists the passages of the reply left out of its public text
	// (区分处理), chosen at sign-off.
	Withheld []Passage
	// DocumentNumber is the reply's document number (文号).
	DocumentNumber string
	// Due is the wanted (request) or granted (grant) extension due date.
	Due Date
	// Destination is where a suggestion not handled as a suggestion went
	// (不作为建议处理: 转为来信, 转信访部门, 转其他机关…), free text.
	Destination string
	// WorkRating and ResultRating are the deputy's two ratings: 办理工作 and 办理结果.
	WorkRating   Rating
	ResultRating Rating
}

// Guard is a named condition on a transition. Check returns nil when the
// transition may proceed, or a domain error saying what is missing, in
// plain words, with the values it names in Args (for a translation keyed
// by the guard's name and the error's Reason).
type Guard struct {
	Name string
	// On says what the guard looks at: the case's facts (GuardOnState) or
	// what the user enters with the action (GuardOnInput).
	On GuardKind
	// Hides says that when the guard fails on the case's facts there is
	// nothing to decide, so the action is not offered at all (no extension
	// request to grant, no missing co-opinion to waive, a reply that is not
	// to be published); otherwise the action is shown disabled, with the
	// guard's message as the reason.
	Hides bool
	// OwnWork says that a failure is remedied by the user's own work on
	// the case (saving a draft), so the case still waits for them: it stays
	// in their queue (Awaited), the action disabled until then.
	OwnWork bool
	Check   func(a Action, f Facts) *Error
}

// GuardKind says what a guard looks at.
type GuardKind string

const (
	// GuardOnState: facts of the case (a draft saved, a co-opinion missing,
	// an extension request pending, the return window, the disclosure of
	// the reply). They are known before the user types anything, so a page
	// evaluates them to offer only what can succeed (Offers).
	GuardOnState GuardKind = "state"
	// GuardOnInput: what the user enters with the action (a comment, the
	// reply's class, the ratings, a due date). A page never hides a form
	// for them: the form asks for that input.
	GuardOnInput GuardKind = "input"
)

// refuse returns the domain error of a failing guard: code, plain message,
// the reason within the guard ("" when it has one) and the values named.
func refuse(code ErrorCode, reason, msg string, args ...any) *Error {
	return &Error{Code: code, Message: msg, Reason: reason, Args: args}
}

// The guards of the transition table. Their messages say, in plain words,
// what stands in the way and what to do; they never name an action, a
// field or an id as code knows it.
var (
	// GuardWithinReturnWindow: a return may be requested only until the last
	// day of the return window (return-window rule).
	GuardWithinReturnWindow = Guard{Name: "within_return_window", On: GuardOnState, Check: func(_ Action, f Facts) *Error {
		if DateOf(f.Now).After(f.ReturnDue) {
			return refuse(ErrConflict, "", fmt.Sprintf("申请退回的期限已于 %s 截止，不能再申请退回；如确需调整承办单位，请联系督办人员。", f.ReturnDue), f.ReturnDue)
		}
		return nil
	}}
	// GuardCommentGiven: the action needs a reason or comment.
	GuardCommentGiven = Guard{Name: "comment_given", On: GuardOnInput, Check: func(a Action, f Facts) *Error {
		if strings.TrimSpace(f.Input.Comment) == "" {
			return refuse(ErrInvalid, "", fmt.Sprintf("请先填写意见或理由，再%s。", a.LabelZH()), a)
		}
		return nil
	}}
	// GuardHasDraft: a draft must be saved before it can go to review.
	GuardHasDraft = Guard{Name: "has_draft", On: GuardOnState, OwnWork: true, Check: func(_ Action, f Facts) *Error {
		if !f.HasDraft {
			return refuse(ErrConflict, "", "请先保存答复稿，再提交审核。")
		}
		return nil
	}}
	// GuardReplyDecided: sign-off sets a valid class and disclosure, with a
	// reason when the reply is not disclosed and a summary when only the
	// summary is published.
	GuardReplyDecided = Guard{Name: "reply_decided", On: GuardOnInput, Check: func(_ Action, f Facts) *Error {
		in := f.Input
		switch {
		case !in.Class.Valid():
			return refuse(ErrInvalid, "class", "请选择办理结果分类（A、B、C、D 类之一）。")
		case !in.Disclosure.Valid():
			return refuse(ErrInvalid, "disclosure", "请选择公开属性。")
		case in.Disclosure == DiscloseNone && strings.TrimSpace(in.DisclosureReason) == "":
			return refuse(ErrInvalid, "disclosure_reason", "选择“不予公开”时，请填写不予公开的理由。")
		case in.Disclosure == DiscloseSummary && strings.TrimSpace(in.Summary) == "":
			return refuse(ErrInvalid, "summary", "选择“摘要公开”时，请填写公开的答复摘要：公开答复栏目只发布摘要，不发布全文。")
		}
		return nil
	}}
	// GuardCoOpinionsIn: the lead unit signs only when every co-opinion is in
	// or the liaison waived the missing ones.
	GuardCoOpinionsIn = Guard{Name: "co_opinions_in", On: GuardOnState, Check: func(_ Action, f Facts) *Error {
		if f.CoOpinionsPending > 0 && !f.CoOpinionsWaived {
			if len(f.AwaitedCoOpinions) > 0 {
				return refuse(ErrConflict, "", fmt.Sprintf("等待%s的协办意见，暂不能签发；协办意见提交后即可签发，或请督办人员同意先行答复。",
					AwaitedList(f.AwaitedCoOpinions)), f.AwaitedCoOpinions)
			}
			return refuse(ErrConflict, "count", fmt.Sprintf("还有 %d 个协办单位未提交协办意见，暂不能签发；协办意见提交后即可签发，或请督办人员同意先行答复。",
				f.CoOpinionsPending), f.CoOpinionsPending)
		}
		return nil
	}}
	// GuardCoOpinionsPending: there is something to waive.
	GuardCoOpinionsPending = Guard{Name: "co_opinions_pending", On: GuardOnState, Hides: true, Check: func(_ Action, f Facts) *Error {
		if f.CoOpinionsPending == 0 || f.CoOpinionsWaived {
			return refuse(ErrConflict, "", "所有协办意见都已提交，或已同意主办单位先行答复，无需再作此决定。")
		}
		return nil
	}}
	// GuardFeedbackComplete: both ratings are given.
	GuardFeedbackComplete = Guard{Name: "feedback_complete", On: GuardOnInput, Check: func(_ Action, f Facts) *Error {
		if !f.Input.WorkRating.Valid() {
			return refuse(ErrInvalid, "work", "请选择对办理工作的评价。")
		}
		if !f.Input.ResultRating.Valid() {
			return refuse(ErrInvalid, "result", "请选择对办理结果的评价。")
		}
		return nil
	}}
	// GuardFeedbackSatisfied: neither rating is 不满意, so the case closes.
	GuardFeedbackSatisfied = Guard{Name: "feedback_satisfied", On: GuardOnInput, Check: func(_ Action, f Facts) *Error {
		if f.Input.WorkRating == RatingDissatisfied || f.Input.ResultRating == RatingDissatisfied {
			return refuse(ErrConflict, "", "代表有一项评价为不满意，该建议将进入重办。")
		}
		return nil
	}}
	// GuardFeedbackDissatisfied: a rating is 不满意, so a new round opens.
	GuardFeedbackDissatisfied = Guard{Name: "feedback_dissatisfied", On: GuardOnInput, Check: func(_ Action, f Facts) *Error {
		if f.Input.WorkRating != RatingDissatisfied && f.Input.ResultRating != RatingDissatisfied {
			return refuse(ErrConflict, "", "代表满意或基本满意，该建议将办结。")
		}
		return nil
	}}
	// GuardNoExtensionPending: one extension request at a time.
	GuardNoExtensionPending = Guard{Name: "no_extension_pending", On: GuardOnState, Check: func(_ Action, f Facts) *Error {
		if f.ExtensionPending {
			return refuse(ErrConflict, "", "已有一份延期申请在等待督办人员决定，请等有了结果再申请。")
		}
		return nil
	}}
	// GuardExtensionPending: there is a request to decide.
	GuardExtensionPending = Guard{Name: "extension_pending", On: GuardOnState, Hides: true, Check: func(_ Action, f Facts) *Error {
		if !f.ExtensionPending {
			return refuse(ErrConflict, "", "该建议没有待审批的延期申请，无需决定。")
		}
		return nil
	}}
	// GuardExtensionWithinCap: the new due date is later than the current one
	// and not beyond the reply-extended rule.
	GuardExtensionWithinCap = Guard{Name: "extension_within_cap", On: GuardOnInput, Check: func(_ Action, f Facts) *Error {
		d := f.Input.Due
		switch {
		case d.IsZero():
			return refuse(ErrInvalid, "missing", "请填写延期后的答复期限。")
		case !d.After(f.ReplyDue):
			return refuse(ErrInvalid, "early", fmt.Sprintf("延期后的答复期限须晚于当前期限 %s，请重新选择日期。", f.ReplyDue), f.ReplyDue)
		case d.After(f.ExtensionCap):
			return refuse(ErrInvalid, "late", fmt.Sprintf("延期后的答复期限不能晚于 %s（延期上限），请重新选择日期。", f.ExtensionCap), f.ExtensionCap)
		}
		return nil
	}}
	// GuardNoReplySent: a suggestion ends without a reply (撤回, 不作为建议处理)
	// only while none of its units has sent one; after that there is
	// nothing to withdraw, so the action is not offered.
	GuardNoReplySent = Guard{Name: "no_reply_sent", On: GuardOnState, Hides: true, Check: func(_ Action, f Facts) *Error {
		if f.ReplySent {
			return refuse(ErrConflict, "", "该建议已答复代表，不能再登记撤回或不作为建议处理。")
		}
		return nil
	}}
	// GuardDestinationGiven: a suggestion not handled as a suggestion says
	// where it went.
	GuardDestinationGiven = Guard{Name: "destination_given", On: GuardOnInput, Check: func(_ Action, f Facts) *Error {
		if strings.TrimSpace(f.Input.Destination) == "" {
			return refuse(ErrInvalid, "", "请填写该建议转往何处（如转为来信、转信访部门、转其他机关）。")
		}
		return nil
	}}
	// GuardPublishable: only replies disclosed in full or as a summary go on
	// the public portal.
	GuardPublishable = Guard{Name: "publishable", On: GuardOnState, Hides: true, Check: func(_ Action, f Facts) *Error {
		if !f.Disclosure.Publishable() {
			return refuse(ErrConflict, "", fmt.Sprintf("该答复的公开属性为“%s”，不在公开答复栏目发布。", f.Disclosure.LabelZH()), f.Disclosure)
		}
		return nil
	}}
)

// AwaitedList names the awaited co-opinions in Chinese: each unit with its
// due date, 市科技创新局（期限 2027-08-01）, joined by 、.
func AwaitedList(list []AwaitedCoOpinion) string {
	parts := make([]string, len(list))
	for i, a := range list {
		parts[i] = a.Unit
		if !a.Due.IsZero() {
			parts[i] += "（期限 " + a.Due.String() + "）"
		}
	}
	return strings.Join(parts, "、")
}

// guardNamed returns the guard of the table with that name.
func guardNamed(name string) (Guard, bool) {
	for _, g := range AllGuards() {
		if g.Name == name {
			return g, true
		}
	}
	return Guard{}, false
}

// AllGuards lists every guard the table uses.
func AllGuards() []Guard {
	return []Guard{
		GuardWithinReturnWindow, GuardCommentGiven, GuardHasDraft, GuardReplyDecided,
		GuardCoOpinionsIn, GuardCoOpinionsPending, GuardFeedbackComplete, GuardFeedbackSatisfied,
		GuardFeedbackDissatisfied, GuardNoExtensionPending, GuardExtensionPending,
		GuardExtensionWithinCap, GuardPublishable,
		GuardPrincipalLeader, GuardNoReplySent, GuardDestinationGiven,
	}
}
