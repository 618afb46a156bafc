package workflow

import (
	"testing"
	"time"
)

// TestCaseFacts: the facts a case contributes, from DESIGN.md §2's
// definitions of the figures.
func TestCaseFacts(t *testing.T) {
	t.Parallel()
	due := Date{2024, 10, 8}
	sent := func(y, m, d, h int) time.Time { return time.Date(y, time.Month(m), d, h, 0, 0, 0, Zone()) }
	for _, tt := range []struct {
		name string
		r    CaseRecord
		want CaseFacts
	}{
		{"co-handling counts nothing", CaseRecord{Kind: KindCo, State: StateOpinionSubmitted, FirstRating: RatingSatisfied}, CaseFacts{}},
		{"returned counts nothing", CaseRecord{Kind: KindLead, State: StateReturned}, CaseFacts{}},
		{"assigned, not replied", CaseRecord{Kind: KindLead, State: StateDrafting, Contacts: []ContactMethod{ContactMeeting}},
			CaseFacts{Replying: true}},
		{"sent on the due day (Shanghai time) is on time", CaseRecord{Kind: KindSeparate, State: StateReplied,
			FirstSentAt: sent(2024, 10, 8, 23), FirstSentDue: due, Class: ClassB},
			CaseFacts{Replying: true, Replied: true, OnTime: true, Class: ClassB}},
		{"sent the day after is late", CaseRecord{Kind: KindLead, State: StateReplied, FirstSentAt: sent(2024, 10, 9, 1), FirstSentDue: due},
			CaseFacts{Replying: true, Replied: true}},
		{"a meeting reported by the deputy counts as 面商", CaseRecord{Kind: KindLead, State: StateClosed, FirstSentAt: sent(2024, 9, 1, 9),
			FirstSentDue: due, FeedbackContacts: []ContactMethod{ContactMeeting}, FirstRating: RatingSatisfied, FinalRating: RatingSatisfied, WorkRating: RatingSatisfied},
			CaseFacts{Replying: true, Replied: true, OnTime: true, Met: true, FirstRating: RatingSatisfied, FinalRating: RatingSatisfied, WorkRating: RatingSatisfied}},
		{"a telephone call is no 面商", CaseRecord{Kind: KindLead, State: StateReplied, FirstSentAt: sent(2024, 9, 1, 9), FirstSentDue: due,
			Contacts: []ContactMethod{ContactPhone}, FeedbackContacts: []ContactMethod{ContactPhone}},
			CaseFacts{Replying: true, Replied: true, OnTime: true}},
	} {
		if got := tt.r.Facts(); got != tt.want {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

// TestFigures: each figure over counts of a session where one suggestion
// went to two units (分办) and only one replied, and a re-handled case was
// first rated 不满意, then 基本满意.
func TestFigures(t *testing.T) {
	t.Parallel()
	onTime := CaseFacts{Replying: true, Replied: true, OnTime: true, Met: true, FirstRating: RatingSatisfied, FinalRating: RatingSatisfied, WorkRating: RatingSatisfied, Class: ClassA}
	rehandled := CaseFacts{Replying: true, Replied: true, FirstRating: RatingDissatisfied, FinalRating: RatingBasicallySatisfied, WorkRating: RatingSatisfied, Class: ClassB}
	splitReplied := CaseFacts{Replying: true, Replied: true, OnTime: true, Class: ClassB}
	splitOpen := CaseFacts{Replying: true}
	co := CaseFacts{}
	c := NewCounts()
	for _, s := range [][]CaseFacts{{onTime, co}, {rehandled}, {splitReplied, splitOpen}} {
		for _, f := range s {
			c.Add(f)
		}
		c.AddSuggestion(s)
	}
	for f, want := range map[Figure]Rate{
		FigureReplyRateSuggestions:    {2, 3},
		FigureReplyRate:               {3, 4},
		FigureOnTimeRate:              {2, 3},
		FigureMeetingRate:             {1, 3},
		FigureSatisfied:               {1, 2},
		FigureBasicallySatisfied:      {1, 2},
		FigureDissatisfied:            {0, 2},
		FigureSatisfiedInclBasic:      {2, 2},
		FigureFirstSatisfied:          {1, 2},
		FigureFirstDissatisfied:       {1, 2},
		FigureFirstSatisfiedInclBasic: {1, 2},
		FigureClassA:                  {1, 3},
		FigureClassB:                  {2, 3},
		FigureClassD:                  {0, 3},
	} {
		if got := f.Of(c); got != want {
			t.Errorf("%s (%s): %v, want %v", f, f.LabelZH(), got, want)
		}
	}
	for _, f := range AllFigures() {
		if f.DefinitionZH() == "" || f.DefinitionEN() == "" {
			t.Errorf("%s has no definition", f)
		}
	}
}
