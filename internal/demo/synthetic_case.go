package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// This file walks one synthetic case through the workflow in memory, the
// way storage would: every transition is asked of workflow.Decide (a refusal
// is a bug in the generator and fails the load), the deadlines are
// reconciled with workflow.ActiveDeadlines after every transition as
// storage's syncDeadlines does, and every event is chained with
// storage.EventHash. The rows it produces are what storage would have
// written, so `banli audit verify` and `banli deadlines check` hold.

// fate is what will happen to a case, drawn before it is walked; the walk
// stops earlier when its time runs past the data's end (the as-of day) or
// when stop says so (the showcase cases).
type fate struct {
	returnReq, returnApproved bool
	comms                     int
	reviewReturns             int
	approverReturn            bool
	extension, extGranted     bool
	class                     workflow.ReplyClass
	disclosure                workflow.Disclosure
	publish                   bool
	noFeedback                bool
	dissatisfied              bool // the first round's feedback is 不满意
	slow                      float64
	fast                      bool
	stop                      func(s *simCase) bool
}

func randomFate(r *rand.Rand, current bool) *fate {
	f := &fate{slow: 1}
	f.returnReq = r.IntN(100) < 3
	f.returnApproved = f.returnReq && r.IntN(100) < 65
	f.comms = []int{0, 1, 1, 1, 2, 2, 3}[r.IntN(7)]
	if r.IntN(100) < 18 {
		f.reviewReturns = 1 + r.IntN(2)
	}
	f.approverReturn = r.IntN(100) < 5
	f.extension = r.IntN(100) < 6
	f.extGranted = f.extension && r.IntN(100) < 75
	f.class = pickWeighted(r, []workflow.ReplyClass{workflow.ClassA, workflow.ClassB, workflow.ClassC, workflow.ClassD}, []int{45, 35, 12, 8})
	f.disclosure = pickWeighted(r, []workflow.Disclosure{workflow.DisclosePublic, workflow.DiscloseSummary, workflow.DiscloseOnRequest, workflow.DiscloseNone}, []int{72, 10, 10, 8})
	f.publish = f.disclosure.Publishable() && r.IntN(100) < 97
	f.dissatisfied = r.IntN(100) < 6
	f.noFeedback = current && r.IntN(100) < 3
	if r.IntN(100) < 12 {
		f.slow = 1.5 + r.Float64()*1.5
	}
	return f
}

func pickWeighted[T any](r *rand.Rand, xs []T, weights []int) T {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return xs[i]
		}
		n -= w
	}
	return xs[len(xs)-1]
}

// propCtx is the proposal a case belongs to, as its cases see it.
type propCtx struct {
	id     int64
	number string
	short  string // the session's short name
	topic  string
	deputy string // the lead deputy's name
	// co is every co-handling case, walked before the lead case: the lead
	// signs only when their opinions are in or waived.
	co    []*simCase
	units map[int]bool // units with a live case
}

// coPending counts the co-handling cases that at t had neither submitted
// their opinion nor been returned.
func (p *propCtx) coPending(t time.Time) int {
	n := 0
	for _, c := range p.co {
		if !c.c.AssignedAt.After(t) && (c.doneAt.IsZero() || c.doneAt.After(t)) {
			n++
		}
	}
	return n
}

// simCase is a case being walked.
type simCase struct {
	g    *gen
	r    *rand.Rand
	p    *propCtx
	f    *fate
	unit *synthUnitRow
	c    workflow.Case

	drafter int64
	t       time.Time // the time of the last event
	stopped bool
	doneAt  time.Time // co: when the opinion was submitted or the case returned

	sections      []workflow.Section
	draftVersion  int
	draftsInRound int
	lastDraftID   int64
	roundComms    []workflow.ContactMethod
	reply         *replyRow
	pub           *publicationRow
	ext           *extensionRow
	deadlines     []*deadlineRow // active
	seq           int
	prevHash      []byte
	// facts are the statistics' facts the case row carries (migration
	// 00190; in the database, triggers keep them).
	facts caseFacts
}

