package workflow

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// 重点建议 (key suggestions) and 并案 (merged handling): the rules.

// KeyMark is the mark of a key suggestion (重点建议): the leader who
// oversees it (领衔督办领导) and the supervising office.
type KeyMark struct {
	ProposalID int64
	// LeaderName and LeaderTitle name the overseeing leader, e.g. 张三,
	// 副市长.
	LeaderName  string
	LeaderTitle string
	// Office is the supervising office (督办单位), e.g. 市政府督查室.
	Office   string
	MarkedBy int64
	MarkedAt time.Time
}

// Validate checks that the mark names a leader and an office.
func (m KeyMark) Validate() error {
	switch {
	case strings.TrimSpace(m.LeaderName) == "":
		return ruled("key_mark", refuse(ErrInvalid, "leader", "请填写领衔督办领导的姓名。"))
	case strings.TrimSpace(m.Office) == "":
		return ruled("key_mark", refuse(ErrInvalid, "office", "请填写督办单位。"))
	}
	return nil
}

// Leader names the overseeing leader with their title: 张三（副市长）.
func (m KeyMark) Leader() string {
	if t := strings.TrimSpace(m.LeaderTitle); t != "" {
		return m.LeaderName + "（" + t + "）"
	}
	return m.LeaderName
}

// ProgressReport is a key suggestion's progress report (办理进展).
type ProgressReport struct {
	ID         int64
	CaseID     int64
	ReportedOn Date
	Body       string
	AuthorID   int64
	CreatedAt  time.Time
}

// Validate checks that the report says something and is not dated after
// today.
func (r ProgressReport) Validate(today Date) error {
	switch {
	case strings.TrimSpace(r.Body) == "":
		return ruled("progress_report", refuse(ErrInvalid, "body", "请填写办理进展。"))
	case r.ReportedOn.IsZero():
		return ruled("progress_report", refuse(ErrInvalid, "date", "请填写进展日期。"))
	case r.ReportedOn.After(today):
		return ruled("progress_report", refuse(ErrInvalid, "future", "进展日期不能晚于今天。"))
	}
	return nil
}

// ProgressFrom is the day from which the next progress report of a key
// suggestion's case is counted (RuleProgress): its last report's date, or
// the day of assignment before any report.
func ProgressFrom(assignedOn, lastReport Date) Date {
	if lastReport.After(assignedOn) {
		return lastReport
	}
	return assignedOn
}

// GuardPrincipalLeader: a key suggestion's reply is signed off by the
// unit's principal leader (主要负责人). It looks at the case and the signer,
// both known before any input, so a page shows the sign-off disabled with
// this reason.
var GuardPrincipalLeader = Guard{Name: "principal_leader", On: GuardOnState, Check: func(_ Action, f Facts) *Error {
	if f.KeySuggestion && !f.SignerPrincipal {
		return refuse(ErrForbidden, "", "这件建议是重点建议，须由本单位主要负责人签发；请转请主要负责人签发。")
	}
	return nil
}}

// MergeFollows lists the actions a merged suggestion's case (并案) takes
// with its main suggestion's case, in the same transaction: acceptance,
// the draft's way through review, the sign-off and the sending. The unit
// drafts once, on the main case; each merged case gets its own reply (its
// own number, title and deputies, from the main case's signed draft) and
// its own publication, feedback and closure after the reply is sent.
//
// Why the cases move together rather than producing the replies only at
// sign-off or send: every list, statistic and deadline reads the state of
// each suggestion's own case, so a merged suggestion is shown as being
// handled, in review or signed exactly when its main one is, and its reply
// deadline ends when its reply is sent, without a second kind of case.
var MergeFollows = []Action{ActionAccept, ActionSubmit, ActionForward, ActionReturnForRevision, ActionSign, ActionSend}

// Follows reports whether a merged case takes action a with its main case
// (MergeFollows).
func Follows(a Action) bool { return slices.Contains(MergeFollows, a) }

// Follow is the decision a merged case of kind takes when its main case
// took d: the same action to the same state, as the same role, with the
// effects of that action for a case of kind (a reply of its own at
// sign-off; at sending, its reply sent and a publication of its own). The
// main case's guards are not asked again: the merged case has no draft of
// its own.
func Follow(d Decision, kind CaseKind, now time.Time) Decision {
	f := Facts{Now: now}
	return Decision{Transition: d.Transition, Role: d.Role, Effects: effectsOf(d.Transition, kind, f), Next: NextRoles(kind, d.To)}
}

