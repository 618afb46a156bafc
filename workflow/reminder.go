package workflow

import (
	"fmt"
	"slices"
	"time"
)

// DeadlineKind names a deadline a case can carry. Each is active while the
// case owes what it measures, and gets reminders before it and notices after.
type DeadlineKind string

const (
	// DeadlineReply is the reply due date of a lead or separate case's first
	// round (答复期限), moved by granted extensions.
	DeadlineReply DeadlineKind = "reply"
	// DeadlineCoOpinion is a co-handling unit's opinion due date (协办意见期限).
	DeadlineCoOpinion DeadlineKind = "co_opinion"
	// DeadlineReturnWindow is the last day to ask for a return (申请退回期限);
	// an opportunity rather than a duty, so it has no overdue notices.
	DeadlineReturnWindow DeadlineKind = "return_window"
	// DeadlineExtensionDecision is when the liaison should have decided a
	// pending extension request (延期审批).
	DeadlineExtensionDecision DeadlineKind = "extension_decision"
	// DeadlineRehandle is the reply due date of a re-handling round (重办期限).
	DeadlineRehandle DeadlineKind = "rehandle"
	// DeadlineFeedback is when the deputy's feedback form is expected after a
	// reply (征询意见反馈); the liaison chases it.
	DeadlineFeedback DeadlineKind = "feedback"
	// DeadlinePublication is the publication due date of a sent reply (公开期限).
	DeadlinePublication DeadlineKind = "publication"
	// DeadlineProgress is when a key suggestion's next progress report
	// (办理进展) is due: the session's progress period after assignment or
	// after the last report, while the reply is owed.
	DeadlineProgress DeadlineKind = "progress"
)

// AllDeadlineKinds lists every deadline kind.
func AllDeadlineKinds() []DeadlineKind {
	return []DeadlineKind{DeadlineReply, DeadlineCoOpinion, DeadlineReturnWindow, DeadlineExtensionDecision,
		DeadlineRehandle, DeadlineFeedback, DeadlinePublication, DeadlineProgress}
}

// LabelZH is the Chinese name of the deadline.
func (k DeadlineKind) LabelZH() string { return deadlineKindLabelZH[k] }

var deadlineKindLabelZH = map[DeadlineKind]string{
	DeadlineReply: "答复期限", DeadlineCoOpinion: "协办意见期限", DeadlineReturnWindow: "申请退回期限",
	DeadlineExtensionDecision: "延期申请审批期限", DeadlineRehandle: "重办答复期限",
	DeadlineFeedback: "代表反馈期限", DeadlinePublication: "答复公开期限",
	DeadlineProgress: "办理进展报送期限",
}

// LabelEN is the English name of the deadline.
func (k DeadlineKind) LabelEN() string { return deadlineKindLabelEN[k] }

var deadlineKindLabelEN = map[DeadlineKind]string{
	DeadlineReply: "Reply due", DeadlineCoOpinion: "Co-opinion due", DeadlineReturnWindow: "Return window ends",
	DeadlineExtensionDecision: "Extension decision due", DeadlineRehandle: "Re-handling reply due",
	DeadlineFeedback: "Deputy's feedback due", DeadlinePublication: "Publication due",
	DeadlineProgress: "Progress report due",
}

// Escalates reports whether the deadline gets overdue notices after it.
func (k DeadlineKind) Escalates() bool { return k != DeadlineReturnWindow }

// ForLiaison reports whether the liaison office owes what the deadline
// measures (deciding an extension, chasing the deputy's feedback) rather
// than the unit.
func (k DeadlineKind) ForLiaison() bool {
	return k == DeadlineExtensionDecision || k == DeadlineFeedback
}

// UnitDuty reports whether the deadline measures what a unit owes and can
// be late with: neither the liaison's own (ForLiaison) nor the return
// window (an opportunity, never overdue). A key suggestion's progress
// report is reminded and escalated like a duty but is not the answer the
// unit owes: a late report does not make the case overdue (the key
// suggestions' section of the dashboard shows it).
func (k DeadlineKind) UnitDuty() bool {
	return k.Escalates() && !k.ForLiaison() && k != DeadlineProgress
}

// UnitDutyKinds lists the deadline kinds of UnitDuty.
func UnitDutyKinds() []DeadlineKind {
	return slices.DeleteFunc(AllDeadlineKinds(), func(k DeadlineKind) bool { return !k.UnitDuty() })
}

