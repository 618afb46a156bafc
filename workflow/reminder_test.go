package workflow

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func at9(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d.Time().Add(9 * time.Hour)
}

// TestNoticesAcrossHolidays lists every notice of real deadlines around
// 2024's Mid-Autumn and National Day holidays (with their make-up Saturday
// 09-14 and Sunday 09-29) and 2026's Spring Festival (make-up 02-14, 02-28).
func TestNoticesAcrossHolidays(t *testing.T) {
	t.Parallel()
	cal := NewCalendar(nil)
	p := DefaultReminderPolicy()
	tests := []struct {
		name string
		kind DeadlineKind
		due  string
		now  string
		want string
	}{
		{"reply due after National Day 2024", DeadlineReply, "2024-10-08", "2024-07-01T10:00",
			"before-15 2024-09-10, before-7 2024-09-23, before-3 2024-09-27, before-1 2024-09-30, due 2024-10-08, overdue 2024-10-09 (1)"},
		{"counting back over the make-up Sunday", DeadlinePublication, "2024-10-10", "2024-09-01T10:00",
			"before-15 2024-09-12, before-7 2024-09-25, before-3 2024-09-30, before-1 2024-10-09, due 2024-10-10, overdue 2024-10-11 (1)"},
		{"the make-up Saturday 2026-02-28 is a working day", DeadlineCoOpinion, "2026-03-02", "2026-01-05T08:00",
			"before-15 2026-02-03, before-7 2026-02-13, before-3 2026-02-26, before-1 2026-02-28, due 2026-03-02, overdue 2026-03-03 (1)"},
		{"a late start skips the past notices", DeadlineReturnWindow, "2024-10-10", "2024-09-30T10:00",
			"before-1 2024-10-09, due 2024-10-10"},
		{"before 09:00 on the due day the due notice still goes out", DeadlineReply, "2024-10-08", "2024-10-08T08:59",
			"due 2024-10-08, overdue 2024-10-09 (1)"},
		{"long overdue: the next overdue notice only", DeadlineReply, "2024-09-20", "2024-10-01T12:00",
			"overdue 2024-10-08 (8)"},
		{"overdue on a make-up Sunday morning", DeadlineReply, "2024-09-20", "2024-09-29T07:00",
			"overdue 2024-09-29 (6)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			due, _ := ParseDate(tt.due)
			now, err := time.ParseInLocation("2006-01-02T15:04", tt.now, Zone())
			if err != nil {
				t.Fatal(err)
			}
			ns, err := cal.Notices(tt.kind, due, p, now)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, n := range ns {
				if !n.At.Equal(at9(t, n.Day.String())) {
					t.Errorf("%s at %s, want 09:00", n.Key(), n.At)
				}
				if ok, _ := cal.IsWorkday(n.Day); !ok {
					t.Errorf("%s on %s, not a working day", n.Key(), n.Day)
				}
				s := string(n.Kind)
				if n.Kind == NoticeBefore {
					s = n.Key()
				}
				s += " " + n.Day.String()
				if n.Kind == NoticeOverdue {
					s += fmt.Sprintf(" (%d)", n.WorkingDays)
				}
				got = append(got, s)
			}
			if g := strings.Join(got, ", "); g != tt.want {
				t.Errorf("notices:\n got %s\nwant %s", g, tt.want)
			}
		})
	}
}

func TestNextOverdueChain(t *testing.T) {
	t.Parallel()
	cal := NewCalendar(nil)
	due, _ := ParseDate("2024-09-27")
	now := at9(t, "2024-09-27")
	var days []string
	for range 5 {
		n, err := cal.NextOverdue(due, DefaultReminderPolicy(), now)
		if err != nil {
			t.Fatal(err)
		}
		days = append(days, fmt.Sprintf("%s/%d", n.Day, n.WorkingDays))
		now = n.At
	}
	if got, want := strings.Join(days, " "), "2024-09-29/1 2024-09-30/2 2024-10-08/3 2024-10-09/4 2024-10-10/5"; got != want {
		t.Errorf("overdue days: %s, want %s", got, want)
	}
}

