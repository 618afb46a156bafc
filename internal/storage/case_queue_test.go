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

// TestQueueMirrorsWorkflow: the queue (待我办理) is counted and listed in
// SQL generated from the transition table; on the demo data, for every demo
// user, it holds exactly the cases workflow says await them — the enabled,
// awaited offers of workflow.Offers on each visible case's facts
// (storage.CaseFacts) — with the same actions, in workflow.CompareUrgency's
// order, and the count is the list's length.
func TestQueueMirrorsWorkflow(t *testing.T) {
	t.Parallel()
	db := testdb.NewDB(t)
	ctx := context.Background()
	_, err := demo.Load(ctx, db, demo.Options{})
	must(t, err)
	today := db.Clock.Today()
	seen := map[workflow.Action]int{}
	for _, person := range demo.People() {
		u, err := db.UserByEmail(ctx, person.Login+"@banli.example")
		must(t, err)
		actor := workflow.Actor{UserID: u.ID, DepartmentID: u.DepartmentID, Roles: u.Roles}
		visible, err := db.CasesVisibleTo(ctx, actor, storage.CaseFilter{Limit: 5000})
		must(t, err)
		want := map[int64][]workflow.Action{}
		for _, cs := range visible {
			if actor.AccessTo(&cs.Case, cs.LeadDepartmentID) != workflow.AccessAct {
				continue
			}
			facts, pub, err := db.CaseFacts(ctx, &cs.Case)
			must(t, err)
			if pub != cs.PublicationState {
				t.Errorf("case %d: CaseFacts reads publication %q, the summary %q", cs.ID, pub, cs.PublicationState)
			}
			for _, o := range workflow.Awaited(workflow.Offers(&cs.Case, pub, actor.RolesOn(cs.DepartmentID), facts)) {
				if !slices.Contains(want[cs.ID], o.Action) {
					want[cs.ID] = append(want[cs.ID], o.Action)
				}
			}
		}
		items, total, err := db.Queue(ctx, actor, 500, 0)
		must(t, err)
		n, err := db.QueueCount(ctx, actor)
		must(t, err)
		if total != len(items) || n != total {
			t.Errorf("%s: queue lists %d, total %d, count %d", person.Login, len(items), total, n)
		}
		got := map[int64][]workflow.Action{}
		for i, it := range items {
			got[it.ID] = it.Actions
			if i > 0 && workflow.CompareUrgency(&items[i-1].Case, &it.Case, today) > 0 {
				t.Errorf("%s: case %d (due %s) listed after case %d (due %s)", person.Login, it.ID, it.Due(), items[i-1].ID, items[i-1].Due())
			}
		}
		for id, w := range want {
			g := got[id]
			slices.Sort(g)
			slices.Sort(w)
			if !slices.Equal(g, w) {
				t.Errorf("%s: case %d awaits %v in workflow, %v in SQL", person.Login, id, w, g)
			}
			for _, a := range w {
				seen[a]++
			}
		}
		for id, g := range got {
			if _, ok := want[id]; !ok {
				t.Errorf("%s: SQL queue has case %d (%v), workflow does not", person.Login, id, g)
			}
		}
	}
	// The demo puts each kind of awaited action in some queue.
	for _, a := range []workflow.Action{workflow.ActionAccept, workflow.ActionSubmit, workflow.ActionForward, workflow.ActionSign,
		workflow.ActionSend, workflow.ActionRecordFeedback, workflow.ActionApproveReturn, workflow.ActionGrantExtension,
		workflow.ActionReturnForRevision} {
		if seen[a] == 0 {
			t.Errorf("no demo queue awaits %s: the mirror is not tested for it", a)
		}
	}
	t.Logf("awaited actions over all demo queues: %v", seen)
}

// TestAwaitingReassignmentPages: the returned cases awaiting reassignment
// are those of suggestions without a live case assigned since the return
// (worked out here from every case), earliest return first, page by page
// with their number; a reassigned suggestion leaves the list.
func TestAwaitingReassignmentPages(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	returned := func(p *workflow.Proposal, day int) {
		t.Helper()
		bn.proposal = p
		c := bn.assign(t, bn.unitA, workflow.KindLead, on(t, "2024-09-02"))
		c = bn.act(t, c, workflow.ActionRequestReturn, bn.a[workflow.RoleDrafter], on(t, "2024-09-03"), workflow.Input{Comment: "不属于我单位职责"})
		bn.act(t, c, workflow.ActionApproveReturn, bn.liaison, on(t, "2024-09-03").AddDate(0, 0, day), workflow.Input{})
	}
	first := bn.proposal
	var others []*workflow.Proposal
	for i, number := range []string{"20240301", "20240302"} {
		p := &workflow.Proposal{SessionID: bn.session.ID, Number: number, Title: "关于优化营商环境的建议",
			SubmittedOn: date(t, "2024-01-09"), DeputyIDs: first.DeputyIDs}
		must(t, bn.db.CreateProposal(bn.ctx, p))
		others = append(others, p)
		returned(p, 2-i) // the later number returned first
	}
	returned(first, 3)
	check := func(stage string) {
		t.Helper()
		all, err := bn.db.CasesVisibleTo(bn.ctx, bn.liaison, storage.CaseFilter{Limit: 5000})
		must(t, err)
		var want []*storage.CaseSummary
		for _, c := range all {
			reassigned := slices.ContainsFunc(all, func(o *storage.CaseSummary) bool {
				return o.ProposalID == c.ProposalID && o.State != workflow.StateReturned && !o.AssignedAt.Before(c.UpdatedAt)
			})
			if c.State == workflow.StateReturned && !reassigned {
				want = append(want, c)
			}
		}
		slices.SortFunc(want, func(a, b *storage.CaseSummary) int {
			if c := a.UpdatedAt.Compare(b.UpdatedAt); c != 0 {
				return c
			}
			return int(a.ID - b.ID)
		})
		for i, w := range want {
			page, total, err := bn.db.AwaitingReassignment(bn.ctx, 1, i)
			must(t, err)
			if total != len(want) || len(page) != 1 || page[0].ID != w.ID {
				t.Fatalf("%s, page %d: %d rows of %d, want case %d of %d", stage, i+1, len(page), total, w.ID, len(want))
			}
		}
		page, total, err := bn.db.AwaitingReassignment(bn.ctx, 1, len(want))
		must(t, err)
		if len(page) != 0 || total != len(want) {
			t.Errorf("%s, past the last page: %d rows, total %d; want none of %d", stage, len(page), total, len(want))
		}
		if stage == "three returned" && (len(want) != 3 || want[0].ProposalID != others[1].ID) {
			t.Errorf("%s: %d awaiting, the first of suggestion %d", stage, len(want), want[0].ProposalID)
		}
		if stage == "one reassigned" && len(want) != 2 {
			t.Errorf("%s: %d awaiting", stage, len(want))
		}
	}
	check("three returned")
	bn.proposal = first
	bn.assign(t, bn.unitB, workflow.KindLead, on(t, "2024-09-10"))
	check("one reassigned")
}
