package report_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/docx"
	"github.com/banli-gov/banli/internal/report"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// TestReportSays: a report of counts written by hand says the rates the
// definitions give (DESIGN.md §2) in words and in its table — 2 of 3
// replied is 66.7%, 1 of 2 on time 50.0%, "—" without a denominator — lists
// only units with cases, counts the withdrawn suggestion apart per unit,
// numbers the key suggestions and says which has no progress report yet,
// and ends with the office and the date written officially.
func TestReportSays(t *testing.T) {
	t.Parallel()
	a := storage.Figures{Cases: 3, Withdrawn: 1, Counts: workflow.Counts{Suggestions: 3, SuggestionsReplied: 2,
		Replying: 3, Replied: 2, OnTime: 1, Met: 1, Feedback: 2,
		Ratings:      map[workflow.Rating]int{workflow.RatingSatisfied: 1, workflow.RatingDissatisfied: 1},
		FirstRatings: map[workflow.Rating]int{}, WorkRatings: map[workflow.Rating]int{},
		Classes: map[workflow.ReplyClass]int{workflow.ClassA: 1, workflow.ClassB: 1}}}
	b := storage.Figures{Cases: 1, Counts: workflow.NewCounts()} // one co-handling case
	c := storage.Figures{Counts: workflow.NewCounts()}           // no case in the session
	total := a
	total.Cases = 4
	f := &report.Facts{
		Session: &workflow.CongressSession{Name: "武汉市第十五届人民代表大会第五次会议", ShortName: "市十五届人大五次会议"},
		Stats: &storage.Statistics{Total: total, Units: []storage.UnitFigures{
			{Department: &workflow.Department{Name: "单位甲"}, Figures: a},
			{Department: &workflow.Department{Name: "单位乙"}, Figures: b},
			{Department: &workflow.Department{Name: "单位丙"}, Figures: c}}},
		Key: []*storage.KeySuggestion{
			{KeyMark: workflow.KeyMark{ProposalID: 1, LeaderName: "王建国", LeaderTitle: "副市长"}, Number: "20260501",
				Title: "关于东湖的建议", Department: "单位甲", State: workflow.StateDrafting,
				LastReport: workflow.ProgressReport{ID: 9, ReportedOn: workflow.Date{Year: 2026, Month: 11, Day: 12}, Body: "已排查排口。"}},
			{KeyMark: workflow.KeyMark{ProposalID: 2}, Number: "20260502", Title: "关于电梯的建议", Department: "单位乙",
				State: workflow.StateAssigned},
		},
		Office: "督查室", Date: workflow.Date{Year: 2026, Month: 12, Day: 3},
	}
	raw, err := f.DOCX()
	if err != nil {
		t.Fatal(err)
	}
	paras, err := docx.ParagraphsOf(raw)
	if err != nil {
		t.Fatal(err)
	}
	opening := paras[2]
	for _, want := range []string{"共交办代表建议3件，涉及承办单位2个", "办复率（按件）66.7%", "办复率（按件次）66.7%",
		"按时办复率50.0%", "面商率50.0%", "满意率（含基本满意）50.0%", "撤回建议1件、不作为建议处理0件"} {
		if !strings.Contains(opening, want) {
			t.Errorf("the opening lacks %q: %q", want, opening)
		}
	}
	table := func(row ...string) {
		t.Helper()
		i := slices.Index(paras, row[0])
		if i < 0 || i+len(row) > len(paras) || !slices.Equal(paras[i:i+len(row)], row) {
			t.Errorf("no table row %q", row)
		}
	}
	table("单位甲", "3", "2", "66.7%", "50.0%", "50.0%", "50.0%")
	table("单位乙", "0", "0", "—", "—", "—", "—")
	table("合计", "3", "2", "66.7%", "50.0%", "50.0%", "50.0%")
	if slices.Contains(paras, "单位丙") {
		t.Error("a unit without cases in the session is in the table")
	}
	text := strings.Join(paras, "\n")
	for _, want := range []string{
		"A类（已解决或基本解决）1件次，占50.0%", "D类（留作参考）0件次，占0.0%",
		"本次会议确定重点建议2件",
		"（一）第20260501号《关于东湖的建议》。领衔督办：副市长王建国；承办单位：单位甲；办理状态：" + workflow.StateDrafting.LabelZH() +
			"；最近一次办理进展（2026年11月12日报送）：已排查排口。",
		"（二）第20260502号《关于电梯的建议》。", "尚未报送办理进展。",
		"按承办单位分：单位甲撤回1件。", report.Placeholder,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if n := len(paras); paras[n-2] != "督查室" || paras[n-1] != "2026年12月3日" {
		t.Errorf("the report ends %q", paras[n-2:])
	}
}