// caseFacts are the columns of cases that the statistics read.
type caseFacts struct {
	firstSentAt                          time.Time
	firstSentDue                         workflow.Date
	met                                  bool
	latestClass                          workflow.ReplyClass
	latestResultRating, latestWorkRating workflow.Rating
}

const (
	roleDrafter  = workflow.RoleDrafter
	roleReviewer = workflow.RoleReviewer
	roleApprover = workflow.RoleApprover
	roleLiaison  = workflow.RoleLiaison
)

// later returns a time minD to maxD days (stretched by the fate's slowness)
// after the last event, moved into office hours on a working day.
func (s *simCase) later(minD, maxD float64) time.Time {
	d := minD
	if !s.f.fast {
		d = (minD + s.r.Float64()*(maxD-minD)) * s.f.slow
	}
	t := s.t.Add(time.Duration(d * float64(24*time.Hour)))
	return s.g.officeHours(s.r, t, s.t)
}

// officeHours moves t to a working day between 08:30 and 17:30 in
// Asia/Shanghai, never at or before after.
func (g *gen) officeHours(r *rand.Rand, t, after time.Time) time.Time {
	day := workflow.DateOf(t)
	if ok, err := g.cal.IsWorkday(day); err == nil && !ok {
		if next, err := g.cal.NextWorkday(day); err == nil {
			day = next
		}
	}
	out := day.Time().Add(time.Duration(8*60+30+r.IntN(9*60)) * time.Minute)
	if !out.After(after) {
		out = after.Add(time.Duration(5+r.IntN(90)) * time.Minute)
	}
	return out.Truncate(time.Second)
}

func (s *simCase) fail(err error) {
	if s.g.err == nil {
		s.g.err = fmt.Errorf("synthetic case %d (proposal %s, %s): %w", s.c.ID, s.p.number, s.c.Kind, err)
	}
	s.stopped = true
}

// open checks that an event at `at` may still happen: the walk has not
// stopped and at is before the data's end.
func (s *simCase) open(at time.Time) bool {
	if s.stopped {
		return false
	}
	if !at.Before(s.g.end) {
		s.stopped = true
		return false
	}
	return true
}

// due applies a session rule from day.
func (s *simCase) due(rule workflow.RuleName, day workflow.Date) workflow.Date {
	d, err := s.g.cal.Due(s.g.rules[rule], day)
	if err == nil && d.Provisional {
		// Synthetic data stays in years the calendar has holiday data for.
		err = fmt.Errorf("%s from %s reads a year without holiday data (%s)", rule, day, d.Date)
	}
	if err != nil {
		s.fail(err)
	}
	return d.Date
}

// extensionCap is the latest day an extension may reach, counted when an
// extension is asked for, as storage does.
func (s *simCase) extensionCap() workflow.Date {
	limit, err := s.g.cal.ExtensionCap(s.g.rules, &s.c)
	if err != nil {
		s.fail(err)
	}
	return limit.Date
}

// assign opens the case (交办).
func (s *simCase) assign(at time.Time) {
	g := s.g
	s.c.ID = g.ids.next(&g.ids.cases)
	s.c.State, s.c.Round, s.c.Version, s.c.AssignedAt, s.c.UpdatedAt = workflow.StateAssigned, 1, 1, at, at
	day := workflow.DateOf(at)
	s.c.ReplyDue = s.due(workflow.RuleReply, day)
	s.c.ReturnDue = s.due(workflow.RuleReturnWindow, day)
	if s.c.Kind == workflow.KindCo {
		s.c.CoOpinionDue = s.due(workflow.RuleCoOpinion, day)
	}
	liaison := pick(s.r, g.liaisons)
	d, err := workflow.Decide(workflow.Request{Kind: s.c.Kind, From: workflow.StateNone, Action: workflow.ActionAssign,
		Roles: []workflow.Role{roleLiaison}, Facts: workflow.Facts{Now: at}})
	if err != nil {
		s.fail(err)
		return
	}
	s.t = at
	s.p.units[s.unit.index] = true
	s.syncDeadlines(at)
	payload := map[string]any{
		"department_id": s.unit.id, "kind": string(s.c.Kind),
		"reply_due": s.c.ReplyDue.String(), "return_due": s.c.ReturnDue.String(),
	}
	if !s.c.CoOpinionDue.IsZero() {
		payload["co_opinion_due"] = s.c.CoOpinionDue.String()
	}
	s.event(at, string(workflow.MachineCase), string(d.Action), d.From, d.To, liaison, d.Role, payload)
}

