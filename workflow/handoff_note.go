package workflow

import (
	"fmt"
	"strings"
)

// HandOffFacts is what a hand-off notice names beside the decision.
type HandOffFacts struct {
	// SessionShort, Number and Title name the proposal.
	SessionShort string
	Number       string
	Title        string
	// Department is the unit of the case acted on; Kind its kind; State its
	// state now.
	Department string
	Kind       CaseKind
	State      State
	// Comment is what the actor wrote with the action (a review comment, a
	// request's reason, a decision's remark).
	Comment string
	// Input is the action's input (the wanted or granted due date).
	Input Input
	// Due is the deadline the audience works to (HandOff.Due); zero Kind
	// when none.
	Due Deadline
}

// HandOffNote is a hand-off notice in plain words: Chinese first, with an
// English line at the end of the text (users store no language; the UI's
// language is a browser cookie).
type HandOffNote struct {
	Subject string
	Text    string
}

// noteWords is how a notice puts one action: a tag for the subject (what
// to do or what happened), what happened in Chinese and in English, and the
// label of the actor's comment.
type noteWords struct {
	tag, zh, en, comment string
}

// wordsOf returns the words of decision d on a case of kind; {dept},
// {draft}, {kind}, {wanted} and {granted} are filled in by Note.
func wordsOf(kind CaseKind, d Decision) noteWords {
	switch d.Action {
	case ActionAssign:
		return noteWords{"待签收", "已交办{dept}（{kind}）", "it was assigned to {dept} ({kind})", ""}
	case ActionAccept:
		return noteWords{"待起草", "{dept}已签收，请起草{draft}", "{dept} accepted it; the {draft} is to be written", ""}
	case ActionSubmit:
		return noteWords{"待审核", "{dept}的{draft}已提交审核", "the {draft} of {dept} was submitted for review", ""}
	case ActionForward:
		return noteWords{"待签发", "{dept}的{draft}已审核通过，提交签发", "the {draft} of {dept} passed review and awaits sign-off", ""}
	case ActionReturnForRevision:
		return noteWords{"退回修改", "{dept}的{draft}被退回修改", "the {draft} of {dept} was returned for revision", "退回意见"}
	case ActionSign:
		if kind == KindCo {
			return noteWords{"协办意见", "{dept}的协办意见已提交", "{dept} submitted its co-handling opinion", "附言"}
		}
		return noteWords{"待答复", "{dept}的答复已签发，请答复代表", "the reply of {dept} was signed off and is to be sent to the deputy", ""}
	case ActionSend:
		return noteWords{"待反馈", "{dept}已答复代表，请跟进代表反馈", "{dept} sent its reply to the deputy; the deputy's feedback is awaited", ""}
	case ActionRecordFeedback:
		return noteWords{"重办", "代表对{dept}的答复不满意，需重新办理", "the deputy is dissatisfied with the reply of {dept}; it is to be handled again", "代表意见"}
	case ActionRequestReturn:
		return noteWords{"退回申请待审批", "{dept}申请退回", "{dept} asks to return it", "申请理由"}
	case ActionApproveReturn:
		return noteWords{"同意退回", "督办部门同意{dept}的退回申请", "the liaison office agreed that {dept} returns it", "审批意见"}
	case ActionRejectReturn:
		return noteWords{"不同意退回", "督办部门不同意{dept}的退回申请，请签收办理", "the liaison office refused the return asked by {dept}; it is to be accepted", "审批意见"}
	case ActionRequestExtension:
		return noteWords{"延期申请待审批", "{dept}申请将答复期限延至{wanted}", "{dept} asks to extend the reply due date to {wanted}", "申请理由"}
	case ActionGrantExtension:
		return noteWords{"同意延期", "督办部门同意延期，答复期限延至{granted}", "the liaison office extended the reply due date to {granted}", "审批意见"}
	case ActionRefuseExtension:
		return noteWords{"不同意延期", "督办部门不同意延期，答复期限不变", "the liaison office refused the extension; the due date stays", "审批意见"}
	case ActionWithdraw:
		return noteWords{"代表撤回", "代表已撤回该建议，{dept}无需继续办理", "the deputy withdrew the suggestion; {dept} need not handle it further", "撤回理由"}
	case ActionConvert:
		return noteWords{"不作为建议处理", "该建议不作为建议处理，已{dest}，{dept}无需继续办理",
			"the suggestion is not handled as a suggestion (it went elsewhere: {dest}); {dept} need not handle it further", "理由"}
	}
	return noteWords{"办理提醒", "{dept}的办理有新进展", "there is news from {dept}", "意见"}
}

