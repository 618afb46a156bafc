package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// showcaseCase is one case of a showcase proposal: its kind, how its fate
// differs from a random one, and where its walk stops (nil: at its end).
// then is where the unit assigned in place of a returned one stops.
type showcaseCase struct {
	kind  workflow.CaseKind
	tweak func(f *fate)
	stop  func(s *simCase) bool
	then  func(s *simCase) bool
	// end, when set on one case, ends the whole suggestion after its
	// cases' walks (撤回, 不作为建议处理) on every case still open.
	end workflow.Action
}

// showcaseProposal is a proposal of the current session assigned daysAgo
// days before the as-of day, whose cases stop in chosen states: the last
// proposals of the current session, so that every state, kind and outcome
// occurs in a load of any size.
type showcaseProposal struct {
	daysAgo int
	cases   []showcaseCase
}

func stateIs(st workflow.State) func(s *simCase) bool {
	return func(s *simCase) bool { return s.c.State == st }
}

var (
	returnAsked    = func(f *fate) { f.returnReq = true }
	returnApproved = func(f *fate) { f.returnReq, f.returnApproved = true, true }
	dissatisfied   = func(f *fate) { f.dissatisfied = true }
)

var showcase = []showcaseProposal{
	{160, []showcaseCase{{kind: workflow.KindLead, tweak: dissatisfied, stop: func(s *simCase) bool {
		return s.c.State == workflow.StateDrafting && s.c.Round == 2
	}}}},
	{150, []showcaseCase{{kind: workflow.KindLead, tweak: dissatisfied, stop: stateIs(workflow.StateRehandling)}}},
	{130, []showcaseCase{
		{kind: workflow.KindCo, tweak: returnApproved},
		{kind: workflow.KindCo},
		{kind: workflow.KindLead, tweak: func(f *fate) {
			f.extension, f.extGranted, f.disclosure, f.publish = true, true, workflow.DisclosePublic, true
		}},
	}},
	{120, []showcaseCase{{kind: workflow.KindLead, tweak: func(f *fate) {
		f.extension, f.extGranted, f.disclosure, f.publish = true, false, workflow.DiscloseOnRequest, false
	}}}},
	{115, []showcaseCase{
		{kind: workflow.KindSeparate, tweak: returnApproved},
		{kind: workflow.KindSeparate},
	}},
	{110, []showcaseCase{
		{kind: workflow.KindSeparate, tweak: func(f *fate) { f.disclosure, f.publish = workflow.DiscloseSummary, true }},
		{kind: workflow.KindSeparate, stop: stateIs(workflow.StateReplied)},
	}},
	{90, []showcaseCase{{kind: workflow.KindLead, tweak: func(f *fate) { f.extension = true }, stop: func(s *simCase) bool { return s.ext != nil }}}},
	{75, []showcaseCase{{kind: workflow.KindLead, stop: stateIs(workflow.StateReplied)}}},
	{70, []showcaseCase{
		{kind: workflow.KindCo, stop: stateIs(workflow.StateDrafting)},
		{kind: workflow.KindLead, stop: stateIs(workflow.StateApproved)},
	}},
	{50, []showcaseCase{
		{kind: workflow.KindCo, tweak: returnAsked, stop: stateIs(workflow.StateReturnRequested)},
		{kind: workflow.KindLead, stop: stateIs(workflow.StateAwaitingApproval)},
	}},
	{45, []showcaseCase{
		{kind: workflow.KindCo},
		{kind: workflow.KindLead, stop: stateIs(workflow.StateDrafting)},
	}},
	{30, []showcaseCase{
		{kind: workflow.KindCo, stop: stateIs(workflow.StateAssigned)},
		{kind: workflow.KindLead, stop: stateIs(workflow.StateInReview)},
	}},
	{25, []showcaseCase{{kind: workflow.KindLead, tweak: returnApproved, then: stateIs(workflow.StateDrafting)}}},
	{20, []showcaseCase{
		{kind: workflow.KindCo, stop: stateIs(workflow.StateAssigned)},
		{kind: workflow.KindLead, stop: stateIs(workflow.StateDrafting), end: workflow.ActionWithdraw},
	}},
	{15, []showcaseCase{{kind: workflow.KindLead, stop: stateIs(workflow.StateAssigned), end: workflow.ActionConvert}}},
	{4, []showcaseCase{{kind: workflow.KindLead, tweak: returnAsked, stop: stateIs(workflow.StateReturnRequested)}}},
	{1, []showcaseCase{{kind: workflow.KindLead, stop: stateIs(workflow.StateAssigned)}}},
}