// do takes a transition at `at`, as storage.Transition would; apply writes
// its effects and fills the event's payload. It reports whether it happened.
func (s *simCase) do(at time.Time, a workflow.Action, role workflow.Role, actor int64, in workflow.Input, apply func(at time.Time, payload map[string]any)) bool {
	if !s.open(at) {
		return false
	}
	c := &s.c
	facts := workflow.Facts{Now: at, ReturnDue: c.ReturnDue, ReplyDue: c.ReplyDue,
		HasDraft: s.draftsInRound > 0, CoOpinionsPending: s.p.coPending(at), CoOpinionsWaived: c.CoOpinionsWaived,
		ExtensionPending: s.ext != nil, Input: in}
	if a == workflow.ActionRequestExtension || a == workflow.ActionGrantExtension {
		facts.ExtensionCap = s.extensionCap()
	}
	kind, from := c.Kind, c.State
	if a.Machine() == workflow.MachinePublication {
		kind, from = "", s.pub.state
		facts.Disclosure = s.reply.disclosure
	}
	d, err := workflow.Decide(workflow.Request{Kind: kind, From: from, Action: a, Roles: []workflow.Role{role}, Facts: facts})
	if err != nil {
		s.fail(fmt.Errorf("%s at %s: %w", a, at.Format(time.RFC3339), err))
		return false
	}
	payload := map[string]any{}
	if apply != nil {
		apply(at, payload)
	}
	if d.Machine == workflow.MachineCase {
		c.State = d.To
	}
	c.Version++
	c.UpdatedAt = at
	s.syncDeadlines(at)
	if cm := strings.TrimSpace(in.Comment); cm != "" {
		payload["comment"] = cm
	}
	s.event(at, string(d.Machine), string(d.Action), d.From, d.To, actor, d.Role, payload)
	s.t = at
	if s.f.stop != nil && s.f.stop(s) {
		s.stopped = true
	}
	return true
}

// event appends an event to the case's chain.
func (s *simCase) event(at time.Time, machine, action string, from, to workflow.State, actor int64, role workflow.Role, payload map[string]any) {
	s.seq++
	e := &workflow.Event{CaseID: s.c.ID, Seq: s.seq, Machine: machine, Action: action, From: from, To: to,
		ActorID: actor, ActorRole: string(role), At: at.UTC().Truncate(time.Microsecond), Payload: payload}
	h, err := storage.EventHash(s.prevHash, e)
	if err != nil {
		s.fail(err)
		return
	}
	raw, err := json.Marshal(payload)
	if err != nil {
		s.fail(err)
		return
	}
	s.g.rows.events = append(s.g.rows.events, []any{s.g.ids.next(&s.g.ids.events), e.CaseID, e.Seq, machine, action,
		string(from), string(to), nullID(actor), string(role), e.At, raw, nullBytes(s.prevHash), h})
	s.prevHash = h
}

