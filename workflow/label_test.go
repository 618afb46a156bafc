package workflow

import (
	"testing"
	"unicode"
)

// labelled is a value of a closed set with a name in both page languages.
type labelled interface {
	LabelZH() string
	LabelEN() string
}

// valuesOf lists each closed set's values as labelled, from its All* list.
func valuesOf[T labelled](all []T) []labelled {
	out := make([]labelled, len(all))
	for i, v := range all {
		out[i] = v
	}
	return out
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// TestEveryValueHasBothLabels: every value of every closed set the pages
// show has a Chinese name, in Chinese, and an English name without a Han
// character; within a set no two values share a name in either language.
func TestEveryValueHasBothLabels(t *testing.T) {
	t.Parallel()
	sets := map[string][]labelled{
		"State":           valuesOf(append(States(MachineCase), PublicationStates()...)),
		"Action":          valuesOf(AllActions()),
		"Role":            valuesOf(AllRoles()),
		"CaseKind":        valuesOf(AllCaseKinds()),
		"ProposalKind":    valuesOf(AllProposalKinds()),
		"ReplyClass":      valuesOf(AllReplyClasses()),
		"Disclosure":      valuesOf(AllDisclosures()),
		"Rating":          valuesOf(AllRatings()),
		"ContactMethod":   valuesOf(AllContactMethods()),
		"ExtensionState":  valuesOf(AllExtensionStates()),
		"DeadlineKind":    valuesOf(AllDeadlineKinds()),
		"AttachmentOwner": valuesOf(AllAttachmentOwners()),
		"Figure":          valuesOf(AllFigures()),
	}
	for name, values := range sets {
		zh, en := map[string]labelled{}, map[string]labelled{}
		for _, v := range values {
			z, e := v.LabelZH(), v.LabelEN()
			if z == "" || !hasHan(z) {
				t.Errorf("%s %q: Chinese label %q", name, v, z)
			}
			if e == "" || hasHan(e) {
				t.Errorf("%s %q: English label %q", name, v, e)
			}
			if o, dup := zh[z]; dup {
				t.Errorf("%s %q and %q share the Chinese label %q", name, o, v, z)
			}
			if o, dup := en[e]; dup {
				t.Errorf("%s %q and %q share the English label %q", name, o, v, e)
			}
			zh[z], en[e] = v, v
		}
	}
}

// TestLabelsUseTheOfficesWords: the names DESIGN.md §1a prescribes.
func TestLabelsUseTheOfficesWords(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		v    labelled
		want string
	}{
		{StateReturnRequested, "退回待审批"},
		{ActionRequestReturn, "申请退回"},
		{ActionWaiveCoOpinions, "同意主办单位先行答复"},
		{RoleLiaison, "督办人员"},
		{StateClosed, "已办结"},
		{RatingBasicallySatisfied, "基本满意"},
	} {
		if got := tt.v.LabelZH(); got != tt.want {
			t.Errorf("%q: LabelZH = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestRuleLabels(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		r      Rule
		zh, en string
	}{
		{Rule{Amount: 3, Unit: UnitMonths}, "3个月", "3 months"},
		{Rule{Amount: 1, Unit: UnitMonths}, "1个月", "1 month"},
		{Rule{Amount: 5, Unit: UnitWorkingDays}, "5个工作日", "5 working days"},
		{Rule{Amount: 1, Unit: UnitWorkingDays}, "1个工作日", "1 working day"},
		{Rule{Amount: 15, Unit: UnitDays}, "15日", "15 days"},
	} {
		if got := tt.r.LabelZH(); got != tt.zh {
			t.Errorf("%v: LabelZH = %q, want %q", tt.r, got, tt.zh)
		}
		if got := tt.r.LabelEN(); got != tt.en {
			t.Errorf("%v: LabelEN = %q, want %q", tt.r, got, tt.en)
		}
	}
}
