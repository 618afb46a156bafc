package workflow

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// RuleName names a deadline rule. Localities differ, so each rule's period is
// configurable per congress session; DefaultRuleSet holds the defaults.
type RuleName string

const (
	// RuleReply is the period for the reply (答复) to a suggestion, counted
	// from assignment (交办): 3 months by default (代表法 art. 51).
	RuleReply RuleName = "reply"
	// RuleReplyExtended is the cap for extensions (延期) of the reply, counted
	// from assignment: 6 months by default.
	RuleReplyExtended RuleName = "reply-extended"
	// RuleCoOpinion is the period for a co-handling unit (协办单位) to send its
	// opinion (协办意见) to the lead unit, counted from assignment: 1 month by
	// default.
	RuleCoOpinion RuleName = "co-opinion"
	// RuleReturnWindow is the period in which a unit may ask to return a
	// wrongly assigned suggestion (退回), counted from assignment: 5 working
	// days by default.
	RuleReturnWindow RuleName = "return-window"
	// RuleRehandle is the period for handling again (重办) after the deputy's
	// 不满意 feedback, counted from the feedback: 1 month by default.
	RuleRehandle RuleName = "rehandle"
	// RulePublication is the period for publishing the reply (公开), counted
	// from the reply: 20 working days by default.
	RulePublication RuleName = "publication"
	// RuleExtensionDecision is the period in which the liaison decides an
	// extension request (延期审批), counted from the request: 5 working days
	// by default. Not a statutory period: it drives the liaison's reminders.
	RuleExtensionDecision RuleName = "extension-decision"
	// RuleFeedback is the period in which the deputy's feedback form
	// (征询意见表) is expected back, counted from the reply: 1 month by
	// default. It drives the liaison's reminders to chase the deputy.
	RuleFeedback RuleName = "feedback"
	// RuleProgress is the interval at which a key suggestion's unit reports
	// its progress (办理进展), counted from assignment or the last report:
	// 30 days by default.
	RuleProgress RuleName = "progress"
)

// AllRuleNames returns every RuleName, in the order of the process.
func AllRuleNames() []RuleName {
	return []RuleName{RuleReply, RuleReplyExtended, RuleCoOpinion, RuleReturnWindow, RuleRehandle, RulePublication,
		RuleExtensionDecision, RuleFeedback, RuleProgress}
}

// ParseRuleName returns the RuleName named s.
func ParseRuleName(s string) (RuleName, error) {
	for _, n := range AllRuleNames() {
		if string(n) == s {
			return n, nil
		}
	}
	return "", Errorf(ErrInvalid, "unknown rule %q; valid rules: %s", s, joinStrings(AllRuleNames()))
}

// PeriodUnit is what a rule's period is counted in.
type PeriodUnit string

const (
	// UnitMonths counts calendar months: the due day has the start day's
	// number, or is the month's last day when the month has no such day.
	UnitMonths PeriodUnit = "months"
	// UnitWorkingDays counts working days (工作日): the due day is the N-th
	// working day after the start day.
	UnitWorkingDays PeriodUnit = "working_days"
	// UnitDays counts calendar days (日): some localities give 15 days for
	// re-handling.
	UnitDays PeriodUnit = "days"
)

// AllPeriodUnits returns every PeriodUnit.
func AllPeriodUnits() []PeriodUnit {
	return []PeriodUnit{UnitMonths, UnitWorkingDays, UnitDays}
}

// ParsePeriodUnit returns the PeriodUnit named s.
func ParsePeriodUnit(s string) (PeriodUnit, error) {
	for _, u := range AllPeriodUnits() {
		if string(u) == s {
			return u, nil
		}
	}
	return "", Errorf(ErrInvalid, "unknown period unit %q; valid units: %s", s, joinStrings(AllPeriodUnits()))
}

// Bounds of a rule's amount: a period longer than the reply's legal cap
// makes no sense, but the bounds only guard against typing errors.
const (
	maxAmount       = 1000
	maxAmountMonths = 24
)

// Rule is a deadline rule: a period of Amount units, counted from a start day
// that is not itself counted.
type Rule struct {
	Name   RuleName
	Amount int
	Unit   PeriodUnit
}