// syncDeadlines reconciles the case's deadlines with what its state calls
// for, as storage's syncDeadlines does in every transaction.
func (s *simCase) syncDeadlines(at time.Time) {
	c := &s.c
	f := workflow.CaseDeadlineFacts{Case: c}
	if s.ext != nil {
		f.ExtensionDue = workflow.DueDate{Date: s.ext.decideDue}
	}
	if s.pub != nil {
		f.PublicationState, f.PublicationDue = s.pub.state, workflow.DueDate{Date: s.pub.due}
	}
	if c.State == workflow.StateReplied && s.reply != nil && s.reply.round == c.Round && !s.reply.sentAt.IsZero() {
		f.FeedbackDue = workflow.DueDate{Date: s.due(workflow.RuleFeedback, workflow.DateOf(s.reply.sentAt))}
	}
	want := workflow.ActiveDeadlines(f)
	var keep []*deadlineRow
	for _, h := range s.deadlines {
		i := slices.IndexFunc(want, func(w workflow.Deadline) bool { return w.Kind == h.kind })
		if i >= 0 && want[i].Due == h.due {
			want = slices.Delete(want, i, i+1)
			keep = append(keep, h)
			continue
		}
		reason := "met"
		switch {
		case i >= 0:
			reason = "moved"
		case c.State == workflow.StateReturned || c.State == workflow.StateClosed && h.kind != workflow.DeadlineFeedback:
			reason = "void"
		}
		h.endedAt, h.endReason = at, reason
	}
	for _, w := range want {
		d := &deadlineRow{id: s.g.ids.next(&s.g.ids.deadlines), caseID: c.ID, kind: w.Kind, due: w.Due, startedAt: at}
		s.g.rows.deadlines = append(s.g.rows.deadlines, d)
		keep = append(keep, d)
	}
	s.deadlines = keep
}

// saveDraft records a new version of the draft (答复稿 or 协办意见).
func (s *simCase) saveDraft(at time.Time, role workflow.Role, actor int64) bool {
	if !s.open(at) {
		return false
	}
	r, err := workflow.MayRecord(workflow.RecordSaveDraft, s.c.State, []workflow.Role{role})
	if err != nil {
		s.fail(err)
		return false
	}
	switch {
	case s.sections == nil && s.c.Kind == workflow.KindCo:
		s.sections = synthCoSections(s.r, s.p.topic)
	case s.sections == nil:
		s.sections = synthReplySections(s.r, s.p.topic)
	default:
		s.sections = revise(s.r, s.sections, s.p.topic)
	}
	body, err := json.Marshal(s.sections)
	if err != nil {
		s.fail(err)
		return false
	}
	s.draftVersion++
	s.draftsInRound++
	s.lastDraftID = s.g.ids.next(&s.g.ids.drafts)
	s.g.rows.drafts = append(s.g.rows.drafts, []any{s.lastDraftID, s.c.ID, s.c.Round, s.draftVersion, actor, body, at})
	sum := sha256.Sum256(body)
	s.event(at, "record", string(workflow.RecordSaveDraft), s.c.State, s.c.State, actor, r,
		map[string]any{"draft_version": s.draftVersion, "round": s.c.Round, "sha256": hex.EncodeToString(sum[:])})
	s.t = at
	return true
}

// communicate records a contact with the deputy (面商).
func (s *simCase) communicate(at time.Time) bool {
	if !s.open(at) {
		return false
	}
	r, err := workflow.MayRecord(workflow.RecordAddCommunication, s.c.State, []workflow.Role{roleDrafter})
	if err != nil {
		s.fail(err)
		return false
	}
	method := pickWeighted(s.r, []workflow.ContactMethod{workflow.ContactMeeting, workflow.ContactVisit, workflow.ContactPhone}, []int{35, 25, 40})
	happened := workflow.DateOf(at).AddDays(-s.r.IntN(3))
	id := s.g.ids.next(&s.g.ids.comms)
	summary := pick(s.r, synthCommSummaries)
	s.g.rows.comms = append(s.g.rows.comms, []any{id, s.c.ID, string(method), sqlDay(happened),
		pick(s.r, synthCommParticipants) + "，" + s.p.deputy + "代表", summary, s.drafter, at})
	s.roundComms = append(s.roundComms, method)
	s.facts.met = s.facts.met || method == workflow.ContactMeeting || method == workflow.ContactVisit
	s.event(at, "record", string(workflow.RecordAddCommunication), s.c.State, s.c.State, s.drafter, r,
		map[string]any{"communication_id": id, "method": string(method), "happened_on": happened.String()})
	s.t = at
	return true
}

