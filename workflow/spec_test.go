package workflow

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// The process rules of DESIGN.md §1 and §3, written out by hand — not
// derived from the transition table — and checked against it through
// Decide with realistic facts. TestSpecCatchesWrongRows then proves that
// each rule is a real check: one wrong row in a copy of the table makes it
// report a violation.

// machine is a transition table under test: the real one or an altered copy.
type machine struct{ rows []Transition }

func (m machine) decide(req Request) (Decision, error) { return decideIn(m.rows, req) }

// allows reports whether a user holding only role may take action on a case
// of kind in state from, with facts under which every guard of a correct
// table passes.
func (m machine) allows(kind CaseKind, from State, action Action, role Role) (Decision, bool) {
	d, err := m.decide(Request{Kind: kind, From: from, Action: action, Roles: []Role{role}, Facts: realisticFacts(action)})
	return d, err == nil
}

var specNow = time.Date(2024, 7, 3, 10, 0, 0, 0, Zone())

// realisticFacts are the facts of a lead case assigned on 2024-07-01, acted
// on 2024-07-03 inside its return window, with a saved draft, no missing
// co-opinion, and everything the action's form asks for filled in.
func realisticFacts(a Action) Facts {
	f := Facts{
		Now:          specNow,
		ReturnDue:    Date{2024, time.July, 8},
		ReplyDue:     Date{2024, time.October, 8},
		ExtensionCap: Date{2025, time.January, 2},
		HasDraft:     true,
		Disclosure:   DisclosePublic,
		Input: Input{Comment: "请补充下一步工作打算", Class: ClassB, Disclosure: DisclosePublic, DocumentNumber: "武市监建〔2024〕294号",
			Due: Date{2024, time.November, 8}, WorkRating: RatingSatisfied, ResultRating: RatingBasicallySatisfied},
	}
	switch a {
	case ActionWaiveCoOpinions:
		f.CoOpinionsPending = 1
	case ActionGrantExtension, ActionRefuseExtension:
		f.ExtensionPending = true
	case ActionConvert:
		f.Input.Destination = "转为来信，交市信访局办理"
	}
	return f
}

// every (kind, state) a request can name: the case states of each kind, and
// the publication states (kind "").
func everyKindState() [][2]string {
	var out [][2]string
	for _, k := range AllCaseKinds() {
		for _, s := range States(MachineCase) {
			out = append(out, [2]string{string(k), string(s)})
		}
	}
	for _, s := range PublicationStates() {
		out = append(out, [2]string{"", string(s)})
	}
	return out
}

// forEveryAllowed calls fn for every kind, state, action and single role
// the machine allows, with the decision.
func (m machine) forEveryAllowed(fn func(kind CaseKind, from State, a Action, r Role, d Decision)) {
	for _, ks := range everyKindState() {
		for _, a := range AllActions() {
			for _, r := range AllRoles() {
				if d, ok := m.allows(CaseKind(ks[0]), State(ks[1]), a, r); ok {
					fn(CaseKind(ks[0]), State(ks[1]), a, r, d)
				}
			}
		}
	}
}

// spec is one process rule: it returns what of m breaks it.
type spec struct {
	name  string
	check func(m machine) []string
}

