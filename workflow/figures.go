package workflow

import (
	"fmt"
	"slices"
	"time"
)

// The figures a liaison office reports (DESIGN.md §2): each is one rate of
// counted facts, defined here once and used by the dashboard, the lists
// behind it and the exports. Storage counts the facts in SQL for speed; a
// test proves its counting equal to CaseFacts and SuggestionFacts below.

// Rate is a ratio of two counts, such as 办复率 = replied ÷ assigned.
type Rate struct {
	Num, Den int
}

// Defined reports whether the rate has a denominator.
func (r Rate) Defined() bool { return r.Den > 0 }

// Value returns Num/Den, 0 when undefined.
func (r Rate) Value() float64 {
	if r.Den == 0 {
		return 0
	}
	return float64(r.Num) / float64(r.Den)
}

// Percent formats the rate as a percentage with one decimal ("66.7%"), or
// "—" when it has no denominator.
func (r Rate) Percent() string {
	if r.Den == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", 100*r.Value())
}

// CaseRecord is what the statistics read of one case: its kind and state,
// its first send, the contacts recorded by the unit and reported by the
// deputy, its feedback and its latest signed reply.
type CaseRecord struct {
	Kind  CaseKind
	State State
	// FirstSentAt is when the first round's reply was sent (zero before);
	// FirstSentDue the reply due date in force at that moment (as
	// assigned, extended or recomputed).
	FirstSentAt  time.Time
	FirstSentDue Date
	// Contacts are the methods of the unit's recorded contacts (面商记录);
	// FeedbackContacts those the deputy reported on feedback forms.
	Contacts, FeedbackContacts []ContactMethod
	// FirstRating is the result rating (办理结果) of the first round's
	// feedback, FinalRating that of the latest feedback ("" when none).
	FirstRating, FinalRating Rating
	// WorkRating is the work rating (办理工作) of the latest feedback.
	WorkRating Rating
	// Class is the class of the latest signed reply ("" before sign-off).
	Class ReplyClass
}

// CaseFacts are the facts one case contributes to the figures.
type CaseFacts struct {
	// Replying: a lead (主办) or separate (分办) case neither returned nor
	// ended without a reply (撤回, 不作为建议处理; Replying); it owes the
	// deputy a reply. Co-handling cases (协办) reply to the lead unit and
	// count in none of the rates.
	Replying bool
	// Replied: a replying case whose first reply was sent (办复).
	Replied bool
	// OnTime: a replied case whose first reply was sent (the day in
	// Asia/Shanghai) on or before the reply due date then in force.
	OnTime bool
	// Met: a replied case with a meeting (座谈) or visit (走访) — recorded
	// by the unit or reported by the deputy on a feedback form (面商).
	// Telephone calls do not count.
	Met bool
	// FirstRating, FinalRating and WorkRating are the replying case's
	// ratings ("" when it has no feedback or does not reply).
	FirstRating, FinalRating, WorkRating Rating
	// Class is a replied case's reply class ("" otherwise).
	Class ReplyClass
}

// CaseTally is a case's record as the statistics weigh it: its kind and
// state, whether its first reply was sent and on time, whether it had a
// meeting or visit (面商), its ratings and class. Storage counts cases by
// these values (a few thousand distinct tallies for tens of thousands of
// cases) and turns each into facts here.
type CaseTally struct {
	Kind  CaseKind
	State State
	// Sent: the first round's reply was sent; SentOnTime: on the day
	// (Asia/Shanghai) of its due date then in force, or before.
	Sent, SentOnTime bool
	// Met: a meeting (座谈) or visit (走访) recorded by the unit or reported
	// by the deputy on a feedback form. Telephone calls do not count.
	Met                                  bool
	FirstRating, FinalRating, WorkRating Rating
	Class                                ReplyClass
}