// walk takes the case through its fate from assignment at `at`.
func (s *simCase) walk(at time.Time) {
	s.assign(at)
	if s.f.stop != nil && s.f.stop(s) {
		return
	}
	if !s.returnFlow() {
		return
	}
	if !s.do(s.later(0.5, 4), workflow.ActionAccept, roleDrafter, s.drafter, workflow.Input{}, nil) {
		return
	}
	for {
		if !s.handleRound() {
			return
		}
		if s.c.Kind == workflow.KindCo {
			return
		}
		if !s.publication() || !s.feedback() {
			return
		}
		if s.c.State != workflow.StateRehandling {
			return
		}
		if !s.do(s.later(1, 5), workflow.ActionAccept, roleDrafter, s.drafter, workflow.Input{}, nil) {
			return
		}
	}
}

// returnFlow asks for a return (申请退回) when the fate says so; it reports
// whether the case goes on to be handled.
func (s *simCase) returnFlow() bool {
	if !s.f.returnReq {
		return true
	}
	at := s.later(0.2, 3)
	if workflow.DateOf(at).After(s.c.ReturnDue) {
		at = s.g.officeHours(s.r, s.c.ReturnDue.Time(), s.t)
	}
	if !s.do(at, workflow.ActionRequestReturn, roleDrafter, s.drafter, workflow.Input{Comment: pick(s.r, synthReturnReasons)}, nil) {
		return false
	}
	liaison := pick(s.r, s.g.liaisons)
	if s.f.returnApproved {
		if s.do(s.later(1, 4), workflow.ActionApproveReturn, roleLiaison, liaison, workflow.Input{}, nil) {
			s.doneAt = s.t
		}
		return false
	}
	return s.do(s.later(1, 4), workflow.ActionRejectReturn, roleLiaison, liaison, workflow.Input{Comment: pick(s.r, synthRejectReasons)}, nil)
}

