package imports

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// The columns of an assignment list (交办清单), in the template's order.
const (
	colNumber     = "建议编号"
	colTitle      = "标题"
	colBody       = "内容"
	colLead       = "领衔代表"
	colCoSigners  = "联名代表"
	colDelegation = "代表团"
	colKind       = "分类"
	colLeadUnit   = "主办单位"
	colCoUnits    = "协办单位"
	colSeparate   = "分办单位"
	colAssignedOn = "交办日期"
	colKey        = "是否重点"
)

// ProposalColumns are the columns of an assignment list, in the template's
// order, with the other headers lists use for them.
var ProposalColumns = []column{
	{Header: colNumber, Aliases: []string{"编号", "建议号", "建议编号（号）"}, Required: true},
	{Header: colTitle, Aliases: []string{"建议标题", "题目", "案由"}, Required: true},
	{Header: colBody, Aliases: []string{"建议内容", "正文"}},
	{Header: colLead, Aliases: []string{"领衔人", "提出人", "代表姓名"}, Required: true},
	{Header: colCoSigners, Aliases: []string{"联名人", "附议代表"}},
	{Header: colDelegation, Aliases: []string{"所在代表团"}},
	{Header: colKind, Aliases: []string{"类别", "建议类别"}},
	{Header: colLeadUnit, Aliases: []string{"主办", "牵头单位"}},
	{Header: colCoUnits, Aliases: []string{"协办", "会办单位"}},
	{Header: colSeparate, Aliases: []string{"分办"}},
	{Header: colAssignedOn, Aliases: []string{"交办时间"}},
	{Header: colKey, Aliases: []string{"重点建议", "是否重点建议"}},
}

// Bounds of an assignment list's cells, as the registration form's.
const (
	maxNumber = 32
	maxTitle  = 200
	maxBody   = 20000
)

// Status is what an import does with a row.
type Status string

const (
	// StatusCreate registers the suggestion and assigns it.
	StatusCreate Status = "create"
	// StatusAssign assigns a suggestion registered earlier, unassigned.
	StatusAssign Status = "assign"
	// StatusSkip leaves a suggestion already registered and assigned as
	// the list says.
	StatusSkip Status = "skip"
	// StatusUpdate updates a deputy of the roster.
	StatusUpdate Status = "update"
)

// ProposalRow is a good row of an assignment list as it will be imported.
type ProposalRow struct {
	Row        int
	Status     Status
	Number     string
	Title      string
	Kind       workflow.ProposalKind
	Lead       string   // the lead deputy, 张三（武昌区代表团）
	CoSigners  []string // the same
	LeadUnit   string
	CoUnits    []string
	Separate   []string
	AssignedOn workflow.Date
	// Key is 是否重点: read and checked, not stored yet (the key
	// suggestion mark lands with its own feature).
	Key  bool
	item storage.ImportedProposal
}

// ProposalPlan is what an import of an assignment list will do.
type ProposalPlan struct {
	Session  *workflow.CongressSession
	FileName string
	// Rows is the number of rows read below the header.
	Rows     int
	Items    []ProposalRow
	Problems []Problem
	// Unknown lists the headers of the columns the import does not read.
	Unknown []string
	now     time.Time
}

// OK reports whether the plan can be imported.
func (p *ProposalPlan) OK() bool { return len(p.Problems) == 0 }

// Count returns the number of rows of status s.
func (p *ProposalPlan) Count(s Status) int {
	n := 0
	for _, it := range p.Items {
		if it.Status == s {
			n++
		}
	}
	return n
}

// Cases returns the number of cases (承办件) the import will create.
func (p *ProposalPlan) Cases() int {
	n := 0
	for _, it := range p.Items {
		n += len(it.item.Units)
	}
	return n
}

