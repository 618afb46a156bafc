package workflow

import (
	"errors"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite generated files (docs/state_machine.md)")

// guardFacts says, for every guard, how to make it pass and how to make it
// fail. The exhaustive test uses it to satisfy each row's guards and to break
// them one at a time; a guard missing here fails TestGuardsCovered.
var guardFacts = map[string]struct{ pass, fail func(*Facts) }{
	"within_return_window": {
		func(f *Facts) { f.ReturnDue = DateOf(f.Now).AddDays(1) },
		func(f *Facts) { f.ReturnDue = DateOf(f.Now).AddDays(-1) },
	},
	"comment_given": {
		func(f *Facts) { f.Input.Comment = "理由" },
		func(f *Facts) { f.Input.Comment = "  " },
	},
	"has_draft": {
		func(f *Facts) { f.HasDraft = true },
		func(f *Facts) { f.HasDraft = false },
	},
	"reply_decided": {
		func(f *Facts) { f.Input.Class, f.Input.Disclosure = ClassA, DisclosePublic },
		func(f *Facts) { f.Input.Class, f.Input.Disclosure = ClassA, DiscloseNone },
	},
	"co_opinions_in": {
		func(f *Facts) { f.CoOpinionsPending = 0 },
		func(f *Facts) { f.CoOpinionsPending, f.CoOpinionsWaived = 2, false },
	},
	"co_opinions_pending": {
		func(f *Facts) { f.CoOpinionsPending, f.CoOpinionsWaived = 1, false },
		func(f *Facts) { f.CoOpinionsPending = 0 },
	},
	"feedback_complete": {
		func(f *Facts) {
			if !f.Input.WorkRating.Valid() {
				f.Input.WorkRating = RatingSatisfied
			}
			if !f.Input.ResultRating.Valid() {
				f.Input.ResultRating = RatingSatisfied
			}
		},
		func(f *Facts) { f.Input.ResultRating = "" },
	},
	"feedback_satisfied": {
		func(f *Facts) { f.Input.WorkRating, f.Input.ResultRating = RatingSatisfied, RatingBasicallySatisfied },
		func(f *Facts) { f.Input.WorkRating, f.Input.ResultRating = RatingSatisfied, RatingDissatisfied },
	},
	"feedback_dissatisfied": {
		func(f *Facts) {
			f.Input.WorkRating, f.Input.ResultRating = RatingBasicallySatisfied, RatingDissatisfied
		},
		func(f *Facts) { f.Input.WorkRating, f.Input.ResultRating = RatingSatisfied, RatingSatisfied },
	},
	"no_extension_pending": {
		func(f *Facts) { f.ExtensionPending = false },
		func(f *Facts) { f.ExtensionPending = true },
	},
	"extension_pending": {
		func(f *Facts) { f.ExtensionPending = true },
		func(f *Facts) { f.ExtensionPending = false },
	},
	"extension_within_cap": {
		func(f *Facts) { f.Input.Due = f.ReplyDue.AddDays(30) },
		func(f *Facts) { f.Input.Due = f.ExtensionCap.AddDays(1) },
	},
	"publishable": {
		func(f *Facts) { f.Disclosure = DisclosePublic },
		func(f *Facts) { f.Disclosure = DiscloseNone },
	},
	"principal_leader": {
		func(f *Facts) { f.KeySuggestion, f.SignerPrincipal = true, true },
		func(f *Facts) { f.KeySuggestion, f.SignerPrincipal = true, false },
	},
	"no_reply_sent": {
		func(f *Facts) { f.ReplySent = false },
		func(f *Facts) { f.ReplySent = true },
	},
	"destination_given": {
		func(f *Facts) { f.Input.Destination = "转为来信，交市信访局办理" },
		func(f *Facts) { f.Input.Destination = " " },
	},
}

func baseFacts() Facts {
	now := time.Date(2024, 8, 1, 10, 0, 0, 0, time.UTC)
	due := DateOf(now).AddDays(60)
	return Facts{Now: now, ReplyDue: due, ExtensionCap: due.AddDays(90), ReturnDue: DateOf(now)}
}

// factsFor returns facts under which every guard of t passes.
func factsFor(t Transition) Facts {
	f := baseFacts()
	for _, g := range t.Guards {
		guardFacts[g.Name].pass(&f)
	}
	return f
}

func TestGuardsCovered(t *testing.T) {
	t.Parallel()
	for _, g := range AllGuards() {
		if _, ok := guardFacts[g.Name]; !ok {
			t.Errorf("guard %s has no pass/fail facts in the test", g.Name)
		}
	}
	for _, row := range table {
		for _, g := range row.Guards {
			if !slices.ContainsFunc(AllGuards(), func(h Guard) bool { return h.Name == g.Name }) {
				t.Errorf("guard %s used by %s/%s is missing from AllGuards", g.Name, row.From, row.Action)
			}
		}
	}
}

// TestMatrix walks every (machine, kind, state, action, role): a combination
// the table has is allowed (with its guards satisfied) and lands in the row's
// state; every other is refused with a domain error that names the action
// by its label.
func TestMatrix(t *testing.T) {
	t.Parallel()
	allowed, refused := 0, 0
	for _, m := range AllMachines() {
		kinds := AllCaseKinds()
		if m == MachinePublication {
			kinds = []CaseKind{""}
		}
		for _, kind := range kinds {
			for _, from := range States(m) {
				for _, action := range AllActions() {
					for _, role := range AllRoles() {
						var rows []Transition
						for _, row := range table {
							if row.Machine == m && row.From == from && row.Action == action && row.AppliesTo(kind) && row.AllowsRole(role) {
								rows = append(rows, row)
							}
						}
						req := Request{Kind: kind, From: from, Action: action, Roles: []Role{role}}
						if len(rows) == 0 {
							req.Facts = baseFacts()
							_, err := Decide(req)
							var de *Error
							if !errors.As(err, &de) || (de.Code != ErrForbidden && de.Code != ErrConflict) {
								t.Errorf("%s %s %s by %s: want forbidden or conflict, got %v", kind, stateName(from), action, role, err)
								continue
							}
							// Named for people: by its label, never by its identifier.
							if !strings.Contains(de.Message, action.LabelZH()) || strings.Contains(de.Message, string(action)) {
								t.Errorf("%s %s %s by %s: message %q does not name the action by its label", kind, stateName(from), action, role, de.Message)
							}
							refused++
							continue
						}
						for _, row := range rows {
							req.Facts = factsFor(row)
							d, err := Decide(req)
							if err != nil {
								t.Errorf("%s %s %s by %s: want allowed to %s, got %v", kind, stateName(from), action, role, row.To, err)
								continue
							}
							if d.To != row.To || d.Role != role {
								t.Errorf("%s %s %s by %s: got to=%s role=%s, want to=%s", kind, stateName(from), action, role, d.To, d.Role, row.To)
							}
							allowed++
						}
					}
				}
			}
		}
	}
	t.Logf("%d combinations allowed, %d refused", allowed, refused)
	if allowed == 0 || refused == 0 {
		t.Fatal("the matrix is empty")
	}
}

// TestGuardsRefuse breaks each guard of each row in turn: the request is
// refused with that guard's name.
func TestGuardsRefuse(t *testing.T) {
	t.Parallel()
	for _, row := range table {
		for _, g := range row.Guards {
			f := factsFor(row)
			guardFacts[g.Name].fail(&f)
			kind := CaseKind("")
			if len(row.Kinds) > 0 {
				kind = row.Kinds[0]
			}
			if row.Machine == MachineCase && kind == "" {
				kind = KindLead
			}
			d, err := Decide(Request{Kind: kind, From: row.From, Action: row.Action, Roles: row.Roles, Facts: f})
			if err == nil {
				// Another row of the same key may apply (feedback has two).
				if d.To == row.To {
					t.Errorf("%s %s with %s failing: allowed to %s", stateName(row.From), row.Action, g.Name, d.To)
				}
				continue
			}
			var de *Error
			if !errors.As(err, &de) || de.Guard == "" {
				t.Errorf("%s %s with %s failing: want a guard error, got %v", stateName(row.From), row.Action, g.Name, err)
			}
		}
	}
}

func TestDecideSpotChecks(t *testing.T) {
	t.Parallel()
	f := baseFacts()
	f.Input = Input{Class: ClassB, Disclosure: DisclosePublic}
	tests := []struct {
		name   string
		req    Request
		to     State
		code   ErrorCode
		guard  string
		inText string
	}{
		{name: "drafter cannot sign", req: Request{Kind: KindLead, From: StateAwaitingApproval, Action: ActionSign, Roles: []Role{RoleDrafter}, Facts: f}, code: ErrForbidden, inText: "签发人"},
		{name: "approver signs a reply", req: Request{Kind: KindLead, From: StateAwaitingApproval, Action: ActionSign, Roles: []Role{RoleApprover}, Facts: f}, to: StateApproved},
		{name: "co opinion signed goes to lead", req: Request{Kind: KindCo, From: StateAwaitingApproval, Action: ActionSign, Roles: []Role{RoleApprover}}, to: StateOpinionSubmitted},
		{name: "co case cannot be sent", req: Request{Kind: KindCo, From: StateApproved, Action: ActionSend, Roles: []Role{RoleDrafter}}, code: ErrConflict},
		{name: "lead waits for co-opinions", req: Request{Kind: KindLead, From: StateAwaitingApproval, Action: ActionSign, Roles: []Role{RoleApprover}, Facts: Facts{Input: f.Input, CoOpinionsPending: 1}}, code: ErrConflict, guard: "co_opinions_in"},
		{name: "waived co-opinions", req: Request{Kind: KindLead, From: StateAwaitingApproval, Action: ActionSign, Roles: []Role{RoleApprover}, Facts: Facts{Input: f.Input, CoOpinionsPending: 1, CoOpinionsWaived: true}}, to: StateApproved},
		{name: "admin does not sign", req: Request{Kind: KindLead, From: StateAwaitingApproval, Action: ActionSign, Roles: []Role{RoleAdmin}, Facts: f}, code: ErrForbidden},
		{name: "dissatisfied opens a round", req: Request{Kind: KindLead, From: StateReplied, Action: ActionRecordFeedback, Roles: []Role{RoleLiaison}, Facts: Facts{Input: Input{WorkRating: RatingSatisfied, ResultRating: RatingDissatisfied}}}, to: StateRehandling},
		{name: "satisfied closes", req: Request{Kind: KindSeparate, From: StateReplied, Action: ActionRecordFeedback, Roles: []Role{RoleDeputy}, Facts: Facts{Input: Input{WorkRating: RatingSatisfied, ResultRating: RatingBasicallySatisfied}}}, to: StateClosed},
		{name: "feedback needs both ratings", req: Request{Kind: KindLead, From: StateReplied, Action: ActionRecordFeedback, Roles: []Role{RoleLiaison}, Facts: Facts{Input: Input{WorkRating: RatingSatisfied}}}, code: ErrInvalid, guard: "feedback_complete", inText: "办理结果"},
		{name: "unknown action", req: Request{Kind: KindLead, From: StateDrafting, Action: "burn", Roles: []Role{RoleDrafter}}, code: ErrInvalid},
		{name: "return after the window", req: Request{Kind: KindLead, From: StateAssigned, Action: ActionRequestReturn, Roles: []Role{RoleDrafter}, Facts: Facts{Now: f.Now, ReturnDue: DateOf(f.Now).AddDays(-1), Input: Input{Comment: "非我单位职责"}}}, code: ErrConflict, guard: "within_return_window"},
		{name: "return on the last day", req: Request{Kind: KindLead, From: StateAssigned, Action: ActionRequestReturn, Roles: []Role{RoleDrafter}, Facts: Facts{Now: f.Now, ReturnDue: DateOf(f.Now), Input: Input{Comment: "非我单位职责"}}}, to: StateReturnRequested},
		{name: "extension beyond the cap", req: Request{Kind: KindLead, From: StateDrafting, Action: ActionGrantExtension, Roles: []Role{RoleLiaison}, Facts: Facts{ExtensionPending: true, ReplyDue: f.ReplyDue, ExtensionCap: f.ExtensionCap, Input: Input{Due: f.ExtensionCap.AddDays(1)}}}, code: ErrInvalid, guard: "extension_within_cap", inText: "延期上限"},
		{name: "a reply not disclosed is not published", req: Request{From: StatePending, Action: ActionPublish, Roles: []Role{RoleApprover}, Facts: Facts{Disclosure: DiscloseOnRequest}}, code: ErrConflict, guard: "publishable"},
		{name: "summary disclosure needs a summary", req: Request{Kind: KindLead, From: StateAwaitingApproval, Action: ActionSign, Roles: []Role{RoleApprover}, Facts: Facts{Input: Input{Class: ClassB, Disclosure: DiscloseSummary, Summary: " "}}}, code: ErrInvalid, guard: "reply_decided", inText: "摘要"},
		{name: "summary disclosure with a summary", req: Request{Kind: KindLead, From: StateAwaitingApproval, Action: ActionSign, Roles: []Role{RoleApprover}, Facts: Facts{Input: Input{Class: ClassB, Disclosure: DiscloseSummary, Summary: "已将该建议列入年度计划。"}}}, to: StateApproved},
		{name: "the liaison records a withdrawal", req: Request{Kind: KindCo, From: StateDrafting, Action: ActionWithdraw, Roles: []Role{RoleLiaison}, Facts: Facts{Input: Input{Comment: "代表书面申请撤回"}}}, to: StateWithdrawn},
		{name: "no withdrawal after a reply was sent", req: Request{Kind: KindLead, From: StateApproved, Action: ActionWithdraw, Roles: []Role{RoleLiaison}, Facts: Facts{ReplySent: true, Input: Input{Comment: "代表书面申请撤回"}}}, code: ErrConflict, guard: "no_reply_sent", inText: "已答复代表"},
		{name: "a unit does not withdraw", req: Request{Kind: KindLead, From: StateDrafting, Action: ActionWithdraw, Roles: []Role{RoleDrafter, RoleApprover}, Facts: Facts{Input: Input{Comment: "代表书面申请撤回"}}}, code: ErrForbidden},
		{name: "a conversion says where it went", req: Request{Kind: KindLead, From: StateAssigned, Action: ActionConvert, Roles: []Role{RoleLiaison}, Facts: Facts{Input: Input{Comment: "属个人诉求"}}}, code: ErrInvalid, guard: "destination_given", inText: "转往何处"},
		{name: "no withdrawal of a replied case", req: Request{Kind: KindLead, From: StateReplied, Action: ActionWithdraw, Roles: []Role{RoleLiaison}, Facts: Facts{Input: Input{Comment: "代表书面申请撤回"}}}, code: ErrConflict},
		{name: "several roles: the one that may", req: Request{Kind: KindLead, From: StateInReview, Action: ActionForward, Roles: []Role{RoleDrafter, RoleReviewer}}, to: StateAwaitingApproval},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := Decide(tt.req)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("want allowed, got %v", err)
				}
				if d.To != tt.to {
					t.Fatalf("to = %s, want %s", d.To, tt.to)
				}
				return
			}
			var de *Error
			if !errors.As(err, &de) {
				t.Fatalf("want domain error %s, got %v", tt.code, err)
			}
			if de.Code != tt.code || de.Guard != tt.guard || !strings.Contains(de.Message, tt.inText) {
				t.Fatalf("got code=%s guard=%q msg=%q; want code=%s guard=%q containing %q", de.Code, de.Guard, de.Message, tt.code, tt.guard, tt.inText)
			}
		})
	}
}