// Deadline is one deadline a case carries now.
type Deadline struct {
	Kind DeadlineKind
	Due  Date
	// Provisional marks a due date counted without a year's holiday data
	// (see DueDate).
	Provisional bool
}

// CaseDeadlineFacts is what decides which deadlines a case carries.
type CaseDeadlineFacts struct {
	Case *Case
	// ExtensionDue is the decision due date of a pending extension request
	// (zero when none is pending).
	ExtensionDue DueDate
	// FeedbackDue is when feedback on the sent reply is expected (zero
	// before a reply is sent).
	FeedbackDue DueDate
	// PublicationState and PublicationDue describe the latest reply's
	// publication ("" before a reply is sent).
	PublicationState State
	PublicationDue   DueDate
	// ProgressDue is when the next progress report of a key suggestion is
	// due (ProgressFrom); zero for a suggestion that is not key.
	ProgressDue DueDate
}

// ActiveDeadlines derives from a case's state the deadlines it carries now.
// Storage reconciles the stored deadlines and their reminder jobs with this
// list in every transaction that changes a case, so it is the one place that
// says when a deadline starts and ends.
func ActiveDeadlines(f CaseDeadlineFacts) []Deadline {
	c := f.Case
	var out []Deadline
	add := func(k DeadlineKind, due Date, provisional bool) {
		if !due.IsZero() {
			out = append(out, Deadline{Kind: k, Due: due, Provisional: provisional})
		}
	}
	owing := c.Owes() != OwedNothing
	if owing {
		add(c.DueDeadline(), c.Due(), c.DueProvisional())
	}
	if c.State == StateAssigned {
		add(DeadlineReturnWindow, c.ReturnDue, c.Provisional.Return)
	}
	if owing {
		add(DeadlineExtensionDecision, f.ExtensionDue.Date, f.ExtensionDue.Provisional)
	}
	if c.State == StateReplied {
		add(DeadlineFeedback, f.FeedbackDue.Date, f.FeedbackDue.Provisional)
	}
	if f.PublicationState == StatePending {
		add(DeadlinePublication, f.PublicationDue.Date, f.PublicationDue.Provisional)
	}
	if owing && c.Kind.RepliesToDeputy() {
		// Only a key suggestion's case has one; it ends with the reply.
		add(DeadlineProgress, f.ProgressDue.Date, f.ProgressDue.Provisional)
	}
	return out
}

// ReminderPolicy says when reminders go out: DaysBefore working days before
// a due date and on the due day, at Hour:Minute in Asia/Shanghai, and after
// the due day an overdue notice every working day. Configurable per congress
// session.
type ReminderPolicy struct {
	DaysBefore []int
	Hour       int
	Minute     int
}

// DefaultReminderPolicy is 15, 7, 3 and 1 working days before, and the due
// day, at 09:00.
func DefaultReminderPolicy() ReminderPolicy {
	return ReminderPolicy{DaysBefore: []int{15, 7, 3, 1}, Hour: 9, Minute: 0}
}

// Validate checks the policy: days before from 1 to 60, no duplicates, a
// time of day.
func (p ReminderPolicy) Validate() error {
	seen := map[int]bool{}
	for _, d := range p.DaysBefore {
		if d < 1 || d > 60 {
			return Errorf(ErrInvalid, "reminder days: %d is not between 1 and 60 working days", d)
		}
		if seen[d] {
			return Errorf(ErrInvalid, "reminder days: %d appears twice", d)
		}
		seen[d] = true
	}
	if p.Hour < 0 || p.Hour > 23 || p.Minute < 0 || p.Minute > 59 {
		return Errorf(ErrInvalid, "reminder time: %02d:%02d is not a time of day", p.Hour, p.Minute)
	}
	return nil
}

// NoticeKind is what a reminder says about its deadline.
type NoticeKind string

const (
	// NoticeBefore: the deadline is some working days ahead (即将到期).
	NoticeBefore NoticeKind = "before"
	// NoticeDue: the deadline is today (今日到期).
	NoticeDue NoticeKind = "due"
	// NoticeOverdue: the deadline has passed (已逾期); escalated.
	NoticeOverdue NoticeKind = "overdue"
)

// Notice is one reminder of a deadline: when it goes out and what it says.
type Notice struct {
	Kind NoticeKind
	// Day is the working day it goes out on.
	Day Date
	// At is Day at the policy's time in Asia/Shanghai.
	At time.Time
	// WorkingDays is how many working days remain (before) or have passed
	// (overdue) on Day; 0 on the due day.
	WorkingDays int
}