// PlanProposals reads an assignment list and checks it against the
// session: each good row becomes what the import will do, each bad cell a
// problem. now is the time of the import: a row assigned today (or on no
// date) is assigned now, and a 交办日期 after today is refused.
func PlanProposals(ctx context.Context, db *storage.DB, session *workflow.CongressSession, fileName string, data []byte, now time.Time) (*ProposalPlan, error) {
	plan := &ProposalPlan{Session: session, FileName: fileName, now: now}
	t, idx, unknown, stop := readColumns(data, ProposalColumns)
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
	var numbers []string
	for _, r := range t.Rows {
		if n := cell(r, 0); n != "" {
			numbers = append(numbers, n)
		}
	}
	existing, err := db.ProposalsByNumber(ctx, session.ID, numbers)
	if err != nil {
		return nil, err
	}
	today := workflow.DateOf(now)
	firstRow := map[string]int{}
	for _, r := range t.Rows {
		n0 := len(ps)
		it := ProposalRow{Row: r.N}
		prop := &workflow.Proposal{SessionID: session.ID, Kind: workflow.ProposalSuggestion}

		// 建议编号
		it.Number = strings.TrimPrefix(strings.TrimSuffix(cell(r, 0), "号"), "第")
		switch {
		case it.Number == "":
			ps.add(r.N, header(0), "required")
		case runes(it.Number) > maxNumber || !numberPattern.MatchString(it.Number):
			ps.add(r.N, header(0), "numberFormat", maxNumber)
		case firstRow[it.Number] != 0:
			ps.add(r.N, header(0), "duplicateNumber", it.Number, firstRow[it.Number])
		default:
			firstRow[it.Number] = r.N
		}
		prop.Number = it.Number
		// 标题, 内容
		it.Title = cell(r, 1)
		switch {
		case it.Title == "":
			ps.add(r.N, header(1), "required")
		case runes(it.Title) > maxTitle:
			ps.add(r.N, header(1), "tooLong", maxTitle)
		}
		prop.Title = it.Title
		if idx[2] >= 0 {
			prop.Body = strings.ReplaceAll(cell(r, 2), "\r\n", "\n")
			if runes(prop.Body) > maxBody {
				ps.add(r.N, header(2), "tooLong", maxBody)
			}
		}
		// 分类: the kind of what was submitted.
		if idx[6] >= 0 && cell(r, 6) != "" {
			k, ok := kindOf(cell(r, 6))
			if !ok {
				ps.add(r.N, header(6), "unknownKind", cell(r, 6))
			}
			prop.Kind = k
		}
		it.Kind = prop.Kind
		// 领衔代表, 代表团, 联名代表
		delegation := ""
		if idx[5] >= 0 {
			delegation = cell(r, 5)
		}
		leads := splitNames(cell(r, 3))
		var leadID int64
		switch len(leads) {
		case 0:
			ps.add(r.N, header(3), "required")
		case 1:
			name, del := nameAndDelegation(leads[0])
			if del == "" {
				del = delegation
			}
			if d, code := dir.deputy(name, del); code != "" {
				ps.add(r.N, header(3), code, leads[0])
			} else {
				leadID, it.Lead = d.ID, deputyLabel(d)
				prop.DeputyIDs = append(prop.DeputyIDs, d.ID)
			}
		default:
			ps.add(r.N, header(3), "oneLeadDeputy")
		}
		if idx[4] >= 0 {
			seen := map[int64]bool{leadID: true}
			for _, n := range splitNames(cell(r, 4)) {
				name, del := nameAndDelegation(n)
				d, code := dir.deputy(name, del)
				switch {
				case code != "":
					ps.add(r.N, header(4), code, n)
				case d.ID == leadID:
					ps.add(r.N, header(4), "leadIsCosigner", n)
				case seen[d.ID]:
					ps.add(r.N, header(4), "deputyTwice", n)
				default:
					seen[d.ID] = true
					prop.DeputyIDs = append(prop.DeputyIDs, d.ID)
					it.CoSigners = append(it.CoSigners, deputyLabel(d))
				}
			}
		}
		// 主办单位, 协办单位, 分办单位
		units := planUnits(r, idx, t.Header, dir, &ps, &it)
		// 交办日期
		it.AssignedOn = today
		if idx[10] >= 0 && cell(r, 10) != "" {
			d, ok := parseDate(cell(r, 10))
			switch {
			case !ok:
				ps.add(r.N, header(10), "badDate", cell(r, 10))
			case d.After(today):
				ps.add(r.N, header(10), "futureDate", d.String())
			default:
				it.AssignedOn = d
			}
		}
		prop.SubmittedOn = it.AssignedOn
		// 是否重点
		if idx[11] >= 0 {
			key, ok := parseYesNo(cell(r, 11))
			if !ok {
				ps.add(r.N, header(11), "badYesNo", cell(r, 11))
			}
			it.Key = key
		}
		if len(ps) > n0 {
			continue
		}
		it.Status = StatusCreate
		it.item = storage.ImportedProposal{Proposal: prop, Units: units, AssignedAt: assignedAt(now, it.AssignedOn)}
		if e := existing[it.Number]; e != nil {
			status, code := compareExisting(e, prop, units)
			if code != "" {
				ps.add(r.N, header(0), code, it.Number)
				continue
			}
			it.Status = status
			prop.ID = e.ID
			if status == StatusSkip {
				it.item.Units = nil
			}
		}
		plan.Items = append(plan.Items, it)
	}
	plan.Problems = ps.sorted()
	return plan, nil
}

