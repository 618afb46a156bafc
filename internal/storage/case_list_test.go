package storage_test

import (
	"context"
	"slices"
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
	db := testdb.NewDB(t)
	ctx := context.Background()
	_, err := demo.Load(ctx, db, demo.Options{})
	must(t, err)
	depts, err := db.Departments(ctx)
	must(t, err)
	var unit *workflow.Department
	for _, d := range depts {
		if !d.LiaisonOffice {
			unit = d
			break
		}
	}
	actors := map[string]workflow.Actor{
		"liaison": {UserID: 1, Roles: []workflow.Role{workflow.RoleLiaison}},
		"unit":    {UserID: 1, Roles: []workflow.Role{workflow.RoleDrafter}, DepartmentID: unit.ID},
	}
	for name, actor := range actors {
		for _, sort := range storage.AllCaseListSorts() {
			f := storage.CaseListFilter{Sort: sort, Past: true, Limit: 500}
			list, total, err := db.CaseList(ctx, actor, f)
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