// sessionOf returns the session of global proposal index i and i's index
// within it.
func (g *gen) sessionOf(i int) (*sessionPlan, int) {
	for _, s := range g.sessions {
		if i < s.first+s.count {
			return s, i - s.first
		}
	}
	panic("synthetic: proposal index beyond the sessions")
}

// proposal makes proposal i with its deputies and walks its cases.
func (g *gen) proposal(i int) {
	r := rand.New(rand.NewPCG(g.seed, uint64(i)))
	s, j := g.sessionOf(i)
	var show *showcaseProposal
	nShow := 0
	if s.current {
		nShow = min(len(showcase), s.count)
		if k := j - (s.count - nShow); k >= 0 {
			show = &showcase[k]
		}
	}

	// When it came in and when the liaison assigned it (交办).
	var submitted workflow.Date
	var assigned time.Time
	regular := s.count - nShow
	main := regular * 80 / 100
	switch {
	case show != nil:
		day := g.workday(workflow.DateOf(g.end).AddDays(-show.daysAgo), -1)
		assigned = day.Time().Add(time.Duration(9*60+r.IntN(120)) * time.Minute)
		submitted = day.AddDays(-between(r, 3, 10))
	case j < main:
		submitted = s.opened.AddDays(j * 5 / max(main, 1))
		batch := s.batch
		if r.IntN(10) == 0 {
			batch = s.batch2
		}
		assigned = batch.Time().Add(time.Duration(9*60+r.IntN(150)) * time.Minute)
	default:
		span := s.recessUntil.Time().Sub(s.recessFrom.Time())
		frac := (float64(j-main) + 0.5) / float64(max(regular-main, 1))
		submitted = workflow.DateOf(s.recessFrom.Time().Add(time.Duration(frac * float64(span))))
		assigned = g.officeHours(r, submitted.AddDays(between(r, 2, 9)).Time(), submitted.Time())
	}

	// What it is about: the lead unit's topic.
	layout := r.IntN(100)
	lead := g.pickUnit(r)
	title, topic := synthTitle(r, g.units[lead].u)
	kind := pickWeighted(r, []workflow.ProposalKind{workflow.ProposalSuggestion, workflow.ProposalOpinion, workflow.ProposalCriticism}, []int{90, 6, 4})
	pid := g.ids.next(&g.ids.proposals)
	number := fmt.Sprintf("%d%0*d", s.opened.Year, s.width, j+1)
	body := synthBody(r, topic)
	g.rows.proposals = append(g.rows.proposals, []any{pid, s.id, number, string(kind), title, body,
		sqlDay(submitted), submitted.Time().Add(time.Duration(8*60+r.IntN(10*60)) * time.Minute)})
	row := len(g.rows.proposals) - 1

	// 领衔代表 and 联名代表, mostly of the same delegation.
	leadDeputy := r.IntN(len(g.deputies))
	signers := []int{leadDeputy}
	n := pickWeighted(r, []int{0, 1, 2, 3, 4, 6, 9, 14}, []int{35, 15, 12, 10, 8, 10, 6, 4})
	seen := map[int]bool{leadDeputy: true}
	for len(signers) < n+1 && len(signers) < len(g.deputies) {
		d := r.IntN(len(g.deputies))
		if same := g.delegations[g.deputies[leadDeputy].delegation]; r.IntN(10) < 7 && len(same) > 1 {
			d = pick(r, same)
		}
		if !seen[d] {
			seen[d] = true
			signers = append(signers, d)
		}
	}
	names := make([]string, 0, len(signers))
	for pos, d := range signers {
		g.rows.proposalDeputies = append(g.rows.proposalDeputies, []any{pid, g.deputies[d].id, pos == 0, pos})
		names = append(names, g.deputies[d].name)
	}
	// The search columns, as storage writes them (storage.ProposalSearchVectors).
	titleVec, bodyVec := storage.ProposalSearchVectors(title, number, s.short, body, names)
	g.rows.proposals[row] = append(g.rows.proposals[row], titleVec, bodyVec, nil, "", "", nil, nil)

	p := &propCtx{id: pid, number: number, short: s.short, topic: topic, deputy: g.deputies[leadDeputy].name,
		units: map[int]bool{lead: true}}

	// The cases: the showcase's, or lead only, lead and co-handling units,
	// or separate units (分办).
	var plan []showcaseCase
	switch {
	case show != nil:
		plan = show.cases
	case layout < 64:
		plan = []showcaseCase{{kind: workflow.KindLead}}
	case layout < 89:
		for range pickWeighted(r, []int{1, 2, 3}, []int{60, 30, 10}) {
			plan = append(plan, showcaseCase{kind: workflow.KindCo})
		}
		plan = append(plan, showcaseCase{kind: workflow.KindLead})
	default:
		for range between(r, 2, 3) {
			plan = append(plan, showcaseCase{kind: workflow.KindSeparate})
		}
	}
	leadUsed := false
	var end workflow.Action
	for _, pc := range plan {
		if pc.end != "" {
			end = pc.end
		}
	}
	var ending []*simCase // the cases that end goes over
	for _, pc := range plan {
		unit := lead
		if pc.kind != workflow.KindLead && (pc.kind != workflow.KindSeparate || leadUsed) {
			unit = g.otherUnit(r, p)
		}
		if pc.kind == workflow.KindSeparate {
			leadUsed = true
		}
		f := randomFate(r, s.current)
		if show != nil {
			f.returnReq, f.returnApproved, f.extension, f.dissatisfied, f.noFeedback, f.slow = false, false, false, false, false, 1
			f.fast = true
			if pc.tweak != nil {
				pc.tweak(f)
			}
			f.stop = pc.stop
		}
		c := g.newCase(r, p, unit, pc.kind, f)
		c.walk(assigned)
		if end != "" {
			ending = append(ending, c)
			continue
		}
		c.finish()
		if pc.kind == workflow.KindCo {
			p.co = append(p.co, c)
		}
		if c.c.State == workflow.StateReturned && pc.kind != workflow.KindCo && g.err == nil {
			// The liaison assigns the suggestion to another unit.
			f2 := randomFate(r, s.current)
			f2.returnReq, f2.returnApproved = false, false
			if show != nil {
				f2.extension, f2.dissatisfied, f2.noFeedback, f2.slow, f2.fast = false, false, false, 1, true
				f2.stop = pc.then
			}
			next := g.newCase(r, p, g.otherUnit(r, p), pc.kind, f2)
			next.walk(g.officeHours(r, c.t.Add(time.Duration(between(r, 1, 3))*24*time.Hour), c.t))
			next.finish()
		}
		if g.err != nil {
			return
		}
	}
	if len(ending) > 0 {
		g.endProposal(r, row, end, ending)
	}
}