// handleRound drafts, reviews and signs a round's reply or opinion, and
// sends a reply.
func (s *simCase) handleRound() bool {
	co := s.c.Kind == workflow.KindCo
	s.draftsInRound, s.roundComms = 0, nil
	comms := s.f.comms
	if co {
		comms = min(comms, s.r.IntN(2))
	}
	for range comms {
		if !s.communicate(s.later(2, 20)) {
			return false
		}
	}
	if s.c.Round == 1 && s.f.extension && !co && !s.extend() {
		return false
	}
	draftDays := [2]float64{12, 45}
	if co {
		draftDays = [2]float64{4, 18}
	}
	if s.c.Round > 1 {
		draftDays = [2]float64{5, 20}
	}
	if !s.saveDraft(s.later(draftDays[0], draftDays[1]), roleDrafter, s.drafter) ||
		!s.do(s.later(0, 2), workflow.ActionSubmit, roleDrafter, s.drafter, workflow.Input{}, nil) {
		return false
	}
	for range s.f.reviewReturns {
		if !s.do(s.later(1, 4), workflow.ActionReturnForRevision, roleReviewer, s.unit.reviewer, workflow.Input{Comment: pick(s.r, synthRevisionComments)}, nil) ||
			!s.saveDraft(s.later(1, 5), roleDrafter, s.drafter) ||
			!s.do(s.later(0, 1), workflow.ActionSubmit, roleDrafter, s.drafter, workflow.Input{}, nil) {
			return false
		}
	}
	if !s.do(s.later(1, 4), workflow.ActionForward, roleReviewer, s.unit.reviewer, workflow.Input{}, nil) {
		return false
	}
	if s.f.approverReturn && s.c.Round == 1 {
		if !s.do(s.later(1, 3), workflow.ActionReturnForRevision, roleApprover, s.unit.approver, workflow.Input{Comment: pick(s.r, synthRevisionComments)}, nil) ||
			!s.saveDraft(s.later(1, 4), roleDrafter, s.drafter) ||
			!s.do(s.later(0, 1), workflow.ActionSubmit, roleDrafter, s.drafter, workflow.Input{}, nil) ||
			!s.do(s.later(0.5, 2), workflow.ActionForward, roleReviewer, s.unit.reviewer, workflow.Input{}, nil) {
			return false
		}
	}
	signAt := s.later(1, 6)
	if co {
		if s.do(signAt, workflow.ActionSign, roleApprover, s.unit.approver, workflow.Input{}, nil) {
			s.doneAt = signAt
			return true
		}
		return false
	}
	if s.c.Kind == workflow.KindLead && !s.c.CoOpinionsWaived && s.p.coPending(signAt) > 0 {
		waiveAt := signAt.Add(-time.Duration(1+s.r.IntN(60)) * time.Minute)
		if !waiveAt.After(s.t) {
			waiveAt = s.t.Add(time.Minute)
			signAt = waiveAt.Add(time.Duration(1+s.r.IntN(60)) * time.Minute)
		}
		if !s.do(waiveAt, workflow.ActionWaiveCoOpinions, roleLiaison, pick(s.r, s.g.liaisons),
			workflow.Input{Comment: "协办单位意见未按时提交，同意主办单位先行答复。"}, func(time.Time, map[string]any) { s.c.CoOpinionsWaived = true }) {
			return false
		}
	}
	in := workflow.Input{Class: s.f.class, Disclosure: s.f.disclosure,
		DocumentNumber: fmt.Sprintf("%s建〔%d〕%d号", s.unit.abbr, signAt.In(workflow.Zone()).Year(), s.g.docNumber(s.unit, signAt))}
	if in.Disclosure == workflow.DiscloseNone {
		in.DisclosureReason = pick(s.r, synthDisclosureReasons)
	}
	if in.Disclosure == workflow.DiscloseSummary {
		in.Summary = fmt.Sprintf("%s已认真研究办理关于%s的建议，相关工作已列入年度计划推进，并已向代表书面答复。", s.unit.u.name, s.p.topic)
	}
	if s.c.Round > 1 {
		in.Class = pickWeighted(s.r, []workflow.ReplyClass{workflow.ClassA, workflow.ClassB, workflow.ClassC}, []int{40, 45, 15})
	}
	if !s.do(signAt, workflow.ActionSign, roleApprover, s.unit.approver, in, func(at time.Time, payload map[string]any) {
		s.reply = &replyRow{id: s.g.ids.next(&s.g.ids.replies), caseID: s.c.ID, round: s.c.Round, draftID: s.lastDraftID,
			class: in.Class, disclosure: in.Disclosure, reason: in.DisclosureReason, number: in.DocumentNumber,
			contact: s.g.userNames[s.drafter], phone: fmt.Sprintf("027-8%07d", s.r.IntN(10000000)), signedBy: s.unit.approver, signedAt: at,
			search: storage.ReplySearchVector(s.sections), summary: in.Summary,
			public: storage.PublicSearchVector(workflow.SignedText{Sections: s.sections, Disclosure: in.Disclosure, Summary: in.Summary})}
		s.g.rows.replies = append(s.g.rows.replies, s.reply)
		s.facts.latestClass = in.Class
		payload["class"], payload["disclosure"], payload["draft_version"] = string(in.Class), string(in.Disclosure), s.draftVersion
		payload["document_number"] = in.DocumentNumber
	}) {
		return false
	}
	return s.do(s.later(0, 2), workflow.ActionSend, roleDrafter, s.drafter, workflow.Input{}, func(at time.Time, payload map[string]any) {
		s.reply.sentAt, s.reply.sentDue = at, s.c.ReplyDue
		if s.c.Round == 1 {
			s.facts.firstSentAt, s.facts.firstSentDue = at, s.c.ReplyDue
		}
		due := s.due(workflow.RulePublication, workflow.DateOf(at))
		s.pub = &publicationRow{id: s.g.ids.next(&s.g.ids.publications), replyID: s.reply.id, state: workflow.StatePending,
			title: workflow.ReplyTitle(s.p.short, s.p.number), due: due}
		s.g.rows.publications = append(s.g.rows.publications, s.pub)
		payload["reply_id"], payload["publication_due"] = s.reply.id, due.String()
	})
}