var specs = []spec{
	{"a drafter neither reviews (forward, return_for_revision) nor signs", func(m machine) (v []string) {
		m.forEveryAllowed(func(k CaseKind, s State, a Action, r Role, _ Decision) {
			if r == RoleDrafter && slices.Contains([]Action{ActionForward, ActionReturnForRevision, ActionSign}, a) {
				v = append(v, fmt.Sprintf("drafter may %s a %s case in %s", a, k, s))
			}
		})
		return v
	}},
	{"a reviewer does not sign", func(m machine) (v []string) {
		m.forEveryAllowed(func(k CaseKind, s State, a Action, r Role, _ Decision) {
			if r == RoleReviewer && a == ActionSign {
				v = append(v, fmt.Sprintf("reviewer may sign a %s case in %s", k, s))
			}
		})
		return v
	}},
	{"only a reviewer's forward from in_review reaches sign-off", func(m machine) (v []string) {
		m.forEveryAllowed(func(k CaseKind, s State, a Action, r Role, d Decision) {
			if d.To == StateAwaitingApproval && s != StateAwaitingApproval && (s != StateInReview || a != ActionForward || r != RoleReviewer) {
				v = append(v, fmt.Sprintf("%s's %s takes a %s case from %s to awaiting_approval", r, a, k, s))
			}
		})
		return v
	}},
	{"the segregated steps of a reply, role by role", func(m machine) (v []string) {
		// Who may take each step of the reply's path (DESIGN.md §1), for
		// a lead case; every other role is refused.
		steps := []struct {
			from  State
			a     Action
			roles []Role
		}{
			{StateNone, ActionAssign, []Role{RoleLiaison}},
			{StateAssigned, ActionAccept, []Role{RoleDrafter, RoleReviewer}},
			{StateDrafting, ActionSubmit, []Role{RoleDrafter}},
			{StateInReview, ActionForward, []Role{RoleReviewer}},
			{StateInReview, ActionReturnForRevision, []Role{RoleReviewer}},
			{StateAwaitingApproval, ActionReturnForRevision, []Role{RoleApprover}},
			{StateAwaitingApproval, ActionSign, []Role{RoleApprover}},
			{StateApproved, ActionSend, []Role{RoleDrafter}},
			{StateReplied, ActionRecordFeedback, []Role{RoleLiaison, RoleDeputy}},
			{StateReturnRequested, ActionApproveReturn, []Role{RoleLiaison}},
			{StateDrafting, ActionGrantExtension, []Role{RoleLiaison}},
		}
		for _, st := range steps {
			for _, r := range AllRoles() {
				_, ok := m.allows(KindLead, st.from, st.a, r)
				if want := slices.Contains(st.roles, r); ok != want {
					v = append(v, fmt.Sprintf("%s may %s in %s: %v, want %v", r, st.a, st.from, ok, want))
				}
			}
		}
		return v
	}},
	{"a co-handling unit never replies to the deputy", func(m machine) (v []string) {
		m.forEveryAllowed(func(k CaseKind, s State, a Action, r Role, d Decision) {
			if k == KindCo && (a == ActionSend || d.To == StateApproved || d.To == StateReplied) {
				v = append(v, fmt.Sprintf("%s's %s takes a co case from %s to %s", r, a, s, d.To))
			}
		})
		return v
	}},
	{"the liaison never drafts or signs", func(m machine) (v []string) {
		m.forEveryAllowed(func(k CaseKind, s State, a Action, r Role, _ Decision) {
			if r == RoleLiaison && (a == ActionSubmit || a == ActionSign) {
				v = append(v, fmt.Sprintf("liaison may %s a %s case in %s", a, k, s))
			}
		})
		for _, s := range CaseStates() {
			if _, err := MayRecord(RecordSaveDraft, s, []Role{RoleLiaison}); err == nil {
				v = append(v, fmt.Sprintf("liaison may save a draft in %s", s))
			}
		}
		return v
	}},
	{"an admin never acts on a case", func(m machine) (v []string) {
		for _, t := range m.rows {
			if slices.Contains(t.Roles, RoleAdmin) {
				v = append(v, fmt.Sprintf("row %s --%s--> %s lists admin", stateName(t.From), t.Action, t.To))
			}
		}
		m.forEveryAllowed(func(k CaseKind, s State, a Action, r Role, _ Decision) {
			if r == RoleAdmin {
				v = append(v, fmt.Sprintf("admin may %s a %s case in %s", a, k, s))
			}
		})
		admin := Actor{UserID: 1, DepartmentID: 7, Roles: []Role{RoleAdmin, RoleDrafter}}
		if got := admin.RolesOn(7); !slices.Equal(got, []Role{RoleDrafter}) {
			v = append(v, fmt.Sprintf("an admin and drafter acts on their unit's case as %v, want [drafter]", got))
		}
		return v
	}},
	{"the lead signs only when every co-opinion is in or waived", func(m machine) (v []string) {
		sign := func(pending int, waived bool) error {
			f := realisticFacts(ActionSign)
			f.CoOpinionsPending, f.CoOpinionsWaived = pending, waived
			_, err := m.decide(Request{Kind: KindLead, From: StateAwaitingApproval, Action: ActionSign, Roles: []Role{RoleApprover}, Facts: f})
			return err
		}
		if err := sign(1, false); Code(err) != ErrConflict {
			v = append(v, fmt.Sprintf("sign with a co-opinion due: %v, want a conflict", err))
		}
		if err := sign(2, true); err != nil {
			v = append(v, fmt.Sprintf("sign with co-opinions waived: %v", err))
		}
		if err := sign(0, false); err != nil {
			v = append(v, fmt.Sprintf("sign with every co-opinion in: %v", err))
		}
		return v
	}},
	{"a return is requested only inside the return window", func(m machine) (v []string) {
		ask := func(now time.Time) error {
			f := realisticFacts(ActionRequestReturn)
			f.Now = now
			_, err := m.decide(Request{Kind: KindLead, From: StateAssigned, Action: ActionRequestReturn, Roles: []Role{RoleDrafter}, Facts: f})
			return err
		}
		lastDay := time.Date(2024, 7, 8, 17, 0, 0, 0, Zone()) // ReturnDue of realisticFacts
		if err := ask(lastDay); err != nil {
			v = append(v, fmt.Sprintf("return request on the window's last day: %v", err))
		}
		if err := ask(lastDay.Add(8 * time.Hour)); Code(err) != ErrConflict {
			v = append(v, fmt.Sprintf("return request the day after the window: %v, want a conflict", err))
		}
		return v
	}},
	{"a key suggestion is signed off only by its unit's principal leader", func(m machine) (v []string) {
		for _, k := range []CaseKind{KindLead, KindSeparate} {
			sign := func(key, principal bool) error {
				f := realisticFacts(ActionSign)
				f.KeySuggestion, f.SignerPrincipal = key, principal
				_, err := m.decide(Request{Kind: k, From: StateAwaitingApproval, Action: ActionSign, Roles: []Role{RoleApprover}, Facts: f})
				return err
			}
			if err := sign(true, false); err == nil {
				v = append(v, fmt.Sprintf("a %s key suggestion signed by an approver who is not the principal leader", k))
			}
			if err := sign(true, true); err != nil {
				v = append(v, fmt.Sprintf("a %s key suggestion signed by the principal leader: %v", k, err))
			}
			if err := sign(false, false); err != nil {
				v = append(v, fmt.Sprintf("a %s suggestion that is not key signed by an approver: %v", k, err))
			}
		}
		return v
	}},
	{"a merged suggestion's case takes every step of the reply's way only with its main case", func(m machine) (v []string) {
		// Withdrawal and conversion end one suggestion (its deputy's), not
		// the merged handling: they are aside too.
		aside := []State{StateReturnRequested, StateReturned, StateRehandling, StateClosed, StateWithdrawn, StateConverted}
		m.forEveryAllowed(func(k CaseKind, s State, a Action, r Role, d Decision) {
			if !k.RepliesToDeputy() || s == StateNone || s == d.To || slices.Contains(aside, s) || slices.Contains(aside, d.To) {
				return
			}
			if !Follows(a) {
				v = append(v, fmt.Sprintf("%s's %s takes a %s case from %s to %s, and a merged case does not follow it", r, a, k, s, d.To))
			}
			f := realisticFacts(a)
			f.MergedInto = "20240001"
			if _, err := m.decide(Request{Kind: k, From: s, Action: a, Roles: []Role{r}, Facts: f}); err == nil {
				v = append(v, fmt.Sprintf("%s may %s a merged %s case in %s on its own", r, a, k, s))
			}
		})
		return v
	}},
	{"only the liaison ends a suggestion without a reply (撤回, 不作为建议处理), from every open state before a reply is sent, and it ends the case", func(m machine) (v []string) {
		outcomes := map[Action]State{ActionWithdraw: StateWithdrawn, ActionConvert: StateConverted}
		beforeReply := []State{StateAssigned, StateReturnRequested, StateDrafting, StateInReview, StateAwaitingApproval, StateApproved}
		for _, k := range AllCaseKinds() {
			for _, s := range States(MachineCase) {
				for a, end := range outcomes {
					for _, r := range AllRoles() {
						d, ok := m.allows(k, s, a, r)
						want := r == RoleLiaison && slices.Contains(beforeReply, s) && (k != KindCo || s != StateApproved)
						if k == KindCo && s == StateApproved {
							continue // a co-handling case is never approved
						}
						if ok != want {
							v = append(v, fmt.Sprintf("%s may %s a %s case in %s: %v, want %v", r, a, k, s, ok, want))
						}
						if ok && (d.To != end || !d.To.Terminal()) {
							v = append(v, fmt.Sprintf("%s of a %s case in %s leads to %s, want terminal %s", a, k, s, d.To, end))
						}
					}
				}
			}
		}
		// Once any unit has sent a reply, nothing is withdrawn or converted;
		// each needs a reason, a conversion where it went.
		for _, s := range beforeReply {
			for a := range outcomes {
				f := realisticFacts(a)
				f.ReplySent = true
				if _, err := m.decide(Request{Kind: KindLead, From: s, Action: a, Roles: []Role{RoleLiaison}, Facts: f}); Code(err) != ErrConflict {
					v = append(v, fmt.Sprintf("%s in %s after a reply was sent: %v, want a conflict", a, s, err))
				}
				f = realisticFacts(a)
				f.Input.Comment = ""
				if _, err := m.decide(Request{Kind: KindLead, From: s, Action: a, Roles: []Role{RoleLiaison}, Facts: f}); Code(err) != ErrInvalid {
					v = append(v, fmt.Sprintf("%s in %s without a reason: %v, want invalid", a, s, err))
				}
			}
			f := realisticFacts(ActionConvert)
			f.Input.Destination = ""
			if _, err := m.decide(Request{Kind: KindLead, From: s, Action: ActionConvert, Roles: []Role{RoleLiaison}, Facts: f}); Code(err) != ErrInvalid {
				v = append(v, fmt.Sprintf("convert in %s without where it went: %v, want invalid", s, err))
			}
		}
		return v
	}},
}