// Validate checks that r has a known name and unit and an amount from 1 to
// 1000 (24 for months).
func (r Rule) Validate() error {
	if _, err := ParseRuleName(string(r.Name)); err != nil {
		return err
	}
	if _, err := ParsePeriodUnit(string(r.Unit)); err != nil {
		return Errorf(ErrInvalid, "rule %q: unknown period unit %q; valid units: %s",
			r.Name, r.Unit, joinStrings(AllPeriodUnits()))
	}
	limit := maxAmount
	if r.Unit == UnitMonths {
		limit = maxAmountMonths
	}
	if r.Amount < 1 || r.Amount > limit {
		return Errorf(ErrInvalid, "rule %q: amount %d is out of range; want 1 to %d %s",
			r.Name, r.Amount, limit, unitWords(r.Unit, limit))
	}
	return nil
}

// String describes the period, e.g. "3 calendar months" or "5 working days".
func (r Rule) String() string {
	return fmt.Sprintf("%d %s", r.Amount, unitWords(r.Unit, r.Amount))
}

// LabelZH describes the period in Chinese, e.g. "3个月", "5个工作日", "15日".
func (r Rule) LabelZH() string {
	switch r.Unit {
	case UnitMonths:
		return fmt.Sprintf("%d个月", r.Amount)
	case UnitWorkingDays:
		return fmt.Sprintf("%d个工作日", r.Amount)
	case UnitDays:
		return fmt.Sprintf("%d日", r.Amount)
	default:
		return fmt.Sprintf("%d %s", r.Amount, r.Unit)
	}
}

// LabelEN describes the period in English, e.g. "3 months", "5 working
// days", "15 days".
func (r Rule) LabelEN() string {
	switch r.Unit {
	case UnitMonths, UnitWorkingDays, UnitDays:
		w := map[PeriodUnit]string{UnitMonths: "month", UnitWorkingDays: "working day", UnitDays: "day"}[r.Unit]
		if r.Amount != 1 {
			w += "s"
		}
		return fmt.Sprintf("%d %s", r.Amount, w)
	default:
		return fmt.Sprintf("%d %s", r.Amount, r.Unit)
	}
}

func unitWords(u PeriodUnit, n int) string {
	var w string
	switch u {
	case UnitMonths:
		w = "calendar month"
	case UnitWorkingDays:
		w = "working day"
	case UnitDays:
		w = "calendar day"
	default:
		return string(u)
	}
	if n != 1 {
		w += "s"
	}
	return w
}

// RuleSet holds one rule per RuleName: the deadlines of a congress session.
type RuleSet map[RuleName]Rule

// DefaultRuleSet returns the default rules (DESIGN.md §2).
func DefaultRuleSet() RuleSet {
	return RuleSet{
		RuleReply:         {Name: RuleReply, Amount: 3, Unit: UnitMonths},
		RuleReplyExtended: {Name: RuleReplyExtended, Amount: 6, Unit: UnitMonths},
		RuleCoOpinion:     {Name: RuleCoOpinion, Amount: 1, Unit: UnitMonths},
		RuleReturnWindow:  {Name: RuleReturnWindow, Amount: 5, Unit: UnitWorkingDays},
		RuleRehandle:      {Name: RuleRehandle, Amount: 1, Unit: UnitMonths},
		RulePublication:   {Name: RulePublication, Amount: 20, Unit: UnitWorkingDays},

		RuleExtensionDecision: {Name: RuleExtensionDecision, Amount: 5, Unit: UnitWorkingDays},
		RuleFeedback:          {Name: RuleFeedback, Amount: 1, Unit: UnitMonths},
		RuleProgress:          {Name: RuleProgress, Amount: 30, Unit: UnitDays},
	}
}

