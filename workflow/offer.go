package workflow

import (
	"cmp"
	"slices"
)

// What a page offers and a queue lists, derived from the transition table:
// the actions a user may take on a case now, with the guards on the case's
// facts (GuardOnState) evaluated, so that nothing is offered that can only
// fail; and which of them a case waits for (Awaited), which puts it in the
// user's queue (待我办理).

// Offer is an action offered to a user on a case: the row that applies and,
// when a guard on the case's facts stands in the way, why (Refusal) — the
// action is then shown disabled with that reason.
type Offer struct {
	Transition
	// Refusal is the failing state guard's error; nil when the action can
	// succeed once the user's input passes its guards.
	Refusal *Error
}

// Enabled reports whether the action can succeed now, given good input.
func (o Offer) Enabled() bool { return o.Refusal == nil }

// Offers lists what a user holding roles may be offered on case c now, in
// the order of ActionsFor: each action whose state guards (GuardOnState)
// pass on f for some row is enabled; one refused by a state guard that
// Hides it (nothing to decide) is left out; one refused by another state
// guard is offered disabled with the first refusal. Guards on the user's
// input are not evaluated: f.Input is ignored. pubState is the state of
// the reply's publication ("" before a reply is sent).
func Offers(c *Case, pubState State, roles []Role, f Facts) []Offer {
	f.Input = Input{}
	var out []Offer
	for _, t := range ActionsFor(c, pubState, roles) {
		kind := c.Kind
		if t.Machine == MachinePublication {
			kind = ""
		}
		if e := mergedRefusal(t.Action, f); e != nil {
			out = append(out, Offer{Transition: t, Refusal: e})
			continue
		}
		var refusal *guardError
		var ok bool
		var row Transition
		for _, r := range table {
			if r.Machine != t.Machine || r.From != t.From || r.Action != t.Action || !r.AppliesTo(kind) {
				continue
			}
			if _, mine := firstRole(r, roles); !mine {
				continue
			}
			if ge := r.checkOn(f, GuardOnState); ge != nil {
				if refusal == nil {
					refusal, row = ge, r
				}
				continue
			}
			ok, row = true, r
			break
		}
		switch {
		case ok:
			out = append(out, Offer{Transition: row})
		case refusal.hides:
		default:
			out = append(out, Offer{Transition: row, Refusal: refusal.err})
		}
	}
	return out
}

// Initiative reports whether a is an action a user takes at will rather
// than one the case waits for: a unit's request to return the case or to
// extend its due date, the liaison's waiver of missing co-opinions, the
// liaison's record that the suggestion was withdrawn or converted. An
// initiative is offered on the case page but puts no case in anyone's
// queue.
func (a Action) Initiative() bool {
	return a == ActionRequestReturn || a == ActionRequestExtension || a == ActionWaiveCoOpinions ||
		a.ProposalWide()
}

// Awaited returns the offers the case waits for (not initiatives): the
// enabled ones, and those disabled only until the user's own work is done
// (a guard that is OwnWork: 提交审核 before a draft is saved); the one that
// moves the case furthest along its machine first (签发 before 退回修改,
// 同意延期 before 不同意延期), else in table order: the first names the
// user's task in the queue. A case is in the user's queue when it is not
// empty.
func Awaited(offers []Offer) []Offer {
	var out []Offer
	for _, o := range offers {
		if o.Action.Initiative() {
			continue
		}
		if o.Enabled() {
			out = append(out, o)
		} else if g, ok := guardNamed(o.Refusal.Guard); ok && g.OwnWork {
			out = append(out, o)
		}
	}
	slices.SortStableFunc(out, func(a, b Offer) int { return cmp.Compare(progress(b.Transition), progress(a.Transition)) })
	return out
}

// depth is each state's distance from the start of its machine along the
// table's rows (assigned 1, drafting 2, in_review 3, …; pending 0).
var depth = func() map[State]int {
	d := map[State]int{StateNone: 0, StatePending: 0}
	queue := []State{StateNone, StatePending}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, t := range table {
			if _, seen := d[t.To]; t.From == s && !seen {
				d[t.To] = d[s] + 1
				queue = append(queue, t.To)
			}
		}
	}
	return d
}()

// progress is how far a row moves a case along its machine: negative for
// a row that sends it back (退回修改, 不同意退回), 0 for a decision that
// leaves the state as it is.
func progress(t Transition) int { return depth[t.To] - depth[t.From] }

// QueueEntry is one way a case waits for a role: a case of Kind (of
// MachineCase) in State, or a case whose reply's publication (MachinePublication,
// Kind "") is in State, waits for Role to take Action when every guard
// named in Guards — the row's guards on the case's facts, but those the
// user's own work remedies (OwnWork) — passes. Storage
// builds its queue query from these entries, so the SQL mirrors the table
// instead of a list of states per role.
type QueueEntry struct {
	Machine Machine
	State   State
	Kind    CaseKind
	Role    Role
	Action  Action
	Guards  []string
}

// QueueEntries lists every way a case waits for a role, from the rows of
// the transition table whose action the case waits for (not Initiative),
// one entry per row, kind and role; publication rows have Kind "".
func QueueEntries() []QueueEntry {
	var out []QueueEntry
	for _, t := range table {
		if t.From == StateNone || t.Action.Initiative() {
			continue
		}
		var guards []string
		for _, g := range t.Guards {
			if g.On == GuardOnState && !g.OwnWork {
				guards = append(guards, g.Name)
			}
		}
		kinds := []CaseKind{""}
		if t.Machine == MachineCase {
			kinds = nil
			for _, k := range AllCaseKinds() {
				if t.AppliesTo(k) {
					kinds = append(kinds, k)
				}
			}
		}
		for _, k := range kinds {
			for _, r := range t.Roles {
				out = append(out, QueueEntry{Machine: t.Machine, State: t.From, Kind: k, Role: r, Action: t.Action, Guards: guards})
			}
		}
	}
	return out
}

// CompareUrgency orders cases as a queue lists them, most urgent first:
// overdue on day today first, then those whose unit still owes its answer,
// then by due date (none last); 0 when equally urgent (the caller breaks
// ties).
func CompareUrgency(a, b *Case, today Date) int {
	rank := func(c *Case) int {
		switch {
		case c.Overdue(today):
			return 0
		case c.Owes() != OwedNothing:
			return 1
		}
		return 2
	}
	if r := cmp.Compare(rank(a), rank(b)); r != 0 {
		return r
	}
	da, db := a.Due(), b.Due()
	switch {
	case da.IsZero() && db.IsZero():
		return 0
	case da.IsZero():
		return 1
	case db.IsZero():
		return -1
	}
	return da.Compare(db)
}

// Task picks, among the actions a case of kind in state (its reply's
// publication in pubState) awaits from a user, the one that names their
// task: the one that moves it furthest, as Awaited orders them; the first
// of equals. "" when actions is empty.
func Task(kind CaseKind, state, pubState State, actions []Action) Action {
	best, bestProgress := Action(""), 0
	for _, a := range actions {
		from, k := state, kind
		if a.Machine() == MachinePublication {
			from, k = pubState, ""
		}
		p, found := 0, false
		for _, t := range table {
			if t.Action == a && t.From == from && t.Machine == a.Machine() && t.AppliesTo(k) {
				if !found || progress(t) > p {
					p, found = progress(t), true
				}
			}
		}
		if found && (best == "" || p > bestProgress) {
			best, bestProgress = a, p
		}
	}
	return best
}