func TestSpec(t *testing.T) {
	t.Parallel()
	for _, s := range specs {
		if v := s.check(machine{table}); len(v) > 0 {
			t.Errorf("%s: broken:\n%v", s.name, v)
		}
	}
}

// withRow returns a copy of the table in which the first row matching
// match is changed by change.
func withRow(t *testing.T, match func(Transition) bool, change func(*Transition)) machine {
	t.Helper()
	rows := Table()
	i := slices.IndexFunc(rows, match)
	if i < 0 {
		t.Fatal("no row to change")
	}
	r := rows[i]
	r.Roles, r.Kinds, r.Guards = slices.Clone(r.Roles), slices.Clone(r.Kinds), slices.Clone(r.Guards)
	change(&r)
	rows[i] = r
	return machine{rows}
}

func row(from State, a Action, kind CaseKind) func(Transition) bool {
	return func(t Transition) bool {
		return t.From == from && t.Action == a && (kind == "" || slices.Contains(t.Kinds, kind))
	}
}

func withoutGuard(g Guard) func(*Transition) {
	return func(t *Transition) {
		t.Guards = slices.DeleteFunc(t.Guards, func(h Guard) bool { return h.Name == g.Name })
	}
}

func addRole(r Role) func(*Transition) { return func(t *Transition) { t.Roles = append(t.Roles, r) } }

