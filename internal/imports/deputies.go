package imports

import (
	"context"
	"time"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// The columns of a deputies' roster (代表名册).
const (
	colName        = "姓名"
	colRosterDeleg = "代表团"
	colAffiliation = "工作单位及职务"
	colPhone       = "手机"
	colEmail       = "邮箱"
)

// DeputyColumns are the columns of a deputies' roster, in the template's
// order.
var DeputyColumns = []column{
	{Header: colName, Aliases: []string{"代表姓名"}, Required: true},
	{Header: colRosterDeleg, Aliases: []string{"所在代表团"}},
	{Header: colAffiliation, Aliases: []string{"工作单位", "工作单位和职务", "单位及职务"}},
	{Header: colPhone, Aliases: []string{"手机号码", "联系电话", "电话"}},
	{Header: colEmail, Aliases: []string{"电子邮箱", "邮件", "电子邮件"}},
}

// Bounds of a roster's cells, as the registration form's.
const (
	maxName        = 50
	maxDelegation  = 50
	maxAffiliation = 200
	maxPhone       = 30
	maxEmail       = 254
)

// DeputyRow is a good row of a roster as it will be imported.
type DeputyRow struct {
	Row    int
	Status Status // create, update or skip (unchanged)
	workflow.Deputy
}

// DeputyPlan is what an import of a roster will do.
type DeputyPlan struct {
	Session  *workflow.CongressSession // may be nil
	FileName string
	Rows     int
	Items    []DeputyRow
	Problems []Problem
	Unknown  []string
	now      time.Time
}

// OK reports whether the plan can be imported.
func (p *DeputyPlan) OK() bool { return len(p.Problems) == 0 }

// Count returns the number of rows of status s.
func (p *DeputyPlan) Count(s Status) int {
	n := 0
	for _, it := range p.Items {
		if it.Status == s {
			n++
		}
	}
	return n
}

// PlanDeputies reads a roster: a deputy matched by name and delegation is
// updated (an empty cell keeps what banli holds), any other is created.
func PlanDeputies(ctx context.Context, db *storage.DB, session *workflow.CongressSession, fileName string, data []byte, now time.Time) (*DeputyPlan, error) {
	plan := &DeputyPlan{Session: session, FileName: fileName, now: now}
	t, idx, unknown, stop := readColumns(data, DeputyColumns)
	if t != nil {
		plan.Unknown, plan.Rows = unknown, len(t.Rows)
	}
	if stop != nil {
		plan.Problems = stop
		return plan, nil
	}
	var ps problems
	dir, err := loadDirectory(ctx, db)
	if err != nil {
		return nil, err
	}
	cell := func(r Row, col int) string { return r.Cell(idx[col]) }
	header := func(col int) string { return t.Header[idx[col]] }
	type key struct{ name, delegation string }
	firstRow := map[key]int{}
	for _, r := range t.Rows {
		n0 := len(ps)
		d := workflow.Deputy{Name: cell(r, 0)}
		check := func(col int, max int) string {
			if idx[col] < 0 {
				return ""
			}
			v := cell(r, col)
			if runes(v) > max {
				ps.add(r.N, header(col), "tooLong", max)
			}
			return v
		}
		switch {
		case d.Name == "":
			ps.add(r.N, header(0), "required")
		case runes(d.Name) > maxName:
			ps.add(r.N, header(0), "tooLong", maxName)
		}
		d.Delegation = check(1, maxDelegation)
		d.Affiliation = check(2, maxAffiliation)
		d.Phone = check(3, maxPhone)
		if d.Phone != "" && !phonePattern.MatchString(d.Phone) {
			ps.add(r.N, header(3), "badPhone", d.Phone)
		}
		d.Email = check(4, maxEmail)
		if d.Email != "" && !emailPattern.MatchString(d.Email) {
			ps.add(r.N, header(4), "badEmail", d.Email)
		}
		k := key{d.Name, d.Delegation}
		if d.Name != "" {
			if first := firstRow[k]; first != 0 {
				ps.add(r.N, header(0), "duplicateDeputy", first)
			} else {
				firstRow[k] = r.N
			}
		}
		if len(ps) > n0 {
			continue
		}
		it := DeputyRow{Row: r.N, Status: StatusCreate, Deputy: d}
		var matches []*workflow.Deputy
		for _, e := range dir.deputies[d.Name] {
			if e.Delegation == d.Delegation {
				matches = append(matches, e)
			}
		}
		switch len(matches) {
		case 0:
		case 1:
			e := matches[0]
			it.ID = e.ID
			it.Affiliation = keep(d.Affiliation, e.Affiliation)
			it.Phone = keep(d.Phone, e.Phone)
			it.Email = keep(d.Email, e.Email)
			it.Status = StatusUpdate
			if it.Deputy == *e {
				it.Status = StatusSkip
			}
		default:
			ps.add(r.N, header(0), "ambiguousRoster", d.Name)
			continue
		}
		plan.Items = append(plan.Items, it)
	}
	plan.Problems = ps.sorted()
	return plan, nil
}

// keep is v, or old when v is empty.
func keep(v, old string) string {
	if v == "" {
		return old
	}
	return v
}

// ImportDeputyPlan imports a roster plan without problems in one
// transaction, recorded as by's.
func ImportDeputyPlan(ctx context.Context, db *storage.DB, plan *DeputyPlan, by workflow.AdminActor) (*storage.ImportRecord, error) {
	if !plan.OK() {
		return nil, workflow.Errorf(workflow.ErrInvalid, "the roster has %d problems: nothing imported", len(plan.Problems))
	}
	var deputies []*workflow.Deputy
	for _, it := range plan.Items {
		if it.Status != StatusSkip {
			d := it.Deputy
			deputies = append(deputies, &d)
		}
	}
	rec := &storage.ImportRecord{At: plan.now, By: by, FileName: plan.FileName, Rows: plan.Rows, Skipped: plan.Count(StatusSkip)}
	if plan.Session != nil {
		rec.SessionID = plan.Session.ID
	}
	if err := db.ImportDeputyRoster(ctx, rec, deputies); err != nil {
		return nil, err
	}
	return rec, nil
}
