package storage_test

import (
	"strings"
	"testing"

	"github.com/banli-gov/banli/workflow"
)

func TestEventsAreAppendOnly(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	bn.assign(t, bn.unitA, workflow.KindLead, bn.db.Clock.Now())
	for _, sql := range []string{
		`UPDATE case_events SET payload = '{"x":1}'`,
		`DELETE FROM case_events`,
		`TRUNCATE case_events CASCADE`,
	} {
		_, err := bn.db.Pool.Exec(bn.ctx, sql)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: got %v, want refused", sql, err)
		}
	}
}

// TestAuditVerifyFindsTampering changes an event's payload and removes
// another behind the trigger's back (as a superuser could): verify reports
// both, naming case and event.
func TestAuditVerifyFindsTampering(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	c := bn.assign(t, bn.unitA, workflow.KindLead, bn.db.Clock.Now())
	c = bn.toAwaitingApproval(t, c, bn.a, workflow.DateOf(bn.db.Clock.Now()).String())
	other := bn.assign(t, bn.unitB, workflow.KindCo, bn.db.Clock.Now())
	if rep := bn.verify(t); len(rep.Breaks) != 0 || rep.Cases != 2 || rep.Events != 6 {
		t.Fatalf("before tampering: %+v", rep)
	}
	events, err := bn.db.CaseEvents(bn.ctx, c.ID)
	must(t, err)

	conn, err := bn.db.Pool.Acquire(bn.ctx)
	must(t, err)
	defer conn.Release()
	_, err = conn.Exec(bn.ctx, `SET session_replication_role = replica`)
	must(t, err)
	_, err = conn.Exec(bn.ctx, `UPDATE case_events SET payload = '{"comment": "改过"}' WHERE id = $1`, events[1].ID)
	must(t, err)
	_, err = conn.Exec(bn.ctx, `SET session_replication_role = origin`)
	must(t, err)

	rep := bn.verify(t)
	if len(rep.Breaks) != 1 || rep.Breaks[0].CaseID != c.ID || rep.Breaks[0].EventID != events[1].ID || !strings.Contains(rep.Breaks[0].Reason, "altered") {
		t.Fatalf("after altering event %d: %+v", events[1].ID, rep.Breaks)
	}

	_, err = conn.Exec(bn.ctx, `SET session_replication_role = replica`)
	must(t, err)
	otherEvents, err := bn.db.CaseEvents(bn.ctx, other.ID)
	must(t, err)
	_, err = conn.Exec(bn.ctx, `DELETE FROM case_events WHERE id = $1`, otherEvents[0].ID)
	must(t, err)
	rep = bn.verify(t)
	found := false
	for _, b := range rep.Breaks {
		if b.CaseID == other.ID && strings.Contains(b.Reason, "no events") {
			found = true
		}
	}
	if !found {
		t.Fatalf("after deleting the only event of case %d: %+v", other.ID, rep.Breaks)
	}
}

// TestSchemaMirrorsWorkflow: every closed set of the workflow package is
// exactly the list of a CHECK constraint.
func TestSchemaMirrorsWorkflow(t *testing.T) {
	t.Parallel()
	bn := setup(t)
	var caseStates, roles, actions []string
	for _, s := range workflow.CaseStates() {
		caseStates = append(caseStates, string(s))
	}
	for _, r := range workflow.AllRoles() {
		if r != workflow.RoleDeputy {
			roles = append(roles, string(r))
		}
	}
	for _, a := range workflow.AllActions() {
		actions = append(actions, string(a))
	}
	for _, r := range workflow.AllRecords() {
		actions = append(actions, string(r))
	}
	for _, e := range workflow.AllSystemEvents() {
		actions = append(actions, string(e))
	}
	names := func(values ...string) []string { return values }
	checks := []struct {
		table, column string
		want          []string
	}{
		{"cases", "state", caseStates},
		{"cases", "kind", enumStrings(workflow.AllCaseKinds())},
		{"proposals", "kind", enumStrings(workflow.AllProposalKinds())},
		{"user_roles", "role", roles},
		{"replies", "class", enumStrings(workflow.AllReplyClasses())},
		{"replies", "disclosure", enumStrings(workflow.AllDisclosures())},
		{"feedback", "work_rating", enumStrings(workflow.AllRatings())},
		{"feedback", "result_rating", enumStrings(workflow.AllRatings())},
		{"feedback", "contact_method", enumStrings(workflow.AllContactMethods())},
		{"publications", "state", enumStrings(workflow.PublicationStates())},
		{"extensions", "state", enumStrings(workflow.AllExtensionStates())},
		{"holiday_overrides", "kind", enumStrings(workflow.AllDayKinds())},
		{"deadline_rules", "rule", enumStrings(workflow.AllRuleNames())},
		{"deadline_rules", "unit", enumStrings(workflow.AllPeriodUnits())},
		{"case_events", "action", actions},
		{"case_events", "machine", append(enumStrings(workflow.AllMachines()), "record")},
		{"case_events", "actor_role", append(enumStrings(workflow.AllRoles()), "system")},
		{"congress_sessions", "body", names("npc", "cppcc")},
	}
	for _, c := range checks {
		var def string
		err := bn.db.Pool.QueryRow(bn.ctx, `
			SELECT pg_get_constraintdef(oid) FROM pg_constraint
			WHERE conrelid = $1::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE 'CHECK ((' || $2 || ' = ANY%'
			LIMIT 1`, c.table, c.column).Scan(&def)
		if err != nil {
			t.Errorf("%s.%s: no CHECK constraint listing its values: %v", c.table, c.column, err)
			continue
		}
		got := quoted(def)
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s.%s: CHECK lists %v, workflow has %v", c.table, c.column, got, c.want)
		}
	}
}

func enumStrings[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// quoted returns the single-quoted literals of a constraint definition, in order.
func quoted(def string) []string {
	var out []string
	for {
		i := strings.IndexByte(def, '\'')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(def[i+1:], '\'')
		if j < 0 {
			return out
		}
		out = append(out, def[i+1:i+1+j])
		def = def[i+1+j+1:]
	}
}
