package workflow

import (
	"slices"
	"strings"
	"testing"
)

// decideRow decides action from state on a case of kind by role, with
// facts under which the guards of its row pass (outcome picks the row of
// record_feedback: satisfied or not).
func decideRow(t *testing.T, kind CaseKind, from State, action Action, role Role, to State) Decision {
	t.Helper()
	for _, row := range table {
		if row.Machine == action.Machine() && row.From == from && row.Action == action && row.AppliesTo(kind) && row.AllowsRole(role) &&
			(to == "" || row.To == to) {
			d, err := Decide(Request{Kind: kind, From: from, Action: action, Roles: []Role{role}, Facts: factsFor(row)})
			if err != nil {
				t.Fatalf("%s %s %s by %s: %v", kind, stateName(from), action, role, err)
			}
			if d.To != row.To {
				t.Fatalf("%s %s %s by %s: decided %s, want %s", kind, stateName(from), action, role, d.To, row.To)
			}
			return d
		}
	}
	t.Fatalf("no row for %s %s %s by %s", kind, stateName(from), action, role)
	return Decision{}
}

// TestHandOffOf: who hears of each step, written from the rules of issue 10
// — the unit's drafters on assignment, return for revision and re-handling;
// its reviewers on submission; its approvers on forwarding; the lead unit's
// drafters when a co-opinion arrives; the liaison on a return or extension
// request and on a reply sent; the requester when a request is decided —
// and what they are asked to do.
func TestHandOffOf(t *testing.T) {
	t.Parallel()
	D, R, A, L, P := RoleDrafter, RoleReviewer, RoleApprover, RoleLiaison, RoleDeputy
	type want struct {
		unit    []Role
		liaison bool
		lead    []Role
		request Action
		todo    []Action
	}
	tests := []struct {
		name   string
		kind   CaseKind
		from   State
		action Action
		role   Role
		to     State
		want   want
	}{
		{"assignment to the lead unit", KindLead, StateNone, ActionAssign, L, "", want{unit: []Role{D}, todo: []Action{ActionAccept, ActionRequestReturn}}},
		{"assignment to a co-handling unit", KindCo, StateNone, ActionAssign, L, "", want{unit: []Role{D}, todo: []Action{ActionAccept, ActionRequestReturn}}},
		{"assignment for separate handling", KindSeparate, StateNone, ActionAssign, L, "", want{unit: []Role{D}, todo: []Action{ActionAccept, ActionRequestReturn}}},
		{"the drafter accepts: still theirs", KindLead, StateAssigned, ActionAccept, D, "", want{}},
		{"the reviewer accepts for the unit", KindLead, StateAssigned, ActionAccept, R, "", want{unit: []Role{D}, todo: []Action{ActionSubmit}}},
		{"submission", KindLead, StateDrafting, ActionSubmit, D, "", want{unit: []Role{R}, todo: []Action{ActionForward, ActionReturnForRevision}}},
		{"co-opinion submission", KindCo, StateDrafting, ActionSubmit, D, "", want{unit: []Role{R}, todo: []Action{ActionForward, ActionReturnForRevision}}},
		{"forwarding", KindLead, StateInReview, ActionForward, R, "", want{unit: []Role{A}, todo: []Action{ActionReturnForRevision, ActionSign}}},
		{"the reviewer returns for revision", KindLead, StateInReview, ActionReturnForRevision, R, "", want{unit: []Role{D}, todo: []Action{ActionSubmit}}},
		{"the approver returns for revision", KindSeparate, StateAwaitingApproval, ActionReturnForRevision, A, "", want{unit: []Role{D}, todo: []Action{ActionSubmit}}},
		{"sign-off of the reply", KindLead, StateAwaitingApproval, ActionSign, A, "", want{unit: []Role{D}, todo: []Action{ActionSend}}},
		{"sign-off of a co-opinion", KindCo, StateAwaitingApproval, ActionSign, A, "", want{lead: []Role{D}}},
		{"reply sent", KindLead, StateApproved, ActionSend, D, "", want{liaison: true, todo: []Action{ActionRecordFeedback}}},
		{"不满意 recorded by the liaison", KindLead, StateReplied, ActionRecordFeedback, L, StateRehandling, want{unit: []Role{D}, todo: []Action{ActionAccept}}},
		{"不满意 given by the deputy", KindSeparate, StateReplied, ActionRecordFeedback, P, StateRehandling, want{unit: []Role{D}, todo: []Action{ActionAccept}}},
		{"满意: closed", KindLead, StateReplied, ActionRecordFeedback, L, StateClosed, want{}},
		{"the drafter accepts the re-handling", KindLead, StateRehandling, ActionAccept, D, "", want{}},
		{"return request", KindLead, StateAssigned, ActionRequestReturn, D, "", want{liaison: true, todo: []Action{ActionApproveReturn, ActionRejectReturn}}},
		{"return request by the approver", KindCo, StateAssigned, ActionRequestReturn, A, "", want{liaison: true, todo: []Action{ActionApproveReturn, ActionRejectReturn}}},
		{"return approved", KindLead, StateReturnRequested, ActionApproveReturn, L, "", want{request: ActionRequestReturn}},
		{"return rejected: back to the drafters", KindLead, StateReturnRequested, ActionRejectReturn, L, "", want{unit: []Role{D}, request: ActionRequestReturn, todo: []Action{ActionAccept, ActionRequestReturn}}},
		{"extension request", KindLead, StateDrafting, ActionRequestExtension, D, "", want{liaison: true, todo: []Action{ActionGrantExtension, ActionRefuseExtension}}},
		{"extension request by the approver in review", KindLead, StateInReview, ActionRequestExtension, A, "", want{liaison: true, todo: []Action{ActionGrantExtension, ActionRefuseExtension}}},
		{"extension granted", KindLead, StateDrafting, ActionGrantExtension, L, "", want{request: ActionRequestExtension}},
		{"extension refused", KindSeparate, StateAwaitingApproval, ActionRefuseExtension, L, "", want{request: ActionRequestExtension}},
		{"co-opinions waived", KindLead, StateAwaitingApproval, ActionWaiveCoOpinions, L, "", want{}},
		{"published", "", StatePending, ActionPublish, D, "", want{}},
		{"withheld", "", StatePending, ActionWithhold, A, "", want{}},
	}
	for _, tt := range tests {
		d := decideRow(t, tt.kind, tt.from, tt.action, tt.role, tt.to)
		h := HandOffOf(tt.kind, d)
		got := want{unit: h.UnitRoles, liaison: h.Liaison, lead: h.LeadUnitRoles, request: h.Request, todo: h.ToDo}
		if !slices.Equal(got.unit, tt.want.unit) || got.liaison != tt.want.liaison || !slices.Equal(got.lead, tt.want.lead) ||
			got.request != tt.want.request || !slices.Equal(got.todo, tt.want.todo) {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
		if h.Empty() != (len(tt.want.unit) == 0 && !tt.want.liaison && len(tt.want.lead) == 0 && tt.want.request == "") {
			t.Errorf("%s: Empty() = %v", tt.name, h.Empty())
		}
	}
}

func TestRequestDecidedBy(t *testing.T) {
	t.Parallel()
	for a, want := range map[Action]Action{
		ActionApproveReturn: ActionRequestReturn, ActionRejectReturn: ActionRequestReturn,
		ActionGrantExtension: ActionRequestExtension, ActionRefuseExtension: ActionRequestExtension,
		ActionSubmit: "", ActionRequestReturn: "",
	} {
		got, ok := RequestDecidedBy(a)
		if got != want || ok != (want != "") {
			t.Errorf("RequestDecidedBy(%s) = %q, %v; want %q", a, got, ok, want)
		}
	}
}

// TestHandOffDue: the liaison alone is told the liaison's own deadline; a
// unit, or a requester, what the unit owes.
func TestHandOffDue(t *testing.T) {
	t.Parallel()
	reply := Deadline{Kind: DeadlineReply, Due: Date{2024, 10, 8}}
	ext := Deadline{Kind: DeadlineExtensionDecision, Due: Date{2024, 9, 9}}
	window := Deadline{Kind: DeadlineReturnWindow, Due: Date{2024, 7, 8}}
	active := []Deadline{reply, window, ext}
	for _, tt := range []struct {
		name string
		h    HandOff
		want Deadline
		ok   bool
	}{
		{"liaison decides an extension", HandOff{Audience: Audience{Liaison: true}}, ext, true},
		{"drafters", HandOff{Audience: Audience{UnitRoles: []Role{RoleDrafter}}}, reply, true},
		{"requester", HandOff{Request: ActionRequestExtension}, reply, true},
	} {
		got, ok := tt.h.Due(active)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: %+v %v, want %+v", tt.name, got, ok, tt.want)
		}
	}
	if _, ok := (HandOff{Audience: Audience{Liaison: true}}).Due([]Deadline{reply, window}); ok {
		t.Errorf("the liaison got a deadline of the unit's")
	}
}