// endProposal ends the suggestion of proposal row (撤回 or 不作为建议处理) on
// each of its cases, a working day after the last of them moved, and
// files the cases.
func (g *gen) endProposal(r *rand.Rand, row int, a workflow.Action, cases []*simCase) {
	in := workflow.Input{Comment: "领衔代表来函申请撤回该建议，相关问题已协调解决。"}
	if a == workflow.ActionConvert {
		in = workflow.Input{Comment: "该建议反映的是个人具体诉求，不属于代表建议范围。", Destination: "转为来信，交市信访局办理"}
	}
	last := cases[0].t
	for _, c := range cases {
		if c.t.After(last) {
			last = c.t
		}
	}
	liaison := pick(r, g.liaisons)
	at := g.officeHours(r, last.Add(24*time.Hour), last)
	for _, c := range cases {
		c.stopped = false // the walk stopped where the showcase wanted; the end comes after
		end := string(workflow.StateWithdrawn)
		if a == workflow.ActionConvert {
			end = string(workflow.StateConverted)
		}
		c.do(at, a, roleLiaison, liaison, in, func(_ time.Time, payload map[string]any) {
			payload["outcome"] = end
			if in.Destination != "" {
				payload["destination"] = in.Destination
			}
		})
		c.finish()
	}
	n := len(g.rows.proposals[row])
	outcome := string(workflow.StateWithdrawn)
	if a == workflow.ActionConvert {
		outcome = string(workflow.StateConverted)
	}
	copy(g.rows.proposals[row][n-5:], []any{outcome, in.Comment, in.Destination, liaison, at})
}

func (g *gen) newCase(r *rand.Rand, p *propCtx, unit int, kind workflow.CaseKind, f *fate) *simCase {
	u := g.units[unit]
	return &simCase{g: g, r: r, p: p, f: f, unit: u, drafter: pick(r, u.drafters),
		c: workflow.Case{ProposalID: p.id, DepartmentID: u.id, Kind: kind}}
}

// pickUnit picks a lead unit, the busier (more topics) the likelier.
func (g *gen) pickUnit(r *rand.Rand) int {
	if len(g.unitIndexes) != len(g.units) {
		g.unitIndexes = make([]int, len(g.units))
		for i := range g.unitIndexes {
			g.unitIndexes[i] = i
		}
	}
	return pickWeighted(r, g.unitIndexes, g.unitWeights)
}

// otherUnit picks a unit with no case of the proposal yet.
func (g *gen) otherUnit(r *rand.Rand, p *propCtx) int {
	for {
		if u := r.IntN(len(g.units)); !p.units[u] {
			return u
		}
	}
}