// TestSpecCatchesWrongRows: for each rule, one wrong row in a copy of the
// table, and the rule must report it.
func TestSpecCatchesWrongRows(t *testing.T) {
	t.Parallel()
	type mutation struct {
		rule  int // index in specs
		wrong string
		m     machine
	}
	mutations := []mutation{
		{0, "a drafter may forward", withRow(t, row(StateInReview, ActionForward, ""), addRole(RoleDrafter))},
		{0, "a drafter may return for revision", withRow(t, row(StateInReview, ActionReturnForRevision, ""), addRole(RoleDrafter))},
		{0, "a drafter may sign", withRow(t, row(StateAwaitingApproval, ActionSign, KindLead), addRole(RoleDrafter))},
		{1, "a reviewer may sign", withRow(t, row(StateAwaitingApproval, ActionSign, KindSeparate), addRole(RoleReviewer))},
		{2, "submit skips review", withRow(t, row(StateDrafting, ActionSubmit, ""), func(t *Transition) { t.To = StateAwaitingApproval })},
		{2, "an approver may forward", withRow(t, row(StateInReview, ActionForward, ""), addRole(RoleApprover))},
		{3, "a reviewer may send", withRow(t, row(StateApproved, ActionSend, ""), addRole(RoleReviewer))},
		{3, "the liaison may accept", withRow(t, row(StateAssigned, ActionAccept, ""), addRole(RoleLiaison))},
		{4, "a co-unit may send", withRow(t, row(StateApproved, ActionSend, ""), func(t *Transition) { t.Kinds = nil })},
		{4, "a co-opinion's sign-off approves a reply", withRow(t, row(StateAwaitingApproval, ActionSign, KindCo),
			func(t *Transition) { t.To = StateApproved })},
		{5, "the liaison may submit", withRow(t, row(StateDrafting, ActionSubmit, ""), addRole(RoleLiaison))},
		{5, "the liaison may sign", withRow(t, row(StateAwaitingApproval, ActionSign, KindLead), addRole(RoleLiaison))},
		{6, "an admin may assign", withRow(t, row(StateNone, ActionAssign, ""), addRole(RoleAdmin))},
		{7, "the lead signs with a co-opinion due", withRow(t, row(StateAwaitingApproval, ActionSign, KindLead), withoutGuard(GuardCoOpinionsIn))},
		{8, "a return requested after the window", withRow(t, row(StateAssigned, ActionRequestReturn, ""), withoutGuard(GuardWithinReturnWindow))},
		{9, "a key suggestion signed by any approver", withRow(t, row(StateAwaitingApproval, ActionSign, KindLead), withoutGuard(GuardPrincipalLeader))},
		{10, "the liaison's waiver passes a review", withRow(t, row(StateInReview, ActionWaiveCoOpinions, KindLead),
			func(t *Transition) { t.To = StateAwaitingApproval })},
		{11, "a drafter may withdraw", withRow(t, row(StateDrafting, ActionWithdraw, ""), addRole(RoleDrafter))},
		{11, "a withdrawal after the reply was sent", withRow(t, row(StateAwaitingApproval, ActionWithdraw, ""), withoutGuard(GuardNoReplySent))},
		{11, "a conversion without where it went", withRow(t, row(StateAssigned, ActionConvert, ""), withoutGuard(GuardDestinationGiven))},
		{11, "a withdrawal that leaves the case open", withRow(t, row(StateInReview, ActionWithdraw, ""), func(t *Transition) { t.To = StateDrafting })},
		{11, "a withdrawal without a reason", withRow(t, row(StateApproved, ActionWithdraw, ""), withoutGuard(GuardCommentGiven))},
	}
	for _, mu := range mutations {
		s := specs[mu.rule]
		if v := s.check(mu.m); len(v) == 0 {
			t.Errorf("rule %q does not catch a table where %s", s.name, mu.wrong)
		}
	}
	// Every rule is proven by at least one wrong row.
	for i, s := range specs {
		if !slices.ContainsFunc(mutations, func(mu mutation) bool { return mu.rule == i }) {
			t.Errorf("rule %q has no wrong row proving it", s.name)
		}
	}
}