// planUnits reads a row's 主办单位, 协办单位 and 分办单位 into the units to
// assign, lead first, and checks the mix: one lead unit with any co-units,
// or separate units alone; no unit twice.
func planUnits(r Row, idx []int, header []string, dir *directory, ps *problems, it *ProposalRow) []storage.ImportedUnit {
	var out []storage.ImportedUnit
	seen := map[int64]string{}
	read := func(col int, kind workflow.CaseKind) (names []string) {
		if idx[col] < 0 {
			return nil
		}
		h := header[idx[col]]
		for _, n := range splitNames(r.Cell(idx[col])) {
			d, code := dir.unit(n)
			if code != "" {
				ps.add(r.N, h, code, n)
				continue
			}
			if prev, ok := seen[d.ID]; ok {
				if prev != h {
					ps.add(r.N, h, "leadAndCo", n, prev)
				} else {
					ps.add(r.N, h, "unitTwice", n)
				}
				continue
			}
			seen[d.ID] = h
			names = append(names, d.Name)
			out = append(out, storage.ImportedUnit{DepartmentID: d.ID, Kind: kind})
		}
		return names
	}
	leads := read(7, workflow.KindLead)
	it.CoUnits = read(8, workflow.KindCo)
	it.Separate = read(9, workflow.KindSeparate)
	if len(leads) > 0 {
		it.LeadUnit = leads[0]
	}
	col := func(i int) string {
		if idx[i] < 0 {
			return ProposalColumns[i].Header
		}
		return header[idx[i]]
	}
	switch {
	case len(leads) > 1:
		ps.add(r.N, col(7), "oneLeadUnit")
	case len(it.Separate) > 0 && (len(leads) > 0 || len(it.CoUnits) > 0):
		ps.add(r.N, col(9), "separateWithLead")
	case len(it.CoUnits) > 0 && len(leads) == 0:
		ps.add(r.N, col(8), "coWithoutLead")
	case len(out) == 0 && !hasUnitProblem(*ps, r.N, header, idx):
		ps.add(r.N, col(7), "noUnit")
	}
	return out
}

// hasUnitProblem reports whether row n has a problem in a unit column
// already (then "no unit" would only repeat it).
func hasUnitProblem(ps problems, n int, header []string, idx []int) bool {
	for _, p := range ps {
		if p.Row != n {
			continue
		}
		for _, i := range []int{7, 8, 9} {
			if idx[i] >= 0 && p.Column == header[idx[i]] {
				return true
			}
		}
	}
	return false
}

// compareExisting compares a row with the suggestion already registered
// under its number: the same suggestion already assigned as the list says
// is skipped, the same one not assigned yet is assigned, anything else is
// a problem.
func compareExisting(e *storage.ExistingProposal, p *workflow.Proposal, units []storage.ImportedUnit) (Status, string) {
	if e.Title != p.Title || strings.TrimSpace(e.Body) != strings.TrimSpace(p.Body) || e.Kind != p.Kind ||
		!slices.Equal(e.DeputyIDs, p.DeputyIDs) {
		return "", "numberTaken"
	}
	if len(e.Units) == 0 {
		return StatusAssign, ""
	}
	for _, u := range units {
		if !slices.Contains(e.Units, u) {
			return "", "assignedDifferently"
		}
	}
	return StatusSkip, ""
}