// Tally weighs the record r.
func (r CaseRecord) Tally() CaseTally {
	face := func(m ContactMethod) bool { return m == ContactMeeting || m == ContactVisit }
	sent := !r.FirstSentAt.IsZero()
	return CaseTally{Kind: r.Kind, State: r.State, Sent: sent,
		SentOnTime:  sent && !r.FirstSentDue.IsZero() && !r.FirstSentDue.Before(DateOf(r.FirstSentAt)),
		Met:         slices.ContainsFunc(r.Contacts, face) || slices.ContainsFunc(r.FeedbackContacts, face),
		FirstRating: r.FirstRating, FinalRating: r.FinalRating, WorkRating: r.WorkRating, Class: r.Class}
}

// Facts are the facts of the case described by r.
func (r CaseRecord) Facts() CaseFacts { return r.Tally().Facts() }

// Facts are the facts of a case of tally t.
func (t CaseTally) Facts() CaseFacts {
	var f CaseFacts
	f.Replying = Replying(t.Kind, t.State)
	if !f.Replying {
		return f
	}
	f.FirstRating, f.FinalRating, f.WorkRating = t.FirstRating, t.FinalRating, t.WorkRating
	if !t.Sent {
		return f
	}
	f.Replied, f.OnTime, f.Met, f.Class = true, t.SentOnTime, t.Met, t.Class
	return f
}

// SuggestionFacts says whether a suggestion counts in 办复率 by suggestion
// (件), and whether it is replied, from the facts of its cases: it counts
// when it has a replying case, and is replied when every replying case of
// it replied (a suggestion split among units (分办) is replied when the last
// of them replied).
func SuggestionFacts(cases []CaseFacts) (counted, replied bool) {
	replied = true
	for _, c := range cases {
		if c.Replying {
			counted = true
			replied = replied && c.Replied
		}
	}
	return counted, counted && replied
}

// Counts are the counted facts of a set of cases.
type Counts struct {
	// Suggestions counts the suggestions with a replying case,
	// SuggestionsReplied those of them replied (SuggestionFacts).
	Suggestions, SuggestionsReplied int
	// Replying, Replied, OnTime and Met count cases with those facts.
	Replying, Replied, OnTime, Met int
	// FirstFeedback counts replying cases with a first round's feedback,
	// FirstRatings them by its result rating; Feedback counts replying
	// cases with feedback, Ratings them by the latest result rating and
	// WorkRatings by the latest work rating.
	FirstFeedback, Feedback            int
	FirstRatings, Ratings, WorkRatings map[Rating]int
	// Classes counts replied cases by the class of their reply.
	Classes map[ReplyClass]int
}

// NewCounts returns zero counts.
func NewCounts() Counts {
	return Counts{FirstRatings: map[Rating]int{}, Ratings: map[Rating]int{}, WorkRatings: map[Rating]int{},
		Classes: map[ReplyClass]int{}}
}

// Add counts one case's facts (not its suggestion: see AddSuggestion).
func (c *Counts) Add(f CaseFacts) { c.AddN(f, 1) }

// AddN counts n cases with facts f.
func (c *Counts) AddN(f CaseFacts, n int) {
	if !f.Replying || n <= 0 {
		return
	}
	c.Replying += n
	if f.Replied {
		c.Replied += n
	}
	if f.OnTime {
		c.OnTime += n
	}
	if f.Met {
		c.Met += n
	}
	if f.FirstRating != "" {
		c.FirstFeedback += n
		c.FirstRatings[f.FirstRating] += n
	}
	if f.FinalRating != "" {
		c.Feedback += n
		c.Ratings[f.FinalRating] += n
		c.WorkRatings[f.WorkRating] += n
	}
	if f.Replied && f.Class != "" {
		c.Classes[f.Class] += n
	}
}

// AddSuggestion counts one suggestion from the facts of its cases.
func (c *Counts) AddSuggestion(cases []CaseFacts) { c.AddSuggestions(cases, 1) }

