package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/demo"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/workflow"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// fixtureParagraphs returns the reply's paragraphs in the shared fixture.
func fixtureParagraphs(t *testing.T) []string {
	t.Helper()
	out, err := demo.SharedFixtureParagraphs("../../../shared/fixtures/wuhan-reply-20240294.txt")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestFixtureSectionsMatchTheSharedFixture(t *testing.T) {
	t.Parallel()
	want := fixtureParagraphs(t)
	var got []string
	for _, s := range demo.FixtureSections() {
		got = append(got, s.Heading)
		got = append(got, strings.Split(s.Body, "\n\n")...)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("demo copy differs from the fixture:\n got %d paragraphs\nwant %d", len(got), len(want))
	}
	if n := len(demo.FixtureSections()); n != 2 {
		t.Fatalf("%d sections, want 2", n)
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.NewDB(t)
	now := time.Date(2026, 11, 29, 15, 0, 0, 0, time.UTC)
	loaded, err := demo.Load(ctx, db, demo.Options{Now: now})
	if err != nil || !loaded {
		t.Fatalf("Load: %v %v", loaded, err)
	}
	loaded, err = demo.Load(ctx, db, demo.Options{Now: now})
	if err != nil || loaded {
		t.Fatalf("second Load: loaded=%v err=%v, want a no-op", loaded, err)
	}

	id, err := db.PublicationIDByNumber(ctx, demo.SessionShort, demo.FixtureNumber)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := db.PublishedReply(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	shanghai := workflow.Zone()
	if pub.Title != "关于市十五届人大三次会议第20240294号建议的答复" ||
		pub.PublishedAt.In(shanghai).Format("2006-01-02 15:04") != "2024-09-30 18:35" ||
		pub.DepartmentName != "武汉市市场监督管理局" {
		t.Errorf("publication: %q %s %q", pub.Title, pub.PublishedAt.In(shanghai), pub.DepartmentName)
	}
	var paras []string
	for _, s := range pub.Sections {
		paras = append(paras, s.Heading)
		paras = append(paras, strings.Split(s.Body, "\n\n")...)
	}
	if strings.Join(paras, "\n") != strings.Join(fixtureParagraphs(t), "\n") {
		t.Errorf("published text differs from the fixture")
	}

	// Every case state appears, over several units; both sessions have proposals.
	rows, err := db.Pool.Query(ctx, `SELECT state, count(*), count(DISTINCT department_id) FROM cases GROUP BY state`)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[workflow.State]int{}
	for rows.Next() {
		var s string
		var n, units int
		if err := rows.Scan(&s, &n, &units); err != nil {
			t.Fatal(err)
		}
		seen[workflow.State(s)] = n
	}
	rows.Close()
	for _, s := range workflow.CaseStates() {
		if seen[s] == 0 {
			t.Errorf("no demo case in state %s", s)
		}
	}
	var proposals, units, pubStates, extensions, rounds int
	err = db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM proposals), (SELECT count(DISTINCT department_id) FROM cases),
		(SELECT count(DISTINCT state) FROM publications), (SELECT count(DISTINCT state) FROM extensions), (SELECT max(round) FROM cases)`).
		Scan(&proposals, &units, &pubStates, &extensions, &rounds)
	if err != nil {
		t.Fatal(err)
	}
	if proposals < 30 || units < 6 || pubStates != 3 || extensions != 2 || rounds < 2 {
		t.Errorf("demo spread: %d proposals, %d units, %d publication states, %d extension states, max round %d", proposals, units, pubStates, extensions, rounds)
	}
	rep, err := db.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Breaks) != 0 {
		t.Fatalf("audit breaks in the demo: %+v", rep.Breaks)
	}
	t.Logf("demo: %d proposals, %d cases, %d events; states %v", proposals, rep.Cases, rep.Events, seen)
}