// actionEN is the English name of each action a notice asks for.
var actionEN = map[Action]string{
	ActionAccept: "accept", ActionRequestReturn: "request a return", ActionApproveReturn: "approve the return",
	ActionRejectReturn: "refuse the return", ActionSubmit: "submit for review", ActionForward: "approve in review",
	ActionReturnForRevision: "return for revision", ActionSign: "sign off", ActionSend: "send the reply",
	ActionRecordFeedback: "record the feedback", ActionGrantExtension: "grant the extension",
	ActionRefuseExtension: "refuse the extension",
}

// kindEN is the English name of each case kind.
var kindEN = map[CaseKind]string{KindLead: "lead unit", KindCo: "co-handling unit", KindSeparate: "separate reply"}

// deadlineEN is the English name of each deadline.
var deadlineEN = map[DeadlineKind]string{
	DeadlineReply: "reply due", DeadlineCoOpinion: "co-opinion due", DeadlineReturnWindow: "return window ends",
	DeadlineExtensionDecision: "extension decision due", DeadlineRehandle: "re-handling reply due",
	DeadlineFeedback: "deputy's feedback due", DeadlinePublication: "publication due",
	DeadlineProgress: "progress report due",
}

// Note writes the notice of hand-off h after decision d on a case of kind,
// for the audience of h, e.g. subject
// "【待审核】市十五届人大三次会议第20240294号建议：武汉市市场监督管理局的答复稿已提交审核",
// and a text naming the proposal, the unit, what happened, the actor's
// comment, what to do (审核通过或退回修改) and the due date. It names no ids
// and no action identifiers; the link to the case goes beside it.
func (h HandOff) Note(kind CaseKind, d Decision, f HandOffFacts) HandOffNote {
	w := wordsOf(kind, d)
	draftZH, draftEN := "答复稿", "reply draft"
	if kind == KindCo {
		draftZH, draftEN = "协办意见稿", "co-opinion draft"
	}
	fill := func(s, draft, kindLabel string) string {
		return strings.NewReplacer("{dept}", f.Department, "{draft}", draft, "{kind}", kindLabel,
			"{wanted}", f.Input.Due.String(), "{granted}", f.Input.Due.String(),
			"{dest}", strings.TrimSpace(f.Input.Destination)).Replace(s)
	}
	what := fmt.Sprintf("%s第%s号建议", f.SessionShort, f.Number)
	zh := fill(w.zh, draftZH, kind.LabelZH())
	en := fill(w.en, draftEN, kindEN[kind])

	var b strings.Builder
	fmt.Fprintf(&b, "%s《%s》\n", what, f.Title)
	fmt.Fprintf(&b, "承办单位：%s（%s）\n", f.Department, kind.LabelZH())
	fmt.Fprintf(&b, "%s。\n", zh)
	if c := strings.TrimSpace(f.Comment); c != "" && w.comment != "" {
		fmt.Fprintf(&b, "%s：%s\n", w.comment, c)
	}
	var todoZH, todoEN []string
	for _, a := range h.ToDo {
		todoZH, todoEN = append(todoZH, a.LabelZH()), append(todoEN, actionEN[a])
	}
	switch {
	case len(todoZH) > 0:
		fmt.Fprintf(&b, "请您办理：%s。\n", strings.Join(todoZH, "或"))
	case len(h.LeadUnitRoles) > 0:
		b.WriteString("请在本单位答复稿中统筹吸收协办意见。\n")
	}
	due := ""
	if f.Due.Kind != "" {
		due = f.Due.Due.String()
		if f.Due.Provisional {
			due += fmt.Sprintf("（暂定：%d年节假日安排尚未公布）", f.Due.Due.Year)
		}
		fmt.Fprintf(&b, "%s：%s\n", f.Due.Kind.LabelZH(), due)
	}
	if f.State != "" {
		fmt.Fprintf(&b, "当前状态：%s\n", f.State.LabelZH())
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "Suggestion %s of %s: %s.", f.Number, f.SessionShort, en)
	if len(todoEN) > 0 {
		fmt.Fprintf(&b, " To do: %s.", strings.Join(todoEN, " or "))
	}
	if f.Due.Kind != "" {
		fmt.Fprintf(&b, " %s: %s", upperFirst(deadlineEN[f.Due.Kind]), f.Due.Due)
		if f.Due.Provisional {
			b.WriteString(" (provisional)")
		}
		b.WriteString(".")
	}
	b.WriteString("\n")
	return HandOffNote{Subject: fmt.Sprintf("【%s】%s：%s", w.tag, what, zh), Text: b.String()}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