// AddSuggestions counts n suggestions whose cases have the facts cases.
func (c *Counts) AddSuggestions(cases []CaseFacts, n int) {
	counted, replied := SuggestionFacts(cases)
	if counted {
		c.Suggestions += n
	}
	if replied {
		c.SuggestionsReplied += n
	}
}

// Figure names one figure of the statistics.
type Figure string

const (
	// FigureReplyRateSuggestions is 办复率（按件）: replied suggestions ÷
	// suggestions with a replying case.
	FigureReplyRateSuggestions Figure = "reply_rate_suggestions"
	// FigureReplyRate is 办复率（按件次）: replied cases ÷ replying cases.
	FigureReplyRate Figure = "reply_rate"
	// FigureOnTimeRate is 按时办复率: cases replied on time ÷ replied cases.
	FigureOnTimeRate Figure = "on_time_rate"
	// FigureMeetingRate is 面商率: replied cases met face to face ÷ replied
	// cases.
	FigureMeetingRate Figure = "meeting_rate"
	// FigureSatisfied is 满意率: final feedback 满意 ÷ cases with feedback.
	FigureSatisfied Figure = "satisfied"
	// FigureBasicallySatisfied is 基本满意率 of the final feedback.
	FigureBasicallySatisfied Figure = "basically_satisfied"
	// FigureDissatisfied is 不满意率 of the final feedback.
	FigureDissatisfied Figure = "dissatisfied"
	// FigureSatisfiedInclBasic is 满意率（含基本满意） of the final feedback.
	FigureSatisfiedInclBasic Figure = "satisfied_incl_basic"
	// FigureFirstSatisfied is 初次办理满意率: the first round's feedback
	// 满意 ÷ cases with a first round's feedback.
	FigureFirstSatisfied Figure = "first_satisfied"
	// FigureFirstBasicallySatisfied is 初次办理基本满意率.
	FigureFirstBasicallySatisfied Figure = "first_basically_satisfied"
	// FigureFirstDissatisfied is 初次办理不满意率.
	FigureFirstDissatisfied Figure = "first_dissatisfied"
	// FigureFirstSatisfiedInclBasic is 初次办理满意率（含基本满意）.
	FigureFirstSatisfiedInclBasic Figure = "first_satisfied_incl_basic"
	// FigureClassA … FigureClassD are the shares of reply classes over
	// replied cases.
	FigureClassA Figure = "class_a"
	FigureClassB Figure = "class_b"
	FigureClassC Figure = "class_c"
	FigureClassD Figure = "class_d"
)

// AllFigures lists every figure, in the order reports quote them.
func AllFigures() []Figure {
	return []Figure{FigureReplyRateSuggestions, FigureReplyRate, FigureOnTimeRate, FigureMeetingRate,
		FigureSatisfied, FigureBasicallySatisfied, FigureDissatisfied, FigureSatisfiedInclBasic,
		FigureFirstSatisfied, FigureFirstBasicallySatisfied, FigureFirstDissatisfied, FigureFirstSatisfiedInclBasic,
		FigureClassA, FigureClassB, FigureClassC, FigureClassD}
}

// Valid reports whether f is a known figure.
func (f Figure) Valid() bool { return slices.Contains(AllFigures(), f) }

// ClassFigure is the figure of class c's share.
func ClassFigure(c ReplyClass) Figure {
	return map[ReplyClass]Figure{ClassA: FigureClassA, ClassB: FigureClassB, ClassC: FigureClassC, ClassD: FigureClassD}[c]
}

