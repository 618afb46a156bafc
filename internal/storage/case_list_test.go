package storage_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/demo"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/workflow"
)

// TestCaseListEach: the export's keyset walk of the case list gives the
// rows of the list, in its order, for every sort, for the liaison office
// and for a unit (only the cases workflow lets it see).
func TestCaseListEach(t *testing.T) {
	t.Parallel()
	db, liaison, unit := caseListDemo(t)
	ctx := context.Background()
	for name, actor := range map[string]workflow.Actor{"liaison": liaison, "unit": unit} {
		for _, sort := range storage.AllCaseListSorts() {
			f := storage.CaseListFilter{Sort: sort, Past: true, Limit: 500}
			list, total, _, err := db.CaseList(ctx, actor, f)
			must(t, err)
			var want, got []int64
			for _, c := range list {
				want = append(want, c.ID)
				if actor.AccessTo(&c.Case, c.LeadDepartmentID) == workflow.AccessNone {
					t.Errorf("%s sees case %d, which workflow hides from it", name, c.ID)
				}
			}
			f.Limit = 7
			must(t, db.CaseListEach(ctx, actor, f, func(page []*storage.CaseSummary) (bool, error) {
				for _, c := range page {
					got = append(got, c.ID)
				}
				return false, nil
			}))
			if !slices.Equal(got, want) || total != len(want) || len(want) < 8 {
				t.Errorf("%s, sort %q: walked %v, list %v (total %d)", name, sort, got, want, total)
			}
		}
	}
}

// TestCaseListUrgencyOrder: the list's default order is the urgency the
// page promises on every day — overdue cases first, then the other open
// cases, each by due date, then the rest by due date, ties by the
// suggestion's number — although the SQL sorts by open/closed and due date
// only (so that an index serves it).
func TestCaseListUrgencyOrder(t *testing.T) {
	t.Parallel()
	db, liaison, unit := caseListDemo(t)
	for _, actor := range []workflow.Actor{liaison, unit} {
		testUrgencyOrder(t, db, actor)
	}
}

// caseListDemo loads the demo data into a new database and returns it with
// a liaison and a drafter of the first handling unit.
func caseListDemo(t *testing.T) (db *storage.DB, liaison, unit workflow.Actor) {
	t.Helper()
	db = testdb.NewDB(t)
	ctx := context.Background()
	_, err := demo.Load(ctx, db, demo.Options{})
	must(t, err)
	depts, err := db.Departments(ctx)
	must(t, err)
	i := slices.IndexFunc(depts, func(d *workflow.Department) bool { return !d.LiaisonOffice })
	if i < 0 {
		t.Fatal("the demo data has no handling unit")
	}
	return db, workflow.Actor{UserID: 1, Roles: []workflow.Role{workflow.RoleLiaison}},
		workflow.Actor{UserID: 1, Roles: []workflow.Role{workflow.RoleDrafter}, DepartmentID: depts[i].ID}
}

func testUrgencyOrder(t *testing.T, db *storage.DB, actor workflow.Actor) {
	t.Helper()
	ctx := context.Background()
	list, _, _, err := db.CaseList(ctx, actor, storage.CaseListFilter{Past: true, Limit: 500})
	must(t, err)
	if len(list) < 3 {
		t.Fatalf("the demo lists %d cases to %v", len(list), actor.Roles)
	}
	// Without Past: the same, less the finished cases of past sessions.
	sessions, err := db.Sessions(ctx)
	must(t, err)
	latest := slices.MaxFunc(sessions, func(a, b *workflow.CongressSession) int { return a.OpenedOn.Compare(b.OpenedOn) })
	current, _, _, err := db.CaseList(ctx, actor, storage.CaseListFilter{Limit: 500})
	must(t, err)
	kept := slices.DeleteFunc(slices.Clone(list), func(c *storage.CaseSummary) bool {
		return c.State.Terminal() && c.SessionID != latest.ID
	})
	if !slices.EqualFunc(current, kept, func(a, b *storage.CaseSummary) bool { return a.ID == b.ID }) ||
		(slices.Contains(actor.Roles, workflow.RoleLiaison) && len(kept) == len(list)) {
		t.Errorf("%v: without past sessions %d cases, want %d of %d", actor.Roles, len(current), len(kept), len(list))
	}
	due := func(c *storage.CaseSummary) workflow.Date {
		if c.Kind == workflow.KindCo {
			return c.CoOpinionDue
		}
		return c.ReplyDue
	}
	// Days before, among and after the cases' due dates.
	days := []workflow.Date{due(list[0]).AddDays(-400), due(list[len(list)/3]), due(list[len(list)/2]).AddDays(1), due(list[len(list)-1]).AddDays(400)}
	for _, today := range days {
		rank := func(c *storage.CaseSummary) int {
			switch {
			case c.State.Open() && due(c).Before(today):
				return 0
			case c.State.Open():
				return 1
			}
			return 2
		}
		want := slices.Clone(list)
		slices.SortStableFunc(want, func(a, b *storage.CaseSummary) int {
			if r := rank(a) - rank(b); r != 0 {
				return r
			}
			if c := due(a).Compare(due(b)); c != 0 {
				return c
			}
			if c := strings.Compare(a.ProposalNumber, b.ProposalNumber); c != 0 {
				return c
			}
			return int(a.ID - b.ID)
		})
		got, _, _, err := db.CaseList(ctx, actor, storage.CaseListFilter{Past: true, Limit: 500, Today: today})
		must(t, err)
		if !slices.EqualFunc(got, want, func(a, b *storage.CaseSummary) bool { return a.ID == b.ID }) {
			t.Errorf("%v, on %s: the list is not in urgency order", actor.Roles, today)
		}
	}
}

// TestCaseListUrgencyIndex: the index that serves the list's default order
// (migration 00296) sorts open cases by workflow's open states, the same
// the list's ORDER BY names; with another list the planner would sort
// every case again.
func TestCaseListUrgencyIndex(t *testing.T) {
	t.Parallel()
	db := testdb.NewDB(t)
	var def string
	must(t, db.Pool.QueryRow(context.Background(), `SELECT pg_get_indexdef('cases_urgency_idx'::regclass)`).Scan(&def))
	var open []string
	for _, s := range workflow.CaseStates() {
		if s.Open() {
			open = append(open, "'"+string(s)+"'::text")
		}
	}
	if want := "(state <> ALL (ARRAY[" + strings.Join(open, ", ") + "]))"; !strings.Contains(def, want) {
		t.Errorf("cases_urgency_idx is %s; want it to start with %s", def, want)
	}
}
