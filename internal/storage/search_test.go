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

// TestSearchCases: a staff search finds any substring of two or more
// Chinese characters (and one character) of a suggestion's title, body or
// deputies' names; words are ANDed; title hits come before newer body
// hits; a unit's user finds only what the unit may see.
func TestSearchCases(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	wang := &workflow.Deputy{Name: "王晓明"}
	must(t, bn.db.CreateDeputy(bn.ctx, wang))
	food := &workflow.Proposal{SessionID: bn.session.ID, Number: "20240301", Title: "关于加强食品安全监管的建议",
		Body: "校园周边小摊贩较多，监管存在盲区。", SubmittedOn: date(t, "2024-01-09"), DeputyIDs: bn.proposal.DeputyIDs}
	market := &workflow.Proposal{SessionID: bn.session.ID, Number: "20240302", Title: "关于优化营商环境的建议",
		Body: "建议加强食品安全抽检，减少重复检查。", SubmittedOn: date(t, "2024-01-09"), DeputyIDs: []int64{wang.ID}}
	must(t, bn.db.CreateProposal(bn.ctx, food))
	must(t, bn.db.CreateProposal(bn.ctx, market))
	assign := func(p *workflow.Proposal, unit *workflow.Department, at string) int64 {
		c, err := bn.db.Assign(bn.ctx, storage.AssignCmd{ProposalID: p.ID, DepartmentID: unit.ID, Kind: workflow.KindLead,
			Actor: bn.liaison, At: on(t, at)})
		must(t, err)
		return c.ID
	}
	foodCase := assign(food, bn.unitA, "2027-07-01")
	marketCase := assign(market, bn.unitB, "2027-07-02") // newer
	techCase := assign(bn.proposal, bn.unitA, "2027-07-01")

	search := func(actor workflow.Actor, q string) []int64 {
		t.Helper()
		res, err := bn.db.SearchCases(bn.ctx, actor, storage.CaseSearch{Query: q})
		must(t, err)
		var ids []int64
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if res.Total != len(ids) || res.More {
			t.Errorf("%q: total %d (more %v), %d hits", q, res.Total, res.More, len(ids))
		}
		return ids
	}
	cases := []struct {
		q    string
		want []int64
	}{
		{"食品", []int64{foodCase, marketCase}}, // title hit first, body hit after though newer
		{"品安", []int64{foodCase, marketCase}}, // a substring across words
		{"成果转化", []int64{techCase}},           // inside a title
		{"抽检", []int64{marketCase}},           // inside a body
		{"晓明", []int64{marketCase}},           // a deputy's name
		{"营", []int64{marketCase}},            // one character
		{"食品 营商", []int64{marketCase}},        // words are ANDed
		{"食品 科技", nil},                        // no case holds both
		{"20240301", []int64{foodCase}},       // the number
		{"第20240302号", []int64{marketCase}},   // as the reply's title names it
		{"食品安全监管", []int64{foodCase}},         // a longer word
		{"监管 盲区", []int64{foodCase}},          // title and body of one suggestion
		{"环境保护", nil},                         // 环境 is there, 保护 is not
	}
	// Every query twice: as it is, and as a common query (held by many
	// suggestions: title hits, then a walk of the newest cases).
	for _, commonAt := range []int{0, 1} {
		bn.db.SearchCommonAt = commonAt
		for _, tt := range cases {
			if got := search(bn.liaison, tt.q); !equalIDs(got, tt.want) {
				t.Errorf("liaison, %q (common at %d): %v, want %v", tt.q, commonAt, got, tt.want)
			}
		}
		// Unit B's drafter sees unit B's case only.
		if got := search(bn.b[workflow.RoleDrafter], "食品"); !equalIDs(got, []int64{marketCase}) {
			t.Errorf("unit B, 食品: %v, want only its case %d", got, marketCase)
		}
		if got := search(bn.a[workflow.RoleDrafter], "抽检"); len(got) != 0 {
			t.Errorf("unit A, 抽检: %v, want none (unit B's case)", got)
		}
		// Filters.
		res, err := bn.db.SearchCases(bn.ctx, bn.liaison, storage.CaseSearch{Query: "食品", DepartmentID: bn.unitA.ID, Year: 2027,
			State: workflow.StateAssigned})
		must(t, err)
		if len(res.Hits) != 1 || res.Hits[0].ID != foodCase || !res.Hits[0].TitleHit {
			t.Errorf("食品 in unit A, 2027, assigned: %+v", res.Hits)
		}
		res, err = bn.db.SearchCases(bn.ctx, bn.liaison, storage.CaseSearch{Query: "食品", Year: 2026})
		must(t, err)
		if len(res.Hits) != 0 {
			t.Errorf("食品 assigned in 2026: %d hits, want none", len(res.Hits))
		}
		// Paging: the second hit alone, the body hit after the title hit.
		res, err = bn.db.SearchCases(bn.ctx, bn.liaison, storage.CaseSearch{Query: "食品", Limit: 1, Offset: 1})
		must(t, err)
		if len(res.Hits) != 1 || res.Hits[0].ID != marketCase || res.Hits[0].TitleHit || res.Total != 2 {
			t.Errorf("食品, second page of one: %+v (total %d)", res.Hits, res.Total)
		}
		res, err = bn.db.SearchCases(bn.ctx, bn.liaison, storage.CaseSearch{Query: "食品", Limit: 1})
		must(t, err)
		if len(res.Hits) != 1 || res.Hits[0].ID != foodCase || !res.Hits[0].TitleHit {
			t.Errorf("食品, first page of one: %+v", res.Hits)
		}
		_, err = bn.db.SearchCases(bn.ctx, bn.liaison, storage.CaseSearch{Query: "，。"})
		wantCode(t, err, workflow.ErrInvalid)
	}
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestSearchPortal: on the demo data the portal's search finds reply texts
// and titles of published replies only: 专利转化 (in the reply to No.
// 20240294, not in its suggestion) lists that reply first; a withheld
// reply and a reply still pending publication are not found, though staff
// find their cases.
func TestSearchPortal(t *testing.T) {
	t.Parallel()
	db := testdb.NewDB(t)
	ctx := context.Background()
	_, err := demo.Load(ctx, db, demo.Options{})
	must(t, err)
	replies, total, err := db.PublishedReplies(ctx, storage.PublicationFilter{Query: "专利转化"})
	must(t, err)
	if len(replies) == 0 || replies[0].Number != "20240294" || total != len(replies) {
		t.Fatalf("专利转化: %d of %d replies, first %+v; want No. 20240294 first", len(replies), total, replies)
	}
	var liaison workflow.Actor
	must(t, db.Pool.QueryRow(ctx, `SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'liaison' LIMIT 1`).
		Scan(&liaison.UserID))
	liaison.Roles = []workflow.Role{workflow.RoleLiaison}
	for _, tt := range []struct {
		q         string
		published bool
	}{
		{"智慧停车", true},  // published
		{"近视防控", true},  // published
		{"网约车", false},  // withheld
		{"纠纷多元", false}, // replied, publication pending
		{"课后服务", false}, // still being drafted
	} {
		replies, _, err := db.PublishedReplies(ctx, storage.PublicationFilter{Query: tt.q})
		must(t, err)
		if got := len(replies) > 0; got != tt.published {
			t.Errorf("portal, %q: %d replies, want found = %v", tt.q, len(replies), tt.published)
		}
		res, err := db.SearchCases(ctx, liaison, storage.CaseSearch{Query: tt.q})
		must(t, err)
		if len(res.Hits) == 0 {
			t.Errorf("staff, %q: no case found", tt.q)
		}
	}
	replies, _, err = db.PublishedReplies(ctx, storage.PublicationFilter{Query: "专利转化", Class: workflow.ClassD})
	must(t, err)
	for _, r := range replies {
		if r.Class != workflow.ClassD {
			t.Errorf("class D filter returned a class %s reply", r.Class)
		}
	}
	// A common query (held by many replies: title hits, then a walk of the
	// newest replies) finds the same replies in the same order, page by
	// page, with the same count.
	most := 0
	for _, q := range []string{"专利转化", "建议", "办理", "的", "智慧停车", "网约车"} {
		var lists [2][]string
		var totals [2]int
		for i, commonAt := range []int{0, 1} {
			db.SearchCommonAt = commonAt
			all, total, err := db.PublishedReplies(ctx, storage.PublicationFilter{Query: q, Limit: 200})
			must(t, err)
			totals[i] = total
			for _, r := range all {
				lists[i] = append(lists[i], r.Number+" "+r.Title)
			}
			for off := range all {
				page, _, err := db.PublishedReplies(ctx, storage.PublicationFilter{Query: q, Limit: 1, Offset: off})
				must(t, err)
				if len(page) != 1 || page[0].Number+" "+page[0].Title != lists[i][off] {
					t.Errorf("%q (common at %d), page %d of one: %d replies, want %s", q, commonAt, off, len(page), lists[i][off])
				}
			}
		}
		if !slices.Equal(lists[0], lists[1]) || totals[0] != totals[1] || totals[0] != len(lists[0]) {
			t.Errorf("%q: %v (total %d); as a common query %v (total %d)", q, lists[0], totals[0], lists[1], totals[1])
		}
		most = max(most, len(lists[0]))
	}
	if most < 3 {
		t.Errorf("the common queries find at most %d replies; want pages to compare", most)
	}
	db.SearchCommonAt = 0
}
