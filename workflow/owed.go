package workflow

import "slices"

// The predicates every page, list, statistic and reminder asks of a case:
// what its unit still owes, by when, and how urgent that is. They are
// decided here only; a SQL mirror (storage's statistics) is tested equal
// to them.

// DueSoonDays is how many working days before its due date a case is due
// soon (the amber light, the dashboard's 即将到期): from the due day back to
// the DueSoonDays-th working day before it.
const DueSoonDays = 7

// Owed is what a unit still owes on a case.
type Owed string

const (
	// OwedNothing: the unit owes nothing more (returned, replied, closed or
	// its co-opinion submitted).
	OwedNothing Owed = ""
	// OwedReply: a lead or separate unit owes its reply to the deputy.
	OwedReply Owed = "reply"
	// OwedCoOpinion: a co-handling unit owes its opinion to the lead unit.
	OwedCoOpinion Owed = "co_opinion"
)

// Owes returns what the case's unit still owes: its answer (a reply, or a
// co-opinion for a co-handling unit) while the case is open.
func (c *Case) Owes() Owed {
	switch {
	case !c.State.Open():
		return OwedNothing
	case c.Kind == KindCo:
		return OwedCoOpinion
	}
	return OwedReply
}

// Due returns the due date of what the case's unit owes, or would owe while
// the case is open: a co-handling unit's co-opinion due date, else the
// reply due date in force (moved by granted extensions; in a re-handling
// round, the re-handling due date).
func (c *Case) Due() Date {
	if c.Kind == KindCo {
		return c.CoOpinionDue
	}
	return c.ReplyDue
}

// DueProvisional reports whether Due was counted without a year's holiday
// data (暂定).
func (c *Case) DueProvisional() bool {
	if c.Kind == KindCo {
		return c.Provisional.CoOpinion
	}
	return c.Provisional.Reply
}

// DueDeadline is the deadline kind of Due: the co-opinion, the reply of the
// first round, or the reply of a re-handling round.
func (c *Case) DueDeadline() DeadlineKind {
	switch {
	case c.Kind == KindCo:
		return DeadlineCoOpinion
	case c.Round > 1:
		return DeadlineRehandle
	}
	return DeadlineReply
}

// Overdue reports whether the unit still owes its answer and its due date
// has passed on day today.
func (c *Case) Overdue(today Date) bool {
	due := c.Due()
	return c.State.Open() && !due.IsZero() && due.Before(today)
}

// DueSoon reports whether the unit still owes its answer, due from today
// through soonUntil (SoonUntil of today).
func (c *Case) DueSoon(today, soonUntil Date) bool {
	due := c.Due()
	return c.State.Open() && !due.IsZero() && !due.Before(today) && !due.After(soonUntil)
}

// CoOpinionPending reports whether a case of kind in state s is a
// co-handling unit's opinion the lead unit still waits for: neither
// submitted nor returned, nor ended with its suggestion (撤回, 不作为建议处理).
func CoOpinionPending(kind CaseKind, s State) bool {
	return kind == KindCo && !s.Terminal()
}

// Replying reports whether a case of kind in state s owes the deputy a
// reply that the statistics count (办复率's denominator): a lead or separate
// case neither returned nor ended with its suggestion (撤回, 不作为建议处理).
func Replying(kind CaseKind, s State) bool {
	return kind.RepliesToDeputy() && s.Live() && !s.Outcome()
}

// SoonUntil returns the last day that is due soon on day today: the
// DueSoonDays-th working day after it. When the calendar lacks a year it
// needs, it counts Monday to Friday instead and exact is false.
func SoonUntil(cal *Calendar, today Date) (until Date, exact bool) {
	d, n := today, 0
	for n < DueSoonDays {
		d = d.AddDays(1)
		ok, err := cal.IsWorkday(d)
		if err != nil {
			return weekdaysAfter(today, DueSoonDays), false
		}
		if ok {
			n++
		}
	}
	return d, true
}

func weekdaysAfter(d Date, n int) Date {
	for n > 0 {
		d = d.AddDays(1)
		if wd := d.Weekday(); wd != 0 && wd != 6 {
			n--
		}
	}
	return d
}

// Light is the traffic light of a due date on the pages.
type Light string

const (
	// LightGreen: more than DueSoonDays working days are left.
	LightGreen Light = "green"
	// LightAmber: due soon, from DueSoonDays working days before down to
	// the due day itself.
	LightAmber Light = "amber"
	// LightRed: the due day has passed.
	LightRed Light = "red"
)

// Urgency is how urgent a due date is on day today.
type Urgency struct {
	// Known is false when the calendar lacks a year between today and the
	// due date: no days and no light can be given.
	Known bool
	// Days is the working days left: 0 on the due day, negative when
	// overdue (−Days working days late).
	Days int
	// Late is the working days overdue, 0 when not.
	Late  int
	Light Light
}

// UrgencyOf counts the working days from today to due on cal and picks the
// light: red once the due day has passed, amber while due soon (on or
// before SoonUntil), green before.
func UrgencyOf(cal *Calendar, today, due Date) Urgency {
	n, err := cal.WorkingDaysUntil(today, due)
	if err != nil {
		return Urgency{}
	}
	u := Urgency{Known: true, Days: n}
	until, _ := SoonUntil(cal, today)
	switch {
	case due.Before(today):
		u.Light, u.Late = LightRed, max(-n, 0)
	case !due.After(until):
		u.Light = LightAmber
	default:
		u.Light = LightGreen
	}
	return u
}

// AwaitsFeedback reports whether the deputy may give feedback on a case of
// kind in state s now: whether the table lets the deputy record it.
func AwaitsFeedback(kind CaseKind, s State) bool {
	return slices.ContainsFunc(Available(kind, s, []Role{RoleDeputy}), func(t Transition) bool {
		return t.Action == ActionRecordFeedback
	})
}

// MayLinkFeedback decides whether a user holding roles on case c (Actor.
// RolesOn) may create the deputy's feedback link (征询意见表的链接): a
// liaison, for a reply that awaits the deputy's feedback.
func MayLinkFeedback(c *Case, roles []Role) error {
	switch {
	case !slices.Contains(roles, RoleLiaison):
		return Errorf(ErrForbidden, "只有督办人员可以生成代表反馈链接。")
	case !AwaitsFeedback(c.Kind, c.State):
		return Errorf(ErrConflict, "该建议目前没有待代表反馈的答复，无需生成反馈链接。")
	}
	return nil
}