// kindOf reads a 分类 cell: 建议, 批评, 意见, 批评和意见 or 提案.
func kindOf(s string) (workflow.ProposalKind, bool) {
	switch strings.TrimSuffix(s, "类") {
	case "建议":
		return workflow.ProposalSuggestion, true
	case "批评":
		return workflow.ProposalCriticism, true
	case "意见", "批评和意见", "批评意见":
		return workflow.ProposalOpinion, true
	case "提案":
		return workflow.ProposalCPPCC, true
	}
	return "", false
}

// assignedAt is when a row assigned on day d is assigned: now for today,
// else 09:00 that day in the business time zone.
func assignedAt(now time.Time, d workflow.Date) time.Time {
	if d == workflow.DateOf(now) {
		return now
	}
	return time.Date(d.Year, d.Month, d.Day, 9, 0, 0, 0, workflow.Zone())
}

func deputyLabel(d *workflow.Deputy) string {
	if d.Delegation == "" {
		return d.Name
	}
	return fmt.Sprintf("%s（%s）", d.Name, d.Delegation)
}

// ImportProposalPlan imports a plan without problems in one transaction:
// actor (a liaison) assigns, by is recorded as who imported. A plan with
// problems is refused.
func ImportProposalPlan(ctx context.Context, db *storage.DB, plan *ProposalPlan, by workflow.AdminActor, actor workflow.Actor) (*storage.ImportRecord, error) {
	if !plan.OK() {
		return nil, workflow.Errorf(workflow.ErrInvalid, "the list has %d problems: nothing imported", len(plan.Problems))
	}
	items := make([]storage.ImportedProposal, 0, len(plan.Items))
	for _, it := range plan.Items {
		if it.Status != StatusSkip {
			items = append(items, it.item)
		}
	}
	rec := &storage.ImportRecord{At: plan.now, SessionID: plan.Session.ID, By: by, FileName: plan.FileName, Rows: plan.Rows,
		Skipped: plan.Count(StatusSkip)}
	if err := db.ImportProposalList(ctx, rec, items, actor); err != nil {
		return nil, err
	}
	return rec, nil
}

// directory is what a list's names are looked up in: the units and the
// deputies.
type directory struct {
	units    map[string][]*workflow.Department
	deputies map[string][]*workflow.Deputy
}

func loadDirectory(ctx context.Context, db *storage.DB) (*directory, error) {
	depts, err := db.Departments(ctx)
	if err != nil {
		return nil, err
	}
	deps, err := db.Deputies(ctx)
	if err != nil {
		return nil, err
	}
	dir := &directory{units: map[string][]*workflow.Department{}, deputies: map[string][]*workflow.Deputy{}}
	for _, d := range depts {
		for _, n := range []string{d.Name, d.ShortName, d.Code} {
			if n != "" && !slices.Contains(dir.units[n], d) {
				dir.units[n] = append(dir.units[n], d)
			}
		}
	}
	for _, d := range deps {
		dir.deputies[d.Name] = append(dir.deputies[d.Name], d)
	}
	return dir, nil
}

// unit finds a handling unit by its name, short name or code; else the
// problem's code.
func (dir *directory) unit(name string) (*workflow.Department, string) {
	found := dir.units[name]
	switch {
	case len(found) == 0:
		return nil, "unknownUnit"
	case len(found) > 1:
		return nil, "unknownUnit"
	case found[0].LiaisonOffice:
		return nil, "notAUnit"
	}
	return found[0], ""
}

// deputy finds a deputy by name and, when given, delegation; else the
// problem's code (unknown, or several of that name).
func (dir *directory) deputy(name, delegation string) (*workflow.Deputy, string) {
	found := dir.deputies[name]
	if delegation != "" {
		found = slices.DeleteFunc(slices.Clone(found), func(d *workflow.Deputy) bool { return d.Delegation != delegation })
	}
	switch len(found) {
	case 0:
		return nil, "unknownDeputy"
	case 1:
		return found[0], ""
	}
	return nil, "ambiguousDeputy"
}
