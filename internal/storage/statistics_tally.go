package storage

import (
	"fmt"

	"github.com/banli-gov/banli/workflow"
)

// caseTally is the column cases.tally (migration 00300): a case's
// workflow.CaseTally packed into an integer by PostgreSQL, so that the
// statistics group an index instead of weighing every case's columns.
// TestCaseTallyMirrorsWorkflow holds the packing in the migration and the
// unpacking here together.
type caseTally int32

// The fields of a tally: each is a digit of the given base, from the
// lowest: state, kind, first send, 面商, final result rating, work rating,
// first result rating, class.
const (
	tallyStateBase  = 32
	tallyKindBase   = 4
	tallySentBase   = 4
	tallyMetBase    = 2
	tallyRatingBase = 4
	// tallyReplyMod keeps a tally's state, kind and first send: what
	// workflow.SuggestionFacts reads of a case.
	tallyReplyMod = tallyStateBase * tallyKindBase * tallySentBase
)

// tallyStates are the states by their code (code 1 is the first).
var tallyStates = workflow.CaseStates()

// unpack returns the tally t.
func (t caseTally) unpack() (workflow.CaseTally, error) {
	var out workflow.CaseTally
	v := int(t)
	digit := func(base int) int {
		d := v % base
		v /= base
		return d
	}
	rating := func() (workflow.Rating, error) {
		switch d := digit(tallyRatingBase); {
		case d == 0:
			return "", nil
		case d <= len(workflow.AllRatings()):
			return workflow.AllRatings()[d-1], nil
		default:
			return "", fmt.Errorf("rating %d", d)
		}
	}
	state, kind, sent := digit(tallyStateBase), digit(tallyKindBase), digit(tallySentBase)
	if state < 1 || state > len(tallyStates) || kind >= len(workflow.AllCaseKinds()) || sent > 2 {
		return out, fmt.Errorf("error reading case tally %d: state %d, kind %d, send %d", t, state, kind, sent)
	}
	out.State, out.Kind = tallyStates[state-1], workflow.AllCaseKinds()[kind]
	out.Sent, out.SentOnTime = sent > 0, sent == 1
	out.Met = digit(tallyMetBase) == 1
	var err error
	for _, r := range []*workflow.Rating{&out.FinalRating, &out.WorkRating, &out.FirstRating} {
		if *r, err = rating(); err != nil {
			return out, fmt.Errorf("error reading case tally %d: %w", t, err)
		}
	}
	switch class := v; {
	case class == 0:
	case class <= len(workflow.AllReplyClasses()):
		out.Class = workflow.AllReplyClasses()[class-1]
	default:
		return out, fmt.Errorf("error reading case tally %d: class %d", t, class)
	}
	return out, nil
}