// Key names the notice within its deadline, e.g. "before-7", "due",
// "overdue-2024-10-09".
func (n Notice) Key() string {
	switch n.Kind {
	case NoticeBefore:
		return fmt.Sprintf("before-%d", n.WorkingDays)
	case NoticeOverdue:
		return "overdue-" + n.Day.String()
	}
	return "due"
}

// Notices returns the notices of a deadline due on due that go out after
// now, in order: the policy's days before (working days counted back from
// the due day), the due day itself (moved to the next working day if the due
// day is not one), and the first overdue notice — the first working day after
// the due day whose notice time is after now, so a deadline that passed long
// ago still gets its next overdue notice. Each overdue notice, when sent,
// schedules the next (NextOverdue). kind decides whether there are overdue
// notices at all.
//
// In a year without holiday data the notices fall on provisional working
// days (Monday to Friday, see Workday); when the year's data arrives,
// storage re-plans the reminders of the deadlines it recomputes.
func (c *Calendar) Notices(kind DeadlineKind, due Date, p ReminderPolicy, now time.Time) ([]Notice, error) {
	var out []Notice
	at := func(d Date) time.Time {
		return d.Time().Add(time.Duration(p.Hour)*time.Hour + time.Duration(p.Minute)*time.Minute)
	}
	dueDay, err := c.NextWorkday(due)
	if err != nil {
		return nil, err
	}
	days := slices.Clone(p.DaysBefore)
	slices.Sort(days)
	slices.Reverse(days)
	for _, n := range days {
		d, err := c.workdaysBefore(dueDay, n)
		if err != nil {
			return nil, err
		}
		if at(d).After(now) {
			out = append(out, Notice{Kind: NoticeBefore, Day: d, At: at(d), WorkingDays: n})
		}
	}
	if at(dueDay).After(now) {
		out = append(out, Notice{Kind: NoticeDue, Day: dueDay, At: at(dueDay)})
	}
	if !kind.Escalates() {
		return out, nil
	}
	next, err := c.NextOverdue(due, p, now)
	if err != nil {
		return nil, err
	}
	return append(out, next), nil
}

// NextOverdue returns the overdue notice of a deadline due on due that comes
// next after now: the first working day after the due day whose notice time
// is after now.
func (c *Calendar) NextOverdue(due Date, p ReminderPolicy, now time.Time) (Notice, error) {
	d := due.AddDays(1)
	if today := DateOf(now); today.After(d) {
		d = today
	}
	for {
		var err error
		if d, err = c.NextWorkday(d); err != nil {
			return Notice{}, err
		}
		at := d.Time().Add(time.Duration(p.Hour)*time.Hour + time.Duration(p.Minute)*time.Minute)
		if at.After(now) {
			n, err := c.WorkingDaysUntil(due, d)
			if err != nil {
				return Notice{}, err
			}
			return Notice{Kind: NoticeOverdue, Day: d, At: at, WorkingDays: n}, nil
		}
		d = d.AddDays(1)
	}
}

// workdaysBefore returns the n-th working day before d.
func (c *Calendar) workdaysBefore(d Date, n int) (Date, error) {
	for n > 0 {
		d = d.AddDays(-1)
		ok, _, err := c.Workday(d)
		if err != nil {
			return Date{}, err
		}
		if ok {
			n--
		}
	}
	return d, nil
}

// Audience is who a notice goes to: roles in the case's unit, and whether
// the liaison office gets it too.
type Audience struct {
	UnitRoles []Role
	Liaison   bool
}

// AudienceOf says who hears of a deadline: the unit's drafters before and
// on the due day, escalated after it to the unit's reviewers and approvers
// and to the liaison office; deadlines the liaison owes go to the liaison
// office only.
func AudienceOf(k DeadlineKind, n NoticeKind) Audience {
	if k.ForLiaison() {
		return Audience{Liaison: true}
	}
	if n == NoticeOverdue {
		return Audience{UnitRoles: []Role{RoleDrafter, RoleReviewer, RoleApprover}, Liaison: true}
	}
	if k == DeadlinePublication {
		return Audience{UnitRoles: []Role{RoleDrafter, RoleApprover}}
	}
	return Audience{UnitRoles: []Role{RoleDrafter}}
}