// TestHandOffNote: the subject of a submission is the one of issue 10, and
// the text names what to do, the due date and the comment, with no ids or
// action identifiers.
func TestHandOffNote(t *testing.T) {
	t.Parallel()
	f := HandOffFacts{SessionShort: "市十五届人大三次会议", Number: "20240294", Title: "关于加快推进科技成果转化的建议",
		Department: "武汉市市场监督管理局", Kind: KindLead, State: StateInReview,
		Due: Deadline{Kind: DeadlineReply, Due: Date{2028, 2, 15}, Provisional: true}}
	d := decideRow(t, KindLead, StateDrafting, ActionSubmit, RoleDrafter, "")
	n := HandOffOf(KindLead, d).Note(KindLead, d, f)
	if want := "【待审核】市十五届人大三次会议第20240294号建议：武汉市市场监督管理局的答复稿已提交审核"; n.Subject != want {
		t.Errorf("subject %q, want %q", n.Subject, want)
	}
	for _, want := range []string{"《关于加快推进科技成果转化的建议》", "请您办理：审核通过或退回修改。", "答复期限：2028-02-15（暂定：2028年节假日安排尚未公布）",
		"当前状态：审核中", "To do: approve in review or return for revision.", "Reply due: 2028-02-15 (provisional)."} {
		if !strings.Contains(n.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, n.Text)
		}
	}
	for _, bad := range []string{"forward", "in_review", "return_for_revision", "lead"} {
		if strings.Contains(n.Text, bad) {
			t.Errorf("text names the identifier %q:\n%s", bad, n.Text)
		}
	}

	f.State, f.Comment = StateDrafting, "请补充下一步工作打算"
	d = decideRow(t, KindLead, StateInReview, ActionReturnForRevision, RoleReviewer, "")
	n = HandOffOf(KindLead, d).Note(KindLead, d, f)
	if want := "【退回修改】市十五届人大三次会议第20240294号建议：武汉市市场监督管理局的答复稿被退回修改"; n.Subject != want {
		t.Errorf("subject %q, want %q", n.Subject, want)
	}
	if !strings.Contains(n.Text, "退回意见：请补充下一步工作打算") || !strings.Contains(n.Text, "请您办理：提交审核。") {
		t.Errorf("return text:\n%s", n.Text)
	}

	f.Department, f.Kind, f.State, f.Comment, f.Due = "武汉市科技创新局", KindCo, StateOpinionSubmitted, "", Deadline{}
	d = decideRow(t, KindCo, StateAwaitingApproval, ActionSign, RoleApprover, "")
	n = HandOffOf(KindCo, d).Note(KindCo, d, f)
	if want := "【协办意见】市十五届人大三次会议第20240294号建议：武汉市科技创新局的协办意见已提交"; n.Subject != want {
		t.Errorf("subject %q, want %q", n.Subject, want)
	}
	if !strings.Contains(n.Text, "统筹吸收协办意见") {
		t.Errorf("co-opinion text:\n%s", n.Text)
	}
}