func TestAvailable(t *testing.T) {
	t.Parallel()
	got := Available(KindLead, StateAwaitingApproval, []Role{RoleApprover})
	var actions []Action
	for _, r := range got {
		actions = append(actions, r.Action)
	}
	want := []Action{ActionReturnForRevision, ActionSign, ActionRequestExtension}
	if !slices.Equal(actions, want) {
		t.Fatalf("approver on awaiting_approval: %v, want %v", actions, want)
	}
	if got := Available(KindLead, StateClosed, AllRoles()); len(got) != 0 {
		t.Fatalf("closed case offers %v", got)
	}
}

// TestTerminalStates: a terminal state has no way out, every other state of
// a machine has one, and every state is reachable from the start.
func TestTerminalStates(t *testing.T) {
	t.Parallel()
	for _, m := range AllMachines() {
		reached := map[State]bool{}
		start := StateNone
		if m == MachinePublication {
			start = StatePending
		}
		reached[start] = true
		for changed := true; changed; {
			changed = false
			for _, row := range table {
				if row.Machine == m && reached[row.From] && !reached[row.To] {
					reached[row.To], changed = true, true
				}
			}
		}
		for _, s := range States(m) {
			if !reached[s] {
				t.Errorf("%s: state %s is unreachable", m, s)
			}
			out := slices.ContainsFunc(table, func(r Transition) bool { return r.Machine == m && r.From == s && !r.SelfLoop() })
			if s.Terminal() == out {
				t.Errorf("%s: state %s terminal=%v but has a way out=%v", m, s, s.Terminal(), out)
			}
		}
	}
}

func TestStateMachineDoc(t *testing.T) {
	t.Parallel()
	const path = "../docs/state_machine.md"
	want := StateMachineDoc()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./workflow -run TestStateMachineDoc -update)", err)
	}
	if string(got) != want {
		t.Fatalf("%s is stale: run go test ./workflow -run TestStateMachineDoc -update", path)
	}
}

func TestLabelsComplete(t *testing.T) {
	t.Parallel()
	for _, m := range AllMachines() {
		for _, s := range States(m) {
			if s.LabelZH() == "" {
				t.Errorf("state %q has no label", s)
			}
		}
	}
	for _, a := range AllActions() {
		if a.LabelZH() == "" {
			t.Errorf("action %q has no label", a)
		}
	}
	for _, r := range AllRoles() {
		if r.LabelZH() == "" {
			t.Errorf("role %q has no label", r)
		}
	}
}