// Of is the figure's rate of the counts c: the one definition of it.
func (f Figure) Of(c Counts) Rate {
	switch f {
	case FigureReplyRateSuggestions:
		return Rate{c.SuggestionsReplied, c.Suggestions}
	case FigureReplyRate:
		return Rate{c.Replied, c.Replying}
	case FigureOnTimeRate:
		return Rate{c.OnTime, c.Replied}
	case FigureMeetingRate:
		return Rate{c.Met, c.Replied}
	case FigureSatisfied:
		return Rate{c.Ratings[RatingSatisfied], c.Feedback}
	case FigureBasicallySatisfied:
		return Rate{c.Ratings[RatingBasicallySatisfied], c.Feedback}
	case FigureDissatisfied:
		return Rate{c.Ratings[RatingDissatisfied], c.Feedback}
	case FigureSatisfiedInclBasic:
		return Rate{c.Ratings[RatingSatisfied] + c.Ratings[RatingBasicallySatisfied], c.Feedback}
	case FigureFirstSatisfied:
		return Rate{c.FirstRatings[RatingSatisfied], c.FirstFeedback}
	case FigureFirstBasicallySatisfied:
		return Rate{c.FirstRatings[RatingBasicallySatisfied], c.FirstFeedback}
	case FigureFirstDissatisfied:
		return Rate{c.FirstRatings[RatingDissatisfied], c.FirstFeedback}
	case FigureFirstSatisfiedInclBasic:
		return Rate{c.FirstRatings[RatingSatisfied] + c.FirstRatings[RatingBasicallySatisfied], c.FirstFeedback}
	case FigureClassA:
		return Rate{c.Classes[ClassA], c.Replied}
	case FigureClassB:
		return Rate{c.Classes[ClassB], c.Replied}
	case FigureClassC:
		return Rate{c.Classes[ClassC], c.Replied}
	case FigureClassD:
		return Rate{c.Classes[ClassD], c.Replied}
	}
	return Rate{}
}

var figureLabels = map[Figure][2]string{
	FigureReplyRateSuggestions:    {"办复率（按件）", "Reply rate (by suggestion)"},
	FigureReplyRate:               {"办复率（按件次）", "Reply rate (by assignment)"},
	FigureOnTimeRate:              {"按时办复率", "On-time reply rate"},
	FigureMeetingRate:             {"面商率", "Face-to-face rate"},
	FigureSatisfied:               {"满意率", "Satisfied"},
	FigureBasicallySatisfied:      {"基本满意率", "Basically satisfied"},
	FigureDissatisfied:            {"不满意率", "Dissatisfied"},
	FigureSatisfiedInclBasic:      {"满意率（含基本满意）", "Satisfied (incl. basically)"},
	FigureFirstSatisfied:          {"初次办理满意率", "First-round satisfied"},
	FigureFirstBasicallySatisfied: {"初次办理基本满意率", "First-round basically satisfied"},
	FigureFirstDissatisfied:       {"初次办理不满意率", "First-round dissatisfied"},
	FigureFirstSatisfiedInclBasic: {"初次办理满意率（含基本满意）", "First-round satisfied (incl. basically)"},
	FigureClassA:                  {"A类占比", "Class A share"},
	FigureClassB:                  {"B类占比", "Class B share"},
	FigureClassC:                  {"C类占比", "Class C share"},
	FigureClassD:                  {"D类占比", "Class D share"},
}