// Validate checks that rs holds every rule, each valid and filed under its
// own name, and nothing else, and that the extension cap is not shorter than
// the reply period when both count in the same unit.
func (rs RuleSet) Validate() error {
	for _, name := range AllRuleNames() {
		r, ok := rs[name]
		if !ok {
			return Errorf(ErrInvalid, "rule set: rule %q is missing", name)
		}
		if r.Name != name {
			return Errorf(ErrInvalid, "rule set: the entry for %q holds rule %q", name, r.Name)
		}
		if err := r.Validate(); err != nil {
			return err
		}
	}
	if len(rs) != len(AllRuleNames()) {
		var unknown []RuleName
		for name := range rs {
			if !slices.Contains(AllRuleNames(), name) {
				unknown = append(unknown, name)
			}
		}
		slices.Sort(unknown)
		return Errorf(ErrInvalid, "rule set: unknown rule %q; valid rules: %s", unknown[0], joinStrings(AllRuleNames()))
	}
	reply, ext := rs[RuleReply], rs[RuleReplyExtended]
	if reply.Unit == ext.Unit && ext.Amount < reply.Amount {
		return Errorf(ErrInvalid, "rule set: rule %q (%s) is shorter than rule %q (%s)",
			RuleReplyExtended, ext, RuleReply, reply)
	}
	return nil
}

// Rule returns the rule named name.
func (rs RuleSet) Rule(name RuleName) (Rule, error) {
	if _, err := ParseRuleName(string(name)); err != nil {
		return Rule{}, err
	}
	r, ok := rs[name]
	if !ok {
		return Rule{}, Errorf(ErrNotFound, "rule set: rule %q is missing", name)
	}
	return r, nil
}

// DueDate is a computed due date. It is provisional (暂定) when the count
// read a day of a year the calendar has no holiday data for: there it
// counted Monday to Friday as working days and no holidays (see
// Calendar.Workday), so the date may move when the year's schedule arrives.
// Storage keeps the flag with the date and recomputes provisional dates from
// their start day and rule when the calendar covers the year.
type DueDate struct {
	Date Date
	// Provisional reports that the count read a year without holiday data
	// (Calendar.MissingYears names them).
	Provisional bool
}

// String returns the date as YYYY-MM-DD, with " (provisional)" when it is.
func (d DueDate) String() string {
	if d.Provisional {
		return d.Date.String() + " (provisional)"
	}
	return d.Date.String()
}

// Due returns the due date of a period of rule r starting on from.
func (c *Calendar) Due(r Rule, from Date) (DueDate, error) {
	due, _, err := c.DueExplained(r, from)
	return due, err
}

// DueExplained returns the due date of a period of rule r starting on from,
// with the steps that led to it in words, for people who check the date.
//
// The start day is not counted (民法典 art. 201). Months end on the day with
// the same number, or the month's last day (art. 202); calendar days end n
// days later; and either moves to the next working day when it is not one
// (art. 203). Working days end on the n-th working day after the start day,
// which is a working day already. The start day itself is never read.
//
// Where the count reads a year the calendar has no data for, it goes on with
// Monday to Friday as working days and no holidays, and the result is
// provisional; the last step says so. When every year read is covered the
// result and its steps are exact.
func (c *Calendar) DueExplained(r Rule, from Date) (DueDate, []string, error) {
	if err := r.Validate(); err != nil {
		return DueDate{}, nil, err
	}
	if err := checkValid(from); err != nil {
		return DueDate{}, nil, err
	}
	var (
		due   Date
		steps []string
		err   error
	)
	if r.Unit == UnitWorkingDays {
		due, steps, err = c.dueWorkingDays(r, from)
	} else {
		due, steps, err = c.dueCalendar(r, from)
	}
	if err != nil {
		return DueDate{}, nil, err
	}
	// Both counts read the days after from up to due, or (months and
	// calendar days) only due and the days it moved over.
	read := from.AddDays(1)
	if r.Unit != UnitWorkingDays {
		read = c.unmoved(r, from)
	}
	out := DueDate{Date: due}
	if missing := c.MissingYears(read, due); len(missing) > 0 {
		out.Provisional = true
		steps = append(steps, provisionalStep(missing, due))
	}
	return out, steps, nil
}

// unmoved is the due day of a months or calendar-days period before it
// moves to a working day.
func (c *Calendar) unmoved(r Rule, from Date) Date {
	if r.Unit == UnitMonths {
		d, _ := from.addMonths(r.Amount)
		return d
	}
	return from.AddDays(r.Amount)
}