func TestActiveDeadlines(t *testing.T) {
	t.Parallel()
	d := func(s string) Date { x, _ := ParseDate(s); return x }
	due := func(s string) DueDate { return DueDate{Date: d(s)} }
	base := Case{Kind: KindLead, Round: 1, ReplyDue: d("2024-10-08"), ReturnDue: d("2024-07-08"), CoOpinionDue: Date{}}
	with := func(mod func(*Case)) *Case { c := base; mod(&c); return &c }
	tests := []struct {
		name string
		f    CaseDeadlineFacts
		want string
	}{
		{"assigned", CaseDeadlineFacts{Case: with(func(c *Case) { c.State = StateAssigned })}, "reply 2024-10-08, return_window 2024-07-08"},
		{"drafting with a pending extension", CaseDeadlineFacts{Case: with(func(c *Case) { c.State = StateDrafting }), ExtensionDue: due("2024-09-06")}, "reply 2024-10-08, extension_decision 2024-09-06"},
		{"co-handling", CaseDeadlineFacts{Case: with(func(c *Case) { c.State, c.Kind, c.CoOpinionDue = StateInReview, KindCo, d("2024-08-01") })}, "co_opinion 2024-08-01"},
		{"co opinion submitted", CaseDeadlineFacts{Case: with(func(c *Case) { c.State, c.Kind, c.CoOpinionDue = StateOpinionSubmitted, KindCo, d("2024-08-01") })}, ""},
		{"replied, publication pending", CaseDeadlineFacts{Case: with(func(c *Case) { c.State = StateReplied }), FeedbackDue: due("2024-10-05"), PublicationState: StatePending, PublicationDue: due("2024-10-10")}, "feedback 2024-10-05, publication 2024-10-10"},
		{"closed, published", CaseDeadlineFacts{Case: with(func(c *Case) { c.State = StateClosed }), PublicationState: StatePublished, PublicationDue: due("2024-10-10")}, ""},
		{"closed, publication still pending", CaseDeadlineFacts{Case: with(func(c *Case) { c.State = StateClosed }), PublicationState: StatePending, PublicationDue: due("2024-10-10")}, "publication 2024-10-10"},
		{"re-handling round", CaseDeadlineFacts{Case: with(func(c *Case) { c.State, c.Round, c.ReplyDue = StateRehandling, 2, d("2024-11-25") })}, "rehandle 2024-11-25"},
		{"returned", CaseDeadlineFacts{Case: with(func(c *Case) { c.State = StateReturned })}, ""},
		{"provisional reply and return window", CaseDeadlineFacts{Case: with(func(c *Case) {
			c.State, c.ReplyDue, c.Provisional = StateAssigned, d("2028-02-15"), ProvisionalDues{Reply: true, Return: true}
		})}, "reply 2028-02-15 provisional, return_window 2024-07-08 provisional"},
		{"provisional publication and feedback", CaseDeadlineFacts{Case: with(func(c *Case) { c.State = StateReplied }),
			FeedbackDue: DueDate{Date: d("2028-01-20"), Provisional: true}, PublicationState: StatePending,
			PublicationDue: DueDate{Date: d("2028-01-17"), Provisional: true}}, "feedback 2028-01-20 provisional, publication 2028-01-17 provisional"},
	}
	for _, tt := range tests {
		var got []string
		for _, dl := range ActiveDeadlines(tt.f) {
			s := string(dl.Kind) + " " + dl.Due.String()
			if dl.Provisional {
				s += " provisional"
			}
			got = append(got, s)
		}
		if g := strings.Join(got, ", "); g != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, g, tt.want)
		}
	}
}

func TestAudienceOf(t *testing.T) {
	t.Parallel()
	if a := AudienceOf(DeadlineReply, NoticeBefore); a.Liaison || len(a.UnitRoles) != 1 || a.UnitRoles[0] != RoleDrafter {
		t.Errorf("reply before: %+v", a)
	}
	if a := AudienceOf(DeadlineReply, NoticeOverdue); !a.Liaison || len(a.UnitRoles) != 3 {
		t.Errorf("reply overdue: %+v", a)
	}
	if a := AudienceOf(DeadlineFeedback, NoticeOverdue); !a.Liaison || len(a.UnitRoles) != 0 {
		t.Errorf("feedback overdue: %+v", a)
	}
}
