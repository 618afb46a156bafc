package storage_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/demo"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
)

// TestPublishedFacetsAgeOnTheClock: the portal's filters are read again
// once a minute has passed on the database's clock, not the machine's.
func TestPublishedFacetsAgeOnTheClock(t *testing.T) {
	t.Parallel()
	db := testdb.NewDB(t)
	ctx := context.Background()
	_, err := demo.Load(ctx, db, demo.Options{})
	must(t, err)
	now := testdb.Epoch
	db.Clock = func() time.Time { return now }
	has := func(name string) bool {
		t.Helper()
		f, err := db.PublishedFacets(ctx)
		must(t, err)
		return slices.ContainsFunc(f.Departments, func(u storage.PublicationUnit) bool { return u.Name == name })
	}
	if !has(demo.FixtureDepartment) {
		t.Fatalf("the facets lack %s", demo.FixtureDepartment)
	}
	const renamed = "武汉市市场监督管理局（更名）"
	_, err = db.Pool.Exec(ctx, `UPDATE departments SET name = $1 WHERE name = $2`, renamed, demo.FixtureDepartment)
	must(t, err)
	now = now.Add(59 * time.Second)
	if has(renamed) {
		t.Error("the facets were read again within the minute")
	}
	now = now.Add(2 * time.Second)
	if !has(renamed) {
		t.Error("the facets were not read again after a minute on the database's clock")
	}
}