// extend asks for a later reply due date (延期) and has the liaison decide.
func (s *simCase) extend() bool {
	c := &s.c
	limit := s.extensionCap()
	if !c.ReplyDue.Before(limit) {
		return true
	}
	at := s.later(20, 55)
	asked, err := s.g.cal.Due(workflow.Rule{Name: workflow.RuleReply, Amount: 1 + s.r.IntN(3), Unit: workflow.UnitMonths}, c.ReplyDue)
	if err != nil {
		s.fail(err)
		return false
	}
	wanted := asked.Date
	if wanted.After(limit) {
		wanted = limit
	}
	in := workflow.Input{Comment: pick(s.r, synthExtensionReasons), Due: wanted}
	if !s.do(at, workflow.ActionRequestExtension, roleDrafter, s.drafter, in, func(at time.Time, payload map[string]any) {
		decide := s.due(workflow.RuleExtensionDecision, workflow.DateOf(at))
		s.ext = &extensionRow{id: s.g.ids.next(&s.g.ids.extensions), caseID: c.ID, state: workflow.ExtensionRequested,
			reason: in.Comment, previousDue: c.ReplyDue, wantedDue: wanted, requestedBy: s.drafter, requestedAt: at, decideDue: decide}
		s.g.rows.extensions = append(s.g.rows.extensions, s.ext)
		payload["wanted_due"], payload["decide_due"] = wanted.String(), decide.String()
	}) {
		return false
	}
	liaison := pick(s.r, s.g.liaisons)
	at = s.later(1, 6)
	if s.f.extGranted {
		return s.do(at, workflow.ActionGrantExtension, roleLiaison, liaison, workflow.Input{Due: wanted}, func(at time.Time, payload map[string]any) {
			s.ext.state, s.ext.grantedDue, s.ext.decidedBy, s.ext.decidedAt = workflow.ExtensionGranted, wanted, liaison, at
			payload["previous_due"], payload["granted_due"] = c.ReplyDue.String(), wanted.String()
			c.ReplyDue = wanted
			s.ext = nil
		})
	}
	comment := pick(s.r, synthExtensionRefusals)
	return s.do(at, workflow.ActionRefuseExtension, roleLiaison, liaison, workflow.Input{Comment: comment}, func(at time.Time, _ map[string]any) {
		s.ext.state, s.ext.comment, s.ext.decidedBy, s.ext.decidedAt = workflow.ExtensionRefused, comment, liaison, at
		s.ext = nil
	})
}

// publication publishes or withholds the sent reply (公开).
func (s *simCase) publication() bool {
	at := s.later(1, 12)
	if s.f.publish && s.reply.disclosure.Publishable() {
		actor, role := s.drafter, roleDrafter
		if s.r.IntN(3) == 0 {
			actor, role = s.unit.approver, roleApprover
		}
		return s.do(at, workflow.ActionPublish, role, actor, workflow.Input{}, func(at time.Time, payload map[string]any) {
			s.pub.state, s.pub.publishedAt = workflow.StatePublished, at
			payload["publication_id"] = s.pub.id
		})
	}
	reason := pick(s.r, synthWithheldReasons)
	return s.do(at, workflow.ActionWithhold, roleApprover, s.unit.approver, workflow.Input{Comment: reason}, func(_ time.Time, payload map[string]any) {
		s.pub.state, s.pub.withheld = workflow.StateWithheld, reason
		payload["publication_id"] = s.pub.id
	})
}

