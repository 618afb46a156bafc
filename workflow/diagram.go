package workflow

import (
	"fmt"
	"strings"
)

// Mermaid draws machine m from the transition table as a Mermaid
// stateDiagram-v2. Self-loops (decisions that keep the state) are listed in
// the document's table rather than drawn, to keep the diagram readable.
func Mermaid(m Machine) string {
	var b strings.Builder
	b.WriteString("stateDiagram-v2\n")
	for _, s := range States(m) {
		if s == StateNone {
			continue
		}
		fmt.Fprintf(&b, "    %s: %s %s\n", s, s, s.LabelZH())
	}
	for _, t := range table {
		if t.Machine != m || t.SelfLoop() {
			continue
		}
		from := string(t.From)
		if t.From == StateNone {
			from = "[*]"
		}
		label := string(t.Action)
		if len(t.Kinds) > 0 {
			label += " " + joinKinds(t.Kinds)
		}
		label += " (" + joinRoles(t.Roles) + ")"
		if len(t.Guards) > 0 {
			label += " [" + strings.Join(t.GuardNames(), ", ") + "]"
		}
		fmt.Fprintf(&b, "    %s --> %s: %s\n", from, t.To, label)
	}
	for _, s := range States(m) {
		if s.Terminal() {
			fmt.Fprintf(&b, "    %s --> [*]\n", s)
		}
	}
	return b.String()
}

// StateMachineDoc is the text of docs/state_machine.md, generated from the
// transition table; a test fails when the committed file is stale.
func StateMachineDoc() string {
	var b strings.Builder
	b.WriteString("# banli state machines\n\n")
	b.WriteString("Generated from the transition table in `workflow/transition.go` by\n")
	b.WriteString("`go test ./workflow -run TestStateMachineDoc -update`. Do not edit by hand.\n\n")
	for _, m := range AllMachines() {
		fmt.Fprintf(&b, "## The %s machine\n\n```mermaid\n%s```\n\n", m, Mermaid(m))
	}
	b.WriteString("## The transition table\n\n")
	b.WriteString("| machine | from | action | kinds | roles | guards | to |\n|---|---|---|---|---|---|---|\n")
	for _, t := range table {
		kinds := "all"
		if len(t.Kinds) > 0 {
			kinds = joinKinds(t.Kinds)
		}
		guards := "—"
		if len(t.Guards) > 0 {
			guards = strings.Join(t.GuardNames(), ", ")
		}
		fmt.Fprintf(&b, "| %s | %s | %s %s | %s | %s | %s | %s |\n",
			t.Machine, stateName(t.From), t.Action, t.Action.LabelZH(), kinds, joinRoles(t.Roles), guards, t.To)
	}
	b.WriteString("\n## Guards\n\n")
	for _, g := range AllGuards() {
		fmt.Fprintf(&b, "- `%s`\n", g.Name)
	}
	return b.String()
}

func joinKinds(kinds []CaseKind) string {
	s := make([]string, len(kinds))
	for i, k := range kinds {
		s[i] = string(k)
	}
	return strings.Join(s, "/")
}
