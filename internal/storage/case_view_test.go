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

// TestVisibilityMirrorsAccessTo: for every demo user, the cases the SQL
// lists are exactly those workflow.Actor.AccessTo lets them see, and CaseFor
// agrees case by case (not found where the list leaves a case out).
func TestVisibilityMirrorsAccessTo(t *testing.T) {
	t.Parallel()
	bn := &bundle{db: testdb.NewDB(t), ctx: context.Background()}
	if _, err := demo.Load(bn.ctx, bn.db, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	liaison := workflow.Actor{Roles: []workflow.Role{workflow.RoleLiaison}}
	all, err := bn.db.CasesVisibleTo(bn.ctx, liaison, storage.CaseFilter{Limit: 5000})
	must(t, err)
	if len(all) < 40 {
		t.Fatalf("liaison sees %d cases", len(all))
	}
	var ids []int64
	must(t, func() error {
		rows, err := bn.db.Pool.Query(bn.ctx, `SELECT id FROM users ORDER BY id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	}())
	checkedRead := false
	for _, id := range ids {
		actor, err := bn.db.ActorFor(bn.ctx, id)
		must(t, err)
		got, err := bn.db.CasesVisibleTo(bn.ctx, actor, storage.CaseFilter{Limit: 5000})
		must(t, err)
		var gotIDs, wantIDs []int64
		for _, c := range got {
			gotIDs = append(gotIDs, c.ID)
		}
		for _, c := range all {
			access := actor.AccessTo(&c.Case, c.LeadDepartmentID)
			if access != workflow.AccessNone {
				wantIDs = append(wantIDs, c.ID)
			}
			one, gotAccess, err := bn.db.CaseFor(bn.ctx, actor, c.ID)
			switch {
			case access == workflow.AccessNone && workflow.Code(err) != workflow.ErrNotFound:
				t.Errorf("user %d reads invisible case %d: %v", id, c.ID, err)
			case access != workflow.AccessNone && (err != nil || one.ID != c.ID || gotAccess != access):
				t.Errorf("user %d case %d: access %s, got %s %v", id, c.ID, access, gotAccess, err)
			}
			checkedRead = checkedRead || access == workflow.AccessRead
		}
		if !slices.Equal(gotIDs, wantIDs) {
			t.Errorf("user %d %v: listed %v, want %v", id, actor.Roles, gotIDs, wantIDs)
		}
	}
	if !checkedRead {
		t.Error("the demo has no co-handling case read by its lead unit")
	}
}