// feedback records the deputy's form (征询意见表): 不满意 opens a new round.
func (s *simCase) feedback() bool {
	if s.f.noFeedback {
		s.stopped = true
		return false
	}
	at := s.t.Add(time.Duration((4 + s.r.Float64()*30) * float64(24*time.Hour))).Truncate(time.Second)
	work, result := workflow.RatingSatisfied, workflow.RatingSatisfied
	switch {
	case s.c.Round == 1 && s.f.dissatisfied:
		result = workflow.RatingDissatisfied
		if s.r.IntN(2) == 0 {
			work = workflow.RatingBasicallySatisfied
		}
	case s.r.IntN(100) < 22:
		result = workflow.RatingBasicallySatisfied
		if s.r.IntN(3) == 0 {
			work = workflow.RatingBasicallySatisfied
		}
	}
	method := workflow.ContactNone
	if len(s.roundComms) > 0 {
		method = s.roundComms[0]
	} else if s.r.IntN(4) == 0 {
		method = workflow.ContactPhone
	}
	metBy := ""
	if method != workflow.ContactNone {
		metBy = pick(s.r, synthMetBy)
	}
	actor, role := pick(s.r, s.g.liaisons), roleLiaison
	if s.r.IntN(5) < 2 {
		actor, role = 0, workflow.RoleDeputy
	}
	remarks := pick(s.r, synthRemarks)
	in := workflow.Input{WorkRating: work, ResultRating: result}
	return s.do(at, workflow.ActionRecordFeedback, role, actor, in, func(at time.Time, payload map[string]any) {
		s.g.rows.feedback = append(s.g.rows.feedback, []any{s.g.ids.next(&s.g.ids.feedback), s.c.ID, s.c.Round, s.reply.id,
			string(work), string(result), string(method), metBy, remarks, nullID(actor), at})
		s.facts.latestResultRating, s.facts.latestWorkRating = result, work
		payload["work_rating"], payload["result_rating"], payload["round"] = string(work), string(result), s.c.Round
		if work == workflow.RatingDissatisfied || result == workflow.RatingDissatisfied {
			due := s.due(workflow.RuleRehandle, workflow.DateOf(at))
			s.c.Round++
			s.c.RehandleDue, s.c.ReplyDue = due, due
			payload["rehandle_due"] = due.String()
		}
	})
}

// finish files the case's row once its walk is over.
func (s *simCase) finish() {
	c := &s.c
	s.g.rows.cases = append(s.g.rows.cases, []any{c.ID, s.p.id, s.unit.id, string(c.Kind), string(c.State), c.Round, c.Version,
		c.AssignedAt, sqlDay(c.ReplyDue), sqlDay(c.CoOpinionDue), sqlDay(c.ReturnDue),
		sqlDay(c.RehandleDue), c.CoOpinionsWaived, c.UpdatedAt,
		nullTime(s.facts.firstSentAt), sqlDay(s.facts.firstSentDue), s.facts.met, nullString(string(s.facts.latestClass)),
		nullString(string(s.facts.latestResultRating)), nullString(string(s.facts.latestWorkRating))})
	s.g.count.states[c.State]++
	s.g.count.kinds[c.Kind]++
	for _, d := range s.deadlines {
		s.g.active = append(s.g.active, activeDeadline{id: d.id, kind: d.kind, due: d.due})
	}
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullBytes(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}

// sqlDay is the value to copy into a date column: NULL for the zero Date.
func sqlDay(d workflow.Date) any {
	if d.IsZero() {
		return nil
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

func nullString(v string) any {
	if v == "" {
		return nil
	}
	return v
}
