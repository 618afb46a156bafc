package storage_test

import (
	"strings"
	"testing"

	"github.com/banli-gov/banli/workflow"
)

// TestProposalCPPCCNotRegistrable: a CPPCC proposal (提案) cannot be
// registered through storage either; banli handles a congress session's
// 建议, 批评 and 意见 only.
func TestProposalCPPCCNotRegistrable(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	p := &workflow.Proposal{SessionID: bn.session.ID, Number: "20240295", Kind: workflow.ProposalCPPCC,
		Title: "关于加强文物保护的提案", SubmittedOn: date(t, "2024-01-19"), DeputyIDs: bn.proposal.DeputyIDs}
	err := bn.db.CreateProposal(bn.ctx, p)
	if workflow.Code(err) != workflow.ErrInvalid || !strings.Contains(err.Error(), "建议、批评或意见") {
		t.Fatalf("registering a 提案: %v, want invalid naming the kinds allowed", err)
	}
	for _, k := range workflow.RegistrableProposalKinds() {
		if k == workflow.ProposalCPPCC {
			t.Error("提案 is offered as a kind to register")
		}
	}
}