// provisionalStep says which years were counted without data.
func provisionalStep(missing []int, due Date) string {
	years := make([]string, len(missing))
	for i, y := range missing {
		years[i] = fmt.Sprint(y)
	}
	verb := "has"
	if len(missing) > 1 {
		verb = "have"
	}
	return fmt.Sprintf("%s %s no holiday data yet: Monday to Friday counted as working days, no holidays; %s is provisional",
		strings.Join(years, ", "), verb, due)
}

// dueCalendar counts calendar months or days and moves the end to the next
// working day.
func (c *Calendar) dueCalendar(r Rule, from Date) (Date, []string, error) {
	due := c.unmoved(r, from)
	var steps []string
	step := fmt.Sprintf("%s from %s: %s", r, from, due)
	if _, clamped := from.addMonths(r.Amount); r.Unit == UnitMonths && clamped {
		step += fmt.Sprintf(" (%04d-%02d has no day %d: the month's last day)", due.Year, int(due.Month), from.Day)
	}
	steps = append(steps, step)

	ok, _, err := c.Workday(due)
	if err != nil {
		return Date{}, nil, err
	}
	if ok {
		if wd := due.Weekday(); wd == time.Saturday || wd == time.Sunday {
			steps = append(steps, fmt.Sprintf("%s is a %s but %s: it stays", due, wd, c.describe(due)))
		}
		return due, steps, nil
	}
	moved, err := c.NextWorkday(due)
	if err != nil {
		return Date{}, nil, err
	}
	steps = append(steps, fmt.Sprintf("%s is %s: moved to next working day %s", due, c.describe(due), moved))
	return moved, steps, nil
}

// dueWorkingDays counts r.Amount working days after from, and explains which
// holidays it skipped and which make-up working days it counted.
func (c *Calendar) dueWorkingDays(r Rule, from Date) (Date, []string, error) {
	var special []CalendarDay
	d := from
	for n := 0; n < r.Amount; {
		d = d.AddDays(1)
		ok, _, err := c.Workday(d)
		if err != nil {
			return Date{}, nil, err
		}
		if ok {
			n++
		}
		if day, isSpecial := c.day(d); isSpecial && c.Covers(d.Year) {
			special = append(special, day)
		}
	}
	steps := []string{fmt.Sprintf("%s from %s: %s", r, from, d)}
	for _, run := range runs(special) {
		first, last := run[0], run[len(run)-1]
		span := first.Date.String()
		if last.Date != first.Date {
			span += " to " + last.Date.String()
		}
		verb := "not counted"
		if first.Kind == DayWorkday {
			verb = "counted"
		}
		steps = append(steps, fmt.Sprintf("%s: %s, %s", verb, span, c.describe(first.Date)))
	}
	return d, steps, nil
}

// runs groups consecutive special days of the same kind, name and source.
func runs(days []CalendarDay) [][]CalendarDay {
	var out [][]CalendarDay
	for i, day := range days {
		if i > 0 {
			prev := days[i-1]
			if prev.Date.AddDays(1) == day.Date && prev.Kind == day.Kind && prev.Name == day.Name && prev.Source == day.Source {
				out[len(out)-1] = append(out[len(out)-1], day)
				continue
			}
		}
		out = append(out, []CalendarDay{day})
	}
	return out
}

// describe says what kind of day d is, e.g. "国庆节 (holiday)",
// "a make-up working day (国庆节 调休上班)" or "a Sunday".
func (c *Calendar) describe(d Date) string {
	day, ok := c.day(d)
	if !ok {
		return "a " + d.Weekday().String()
	}
	admin := ""
	if day.Source == SourceOverride {
		admin = ", set by an admin"
	}
	switch day.Kind {
	case DayWorkday:
		name := strings.TrimSpace(day.Name + " 调休上班")
		return fmt.Sprintf("a make-up working day (%s%s)", name, admin)
	default:
		if day.Name == "" {
			return fmt.Sprintf("a holiday (%s%s)", d.Weekday(), admin)
		}
		return fmt.Sprintf("%s (holiday%s)", day.Name, admin)
	}
}