var figureDefinitions = map[Figure][2]string{
	FigureReplyRateSuggestions: {
		"已办复的建议件数 ÷ 交办的建议件数（有主办或分办单位的建议）。分办的建议在每个分办单位都答复后才算办复；每件建议只计一次。",
		"Suggestions replied ÷ suggestions assigned (with a lead or separate unit). A suggestion split among units counts as replied once every one of them has replied; each suggestion counts once."},
	FigureReplyRate: {
		"已答复代表的办件数 ÷ 主办、分办办件数（件次；退回的不计，协办不计）。一件建议交给几个单位，就计几件次。",
		"Replied assignments ÷ lead and separate assignments (returned and co-handling ones excluded). A suggestion assigned to several units counts once per unit."},
	FigureOnTimeRate: {
		"首次答复在当时有效的答复期限（原期限或延期后的期限）内寄出的办件数 ÷ 已答复的办件数。",
		"Assignments whose first reply was sent by the reply due date then in force (original or extended) ÷ replied assignments."},
	FigureMeetingRate: {
		"已答复的办件中，承办单位记录了座谈或走访、或代表在征询意见表中填报座谈或走访的办件数 ÷ 已答复的办件数。电话沟通不计。",
		"Replied assignments with a meeting or visit, recorded by the unit or reported by the deputy on the feedback form ÷ replied assignments. Telephone calls do not count."},
	FigureSatisfied: {
		"最终（最近一轮）征询意见表对办理结果评为满意的办件数 ÷ 收到征询意见表的办件数。",
		"Assignments whose final (latest) feedback rates the result satisfied ÷ assignments with feedback."},
	FigureBasicallySatisfied: {
		"最终征询意见表对办理结果评为基本满意的办件数 ÷ 收到征询意见表的办件数。",
		"Final feedback rating the result basically satisfied ÷ assignments with feedback."},
	FigureDissatisfied: {
		"最终征询意见表对办理结果评为不满意的办件数 ÷ 收到征询意见表的办件数。",
		"Final feedback rating the result dissatisfied ÷ assignments with feedback."},
	FigureSatisfiedInclBasic: {
		"最终征询意见表评为满意或基本满意的办件数 ÷ 收到征询意见表的办件数。",
		"Final feedback rating the result satisfied or basically satisfied ÷ assignments with feedback."},
	FigureFirstSatisfied: {
		"第一轮（初次办理）征询意见表对办理结果评为满意的办件数 ÷ 收到第一轮征询意见表的办件数；重新办理不改变它。",
		"First-round feedback rating the result satisfied ÷ assignments with first-round feedback; re-handling does not change it."},
	FigureFirstBasicallySatisfied: {
		"第一轮征询意见表评为基本满意的办件数 ÷ 收到第一轮征询意见表的办件数。",
		"First-round feedback rating the result basically satisfied ÷ assignments with first-round feedback."},
	FigureFirstDissatisfied: {
		"第一轮征询意见表评为不满意的办件数 ÷ 收到第一轮征询意见表的办件数。",
		"First-round feedback rating the result dissatisfied ÷ assignments with first-round feedback."},
	FigureFirstSatisfiedInclBasic: {
		"第一轮征询意见表评为满意或基本满意的办件数 ÷ 收到第一轮征询意见表的办件数。",
		"First-round feedback rating the result satisfied or basically satisfied ÷ assignments with first-round feedback."},
	FigureClassA: {"已答复办件中，最近签发的答复为A类（已解决或基本解决）的 ÷ 已答复的办件数。",
		"Replied assignments whose latest signed reply is class A (solved or basically solved) ÷ replied assignments."},
	FigureClassB: {"已答复办件中，最近签发的答复为B类（正在解决或列入计划逐步解决）的 ÷ 已答复的办件数。",
		"Replied assignments whose latest signed reply is class B (being solved or planned) ÷ replied assignments."},
	FigureClassC: {"已答复办件中，最近签发的答复为C类（因条件限制暂时不能解决）的 ÷ 已答复的办件数。",
		"Replied assignments whose latest signed reply is class C (cannot be solved for now) ÷ replied assignments."},
	FigureClassD: {"已答复办件中，最近签发的答复为D类（留作参考）的 ÷ 已答复的办件数。",
		"Replied assignments whose latest signed reply is class D (kept for reference) ÷ replied assignments."},
}

// LabelZH returns the figure's Chinese name, as reports quote it.
func (f Figure) LabelZH() string { return figureLabels[f][0] }

// LabelEN returns the figure's English name.
func (f Figure) LabelEN() string { return figureLabels[f][1] }

// DefinitionZH returns the figure's definition in Chinese, in words.
func (f Figure) DefinitionZH() string { return figureDefinitions[f][0] }

// DefinitionEN returns the figure's definition in English.
func (f Figure) DefinitionEN() string { return figureDefinitions[f][1] }
