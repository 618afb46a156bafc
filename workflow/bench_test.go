package workflow

import "testing"

func BenchmarkDecide(b *testing.B) {
	f := baseFacts()
	f.Input = Input{Class: ClassB, Disclosure: DisclosePublic}
	req := Request{Kind: KindLead, From: StateAwaitingApproval, Action: ActionSign, Roles: []Role{RoleApprover}, Facts: f}
	for b.Loop() {
		if _, err := Decide(req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDueReply(b *testing.B) {
	cal := NewCalendar(nil)
	r := DefaultRuleSet()[RuleReply]
	from := Date{Year: 2024, Month: 7, Day: 1}
	for b.Loop() {
		if _, err := cal.Due(r, from); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDuePublication(b *testing.B) {
	cal := NewCalendar(nil)
	r := DefaultRuleSet()[RulePublication]
	from := Date{Year: 2024, Month: 9, Day: 5}
	for b.Loop() {
		if _, err := cal.Due(r, from); err != nil {
			b.Fatal(err)
		}
	}
}