// mergedRefusal refuses, on a merged suggestion's case, the actions it
// only takes with its main case.
func mergedRefusal(a Action, f Facts) *Error {
	if f.MergedInto == "" || !Follows(a) {
		return nil
	}
	e := refuse(ErrConflict, "", fmt.Sprintf("该建议已与第%s号建议并案办理，请在第%s号建议的办件上%s。", f.MergedInto, f.MergedInto, a.LabelZH()),
		f.MergedInto, a)
	e.Rule, e.Guard = "merged", "merged"
	return e
}

// MergeSide is what the merge rules look at of one suggestion: its
// session, its live cases, and how it already takes part in merges.
type MergeSide struct {
	ProposalID int64
	Number     string
	SessionID  int64
	// Cases are the suggestion's live cases (State.Live).
	Cases []*Case
	// MergedInto is the number of the suggestion it is merged into, "" when
	// none; HasMerged reports whether others are merged into it.
	MergedInto string
	HasMerged  bool
}

// replyingCase is the suggestion's one live replying case, nil unless it
// has exactly one live case and that one replies.
func (s MergeSide) replyingCase() *Case {
	if len(s.Cases) != 1 || !s.Cases[0].Kind.RepliesToDeputy() {
		return nil
	}
	return s.Cases[0]
}

// CheckMerge says whether the suggestion other may be merged into main
// (并案): two suggestions of the same session, each assigned to the same
// unit alone (one live replying case, no co-handling units), neither yet
// accepted (drafting has not started), other not already merged and not a
// main suggestion itself, main not merged into another.
func CheckMerge(main, other MergeSide) error {
	mc, oc := main.replyingCase(), other.replyingCase()
	switch {
	case main.ProposalID == other.ProposalID:
		return ruled("merge", refuse(ErrInvalid, "same", "不能与同一件建议并案，请选择另一件建议。"))
	case main.SessionID != other.SessionID:
		return ruled("merge", refuse(ErrInvalid, "session", fmt.Sprintf("第%s号建议不属于同一次会议，不能并案。", other.Number), other.Number))
	case main.MergedInto != "":
		return ruled("merge", refuse(ErrConflict, "main_merged", fmt.Sprintf("第%s号建议已与第%s号建议并案，请以第%s号建议为主建议。",
			main.Number, main.MergedInto, main.MergedInto), main.Number, main.MergedInto))
	case other.MergedInto != "":
		return ruled("merge", refuse(ErrConflict, "merged", fmt.Sprintf("第%s号建议已与第%s号建议并案。", other.Number, other.MergedInto),
			other.Number, other.MergedInto))
	case other.HasMerged:
		return ruled("merge", refuse(ErrConflict, "is_main", fmt.Sprintf("已有建议与第%s号建议并案，请以它为主建议。", other.Number), other.Number))
	case mc == nil || oc == nil:
		return ruled("merge", refuse(ErrConflict, "cases", "并案的建议须各由一个承办单位单独办理（无协办、分办单位）。"))
	case mc.DepartmentID != oc.DepartmentID:
		return ruled("merge", refuse(ErrConflict, "unit", fmt.Sprintf("第%s号建议交由另一个单位办理，不能并案。", other.Number), other.Number))
	case mc.State != StateAssigned || oc.State != StateAssigned:
		return ruled("merge", refuse(ErrConflict, "started", "只能在承办单位签收、开始办理之前并案。"))
	}
	return nil
}

// CheckUnmerge says whether a merge may be undone: only before the unit
// accepts the main suggestion (drafting has not started).
func CheckUnmerge(mainCase *Case) error {
	if mainCase == nil || mainCase.State != StateAssigned {
		return ruled("unmerge", refuse(ErrConflict, "started", "承办单位已开始办理，不能再撤销并案。"))
	}
	return nil
}

// ruled names the rule that refused (the catalogue's refusal.<rule>.<reason>).
func ruled(rule string, e *Error) *Error {
	e.Rule = rule
	return e
}
