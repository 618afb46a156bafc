package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// LoadSynthetic loads scale data for measuring banli at a province's volume
// (`banli demo --synthetic N`): five yearly sessions of one congress term,
// the last of them current; 60 units and the liaison office with their
// users; deputies in their delegations; N proposals with titles and bodies
// built from a vocabulary, co-signers, and about 1.5 cases each (lead, co
// and separate units) walked through the workflow in memory — every
// transition asked of workflow.Decide — with drafts, contacts, reviews,
// extensions, replies, publications, feedback and re-handling rounds,
// deadlines reconciled with workflow.ActiveDeadlines after every
// transition, and hash-chained audit events.
//
// Every case of the earlier sessions has ended (closed, opinion submitted or
// returned; every publication decided), so none carries a deadline. The
// current session's cases stand wherever their walk reached on the as-of
// day, in every state; the reminder jobs of their active deadlines are
// scheduled (the notices after the clock's now), so `banli deadlines check`
// finds them in order. A fixed set of showcase proposals at the end of the
// current session makes sure every state, kind and outcome occurs even in a
// small load.
//
// The same seed, number and as-of day give the same data. Everything is
// written in one transaction with COPY; a database that already holds
// proposals is refused (ErrHasProposals).
func LoadSynthetic(ctx context.Context, db *storage.DB, opts SyntheticOptions) (*SyntheticReport, error) {
	if opts.Proposals < 1 || opts.Proposals > maxSyntheticProposals {
		return nil, fmt.Errorf("synthetic data: %d proposals: want 1 to %d", opts.Proposals, maxSyntheticProposals)
	}
	start := time.Now()
	now := opts.Clock.Now()
	asOf := opts.AsOf
	if asOf.IsZero() {
		asOf = workflow.DateOf(now)
	}
	cal, err := db.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	g := &gen{cal: cal, rules: workflow.DefaultRuleSet(), policy: workflow.DefaultReminderPolicy(), end: asOf.Time(),
		seed: opts.Seed, proposals: opts.Proposals, userNames: map[int64]string{}, docSeq: map[docKey]int{}, log: opts.Logger}
	g.count.states, g.count.kinds = map[workflow.State]int{}, map[workflow.CaseKind]int{}
	g.count.rows = map[string]int64{}

	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	// EXCLUSIVE mode lets others read but not write: the ids this load
	// reserves below stay its own until it commits.
	if _, err := tx.Exec(ctx, `LOCK TABLE proposals, proposal_deputies, cases, deputies, drafts, communications, replies,
		publications, feedback, extensions, deadlines, case_events IN EXCLUSIVE MODE`); err != nil {
		return nil, fmt.Errorf("error locking tables: %w", err)
	}
	var has bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM proposals)`).Scan(&has); err != nil {
		return nil, fmt.Errorf("error checking for proposals: %w", err)
	}
	if has {
		return nil, ErrHasProposals
	}
	if err := g.ids.reserve(ctx, tx); err != nil {
		return nil, err
	}
	if err := g.createPeople(ctx, tx); err != nil {
		return nil, err
	}
	if err := g.planSessions(ctx, tx, asOf, opts.Proposals); err != nil {
		return nil, err
	}

	rep := &SyntheticReport{AsOf: asOf, Proposals: opts.Proposals, Seed: opts.Seed}
	for _, s := range g.sessions {
		rep.Sessions = append(rep.Sessions, fmt.Sprintf("%s (opened %s, %d proposals)", s.short, s.opened, s.count))
	}
	// One goroutine makes the rows, chunk by chunk, while this one copies
	// the chunk before: the generator's CPU and PostgreSQL's overlap.
	gctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan chunkRows, 1)
	var generate time.Duration
	go func() {
		defer close(chunks)
		for first := 0; first < opts.Proposals; first += syntheticChunk {
			t0 := time.Now()
			for i := first; i < min(first+syntheticChunk, opts.Proposals); i++ {
				if g.proposal(i); g.err != nil {
					return
				}
			}
			generate += time.Since(t0)
			select {
			case chunks <- g.rows:
				g.rows = chunkRows{}
			case <-gctx.Done():
				return
			}
		}
	}()
	done := 0
	for rows := range chunks {
		t0 := time.Now()
		if err := g.flush(ctx, tx, &rows); err != nil {
			cancel()
			for range chunks {
			}
			return nil, err
		}
		rep.Copy += time.Since(t0)
		done = min(done+syntheticChunk, opts.Proposals)
		if g.log != nil {
			g.log.Info("synthetic data", "proposals", done, "of", opts.Proposals, "elapsed", time.Since(start).Round(time.Millisecond))
		}
	}
	if g.err != nil {
		return nil, g.err
	}
	rep.Generate = generate
	t0 := time.Now()
	if rep.ReminderJobs, err = g.scheduleReminders(ctx, tx, db, now); err != nil {
		return nil, err
	}
	rep.ActiveDeadlines = len(g.active)
	if err := g.ids.release(ctx, tx); err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("error committing synthetic data: %w", err)
	}
	rep.Jobs = time.Since(t0)
	t0 = time.Now()
	if _, err := db.Pool.Exec(ctx, `ANALYZE`); err != nil {
		return nil, fmt.Errorf("error analyzing: %w", err)
	}
	rep.Analyze = time.Since(t0)
	rep.Total = time.Since(start)
	rep.CasesByState, rep.CasesByKind = g.count.states, g.count.kinds
	for _, t := range syntheticTables {
		tr := TableRows{Table: t, Rows: g.count.rows[t]}
		if err := db.Pool.QueryRow(ctx, `SELECT pg_total_relation_size($1::regclass)`, t).Scan(&tr.Bytes); err != nil {
			return nil, fmt.Errorf("error reading the size of %s: %w", t, err)
		}
		rep.Tables = append(rep.Tables, tr)
	}
	if err := db.Pool.QueryRow(ctx, `SELECT pg_database_size(current_database())`).Scan(&rep.DatabaseBytes); err != nil {
		return nil, fmt.Errorf("error reading the database size: %w", err)
	}
	return rep, nil
}

// ErrHasProposals refuses a synthetic load into a database with proposals.
var ErrHasProposals = errors.New("the database already has proposals: the synthetic data loads only into a database without any (create an empty one and run banli migrate up)")

const (
	maxSyntheticProposals = 5_000_000
	syntheticChunk        = 5000
)

// SyntheticOptions tunes LoadSynthetic.
type SyntheticOptions struct {
	// Proposals is how many proposals to make.
	Proposals int
	// Seed makes the data: the same seed, Proposals and AsOf give the same
	// data.
	Seed uint64
	// AsOf is the day the data ends on (no event on or after it); zero
	// means the clock's today.
	AsOf workflow.Date
	// Clock decides which reminders are still ahead (nil: the system clock).
	Clock  workflow.Clock
	Logger *slog.Logger
}

// SyntheticReport says what LoadSynthetic made and how long it took.
type SyntheticReport struct {
	Proposals int
	Seed      uint64
	AsOf      workflow.Date
	Sessions  []string
	Tables    []TableRows
	// ActiveDeadlines counts the deadlines in force (all in the current
	// session); ReminderJobs the River jobs scheduled for them.
	ActiveDeadlines int
	ReminderJobs    int
	CasesByState    map[workflow.State]int
	CasesByKind     map[workflow.CaseKind]int
	// Generate is the time spent making rows in memory and Copy the time
	// sending them (the two overlap), Jobs scheduling reminders and
	// committing, Analyze the ANALYZE after.
	Generate, Copy, Jobs, Analyze, Total time.Duration
	DatabaseBytes                        int64
}

// TableRows is the rows LoadSynthetic wrote into a table, and the table's
// size with its indexes and TOAST afterwards.
type TableRows struct {
	Table string
	Rows  int64
	Bytes int64
}

// syntheticTables lists the tables LoadSynthetic writes, in order.
var syntheticTables = []string{"congress_sessions", "deadline_rules", "departments", "users", "user_roles", "deputies",
	"proposals", "proposal_deputies", "cases", "drafts", "communications", "replies", "publications", "feedback",
	"extensions", "deadlines", "case_events", "river_job"}

// gen holds what the generator shares across proposals.
type gen struct {
	cal    *workflow.Calendar
	rules  workflow.RuleSet
	policy workflow.ReminderPolicy
	end    time.Time // the as-of day's midnight: every event is before it
	seed   uint64
	log    *slog.Logger
	// proposals is how many the load makes.
	proposals int

	units       []*synthUnitRow
	unitWeights []int
	unitIndexes []int
	liaisons    []int64
	userNames   map[int64]string
	deputies    []deputyRow
	delegations [][]int // deputy indexes per delegation
	sessions    []*sessionPlan
	docSeq      map[docKey]int

	ids    idAlloc
	rows   chunkRows
	active []activeDeadline
	count  struct {
		states map[workflow.State]int
		kinds  map[workflow.CaseKind]int
		rows   map[string]int64
	}
	err error
}

type synthUnitRow struct {
	index              int
	id                 int64
	abbr               string
	u                  *synthUnit
	drafters           []int64
	reviewer, approver int64
}

type deputyRow struct {
	id         int64
	name       string
	delegation int
}

type docKey struct {
	unit, year int
}

// docNumber is the next document number (文号) of a unit in the year of t.
func (g *gen) docNumber(u *synthUnitRow, t time.Time) int {
	k := docKey{u.index, t.In(workflow.Zone()).Year()}
	g.docSeq[k]++
	return g.docSeq[k]
}

type sessionPlan struct {
	id            int64
	name, short   string
	opened        workflow.Date
	first, count  int // global proposal indexes
	width         int // digits of the number after the year
	current       bool
	recessFrom    workflow.Date
	recessUntil   workflow.Date
	batch, batch2 workflow.Date // 交办 days of the proposals made during the session
}

type replyRow struct {
	id, caseID       int64
	round            int
	draftID          int64
	class            workflow.ReplyClass
	disclosure       workflow.Disclosure
	reason, number   string
	contact, phone   string
	signedBy         int64
	signedAt, sentAt time.Time
	// sentDue is the reply due date in force when it was sent.
	sentDue workflow.Date
	search  pgtype.TSVector
	// summary is the summary published for 摘要公开; public the search
	// vector of the public text (storage.PublicSearchVector).
	summary string
	public  pgtype.TSVector
}

type publicationRow struct {
	id, replyID int64
	state       workflow.State
	title       string
	due         workflow.Date
	publishedAt time.Time
	withheld    string
}

type extensionRow struct {
	id, caseID             int64
	state                  workflow.ExtensionState
	reason, comment        string
	previousDue, wantedDue workflow.Date
	grantedDue, decideDue  workflow.Date
	requestedBy, decidedBy int64
	requestedAt, decidedAt time.Time
}

type deadlineRow struct {
	id, caseID         int64
	kind               workflow.DeadlineKind
	due                workflow.Date
	startedAt, endedAt time.Time
	endReason          string
}

type activeDeadline struct {
	id   int64
	kind workflow.DeadlineKind
	due  workflow.Date
}

// chunkRows holds the rows of a chunk of proposals until they are copied.
type chunkRows struct {
	proposals, proposalDeputies, cases, drafts, comms, feedback, events [][]any
	replies                                                             []*replyRow
	publications                                                        []*publicationRow
	extensions                                                          []*extensionRow
	deadlines                                                           []*deadlineRow
}

// idAlloc hands out the ids of the bulk tables from a block reserved in
// their identity sequences: COPY writes them explicitly, so that rows can
// refer to each other before they are sent.
type idAlloc struct {
	deputies, proposals, cases, drafts, comms, replies, publications, feedback, extensions, deadlines, events int64
}

func (a *idAlloc) fields() map[string]*int64 {
	return map[string]*int64{"deputies": &a.deputies, "proposals": &a.proposals, "cases": &a.cases, "drafts": &a.drafts,
		"communications": &a.comms, "replies": &a.replies, "publications": &a.publications, "feedback": &a.feedback,
		"extensions": &a.extensions, "deadlines": &a.deadlines, "case_events": &a.events}
}

func (a *idAlloc) next(p *int64) int64 {
	id := *p
	*p++
	return id
}

// reserve reads the next id of every bulk table; the tables are locked.
func (a *idAlloc) reserve(ctx context.Context, tx pgx.Tx) error {
	for table, p := range a.fields() {
		if err := tx.QueryRow(ctx, `SELECT nextval(pg_get_serial_sequence($1, 'id'))`, table).Scan(p); err != nil {
			return fmt.Errorf("error reading the id sequence of %s: %w", table, err)
		}
	}
	return nil
}

// release moves every sequence past the ids used.
func (a *idAlloc) release(ctx context.Context, tx pgx.Tx) error {
	for table, p := range a.fields() {
		if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), $2, false)`, table, *p); err != nil {
			return fmt.Errorf("error advancing the id sequence of %s: %w", table, err)
		}
	}
	return nil
}

// createPeople stores the departments, their users and the deputies.
func (g *gen) createPeople(ctx context.Context, tx pgx.Tx) error {
	r := rand.New(rand.NewPCG(g.seed, 1<<62))
	var liaisonID int64
	err := tx.QueryRow(ctx, `INSERT INTO departments (code, name, short_name, kind) VALUES ($1, $2, $3, 'liaison_office') RETURNING id`,
		synthLiaison.code, synthLiaison.name, synthLiaison.short).Scan(&liaisonID)
	if err != nil {
		return fmt.Errorf("error creating department %s (the synthetic data needs a database without its units): %w", synthLiaison.code, err)
	}
	addUser := func(dept int64, login string, role workflow.Role) (int64, error) {
		name := synthName(r)
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO users (department_id, name, email) VALUES ($1, $2, $3) RETURNING id`,
			dept, name, login+"@synthetic.example").Scan(&id)
		if err != nil {
			return 0, fmt.Errorf("error creating user %s: %w", login, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO user_roles (user_id, role) VALUES ($1, $2)`, id, string(role)); err != nil {
			return 0, fmt.Errorf("error granting %s to user %s: %w", role, login, err)
		}
		g.userNames[id] = name
		g.count.rows["users"]++
		g.count.rows["user_roles"]++
		return id, nil
	}
	for i := range 4 {
		id, err := addUser(liaisonID, fmt.Sprintf("%s.liaison%d", synthLiaison.code, i+1), roleLiaison)
		if err != nil {
			return err
		}
		g.liaisons = append(g.liaisons, id)
	}
	if _, err := addUser(liaisonID, "synthetic.admin", workflow.RoleAdmin); err != nil {
		return err
	}
	for i := range synthUnits {
		u := &synthUnits[i]
		row := &synthUnitRow{index: i, u: u, abbr: u.abbr}
		err := tx.QueryRow(ctx, `INSERT INTO departments (code, name, short_name, kind) VALUES ($1, $2, $3, 'unit') RETURNING id`,
			u.code, u.name, u.short).Scan(&row.id)
		if err != nil {
			return fmt.Errorf("error creating department %s (the synthetic data needs a database without its units): %w", u.code, err)
		}
		for k := range 2 {
			id, err := addUser(row.id, fmt.Sprintf("%s.drafter%d", u.code, k+1), roleDrafter)
			if err != nil {
				return err
			}
			row.drafters = append(row.drafters, id)
		}
		if row.reviewer, err = addUser(row.id, u.code+".reviewer", roleReviewer); err != nil {
			return err
		}
		if row.approver, err = addUser(row.id, u.code+".approver", roleApprover); err != nil {
			return err
		}
		g.units = append(g.units, row)
		g.unitWeights = append(g.unitWeights, len(u.topics))
	}
	g.count.rows["departments"] = int64(len(synthUnits) + 1)

	// Deputies: a congress of this size has a few thousand over a term.
	n := min(3000, max(120, g.proposals/25))
	g.delegations = make([][]int, len(synthDelegations))
	var rows [][]any
	for i := range n {
		del := i % len(synthDelegations)
		if r.IntN(4) == 0 {
			del = r.IntN(len(synthDelegations))
		}
		d := deputyRow{id: g.ids.next(&g.ids.deputies), name: synthName(r), delegation: del}
		g.deputies = append(g.deputies, d)
		g.delegations[del] = append(g.delegations[del], i)
		rows = append(rows, []any{d.id, d.name, synthDelegations[del], synthAffiliation(r, synthDelegations[del]),
			fmt.Sprintf("1%d%09d", 3+r.IntN(6), r.IntN(1_000_000_000)), ""})
	}
	return g.copy(ctx, tx, "deputies", []string{"id", "name", "delegation", "affiliation", "phone", "email"}, rows)
}

// copy sends rows into table with COPY.
func (g *gen) copy(ctx context.Context, tx pgx.Tx, table string, columns []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("error copying %s: %w", table, err)
	}
	g.count.rows[table] += n
	return nil
}

// planSessions stores the five sessions of the term, the last current on
// asOf, and divides the proposals among them.
func (g *gen) planSessions(ctx context.Context, tx pgx.Tx, asOf workflow.Date, n int) error {
	current := asOf.Year
	if asOf.Before(workflow.Date{Year: asOf.Year, Month: time.March, Day: 1}) {
		current--
	}
	ordinals := []string{"一", "二", "三", "四", "五"}
	weights := []int{18, 19, 20, 21, 22}
	first := 0
	for k := range 5 {
		year := current - 4 + k
		opened := g.workday(workflow.Date{Year: year, Month: time.January, Day: 5 + (k*2)%6}, 1)
		count := n * weights[k] / 100
		if k == 4 {
			count = n - first
		}
		s := &sessionPlan{name: "武汉市第十五届人民代表大会第" + ordinals[k] + "次会议", short: "市十五届人大" + ordinals[k] + "次会议",
			opened: opened, first: first, count: count, current: k == 4,
			width: max(4, len(strconv.Itoa(count)))}
		s.batch = g.workday(opened.AddDays(24), 1)
		s.batch2 = g.workday(opened.AddDays(38), 1)
		s.recessFrom = opened.AddDays(30)
		if k < 4 {
			s.recessUntil = g.workday(workflow.Date{Year: year + 1, Month: time.January, Day: 5}, -1).AddDays(-20)
		} else {
			s.recessUntil = asOf.AddDays(-12)
		}
		if s.recessUntil.Before(s.recessFrom) {
			s.recessFrom = s.recessUntil
		}
		first += count
		err := tx.QueryRow(ctx, `INSERT INTO congress_sessions (name, short_name, body, opened_on) VALUES ($1, $2, 'npc', $3) RETURNING id`,
			s.name, s.short, sqlDay(opened)).Scan(&s.id)
		if err != nil {
			return fmt.Errorf("error creating session %s: %w", s.short, err)
		}
		for _, name := range workflow.AllRuleNames() {
			rule := g.rules[name]
			if _, err := tx.Exec(ctx, `INSERT INTO deadline_rules (session_id, rule, amount, unit) VALUES ($1, $2, $3, $4)`,
				s.id, string(name), rule.Amount, string(rule.Unit)); err != nil {
				return fmt.Errorf("error storing rule %s of session %s: %w", name, s.short, err)
			}
			g.count.rows["deadline_rules"]++
		}
		g.count.rows["congress_sessions"]++
		g.sessions = append(g.sessions, s)
	}
	return nil
}

// workday returns d when it is a working day, else the nearest working day
// in direction dir (1 later, -1 earlier).
func (g *gen) workday(d workflow.Date, dir int) workflow.Date {
	for range 30 {
		ok, err := g.cal.IsWorkday(d)
		if err != nil {
			ok = d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
		}
		if ok {
			return d
		}
		d = d.AddDays(dir)
	}
	return d
}

// flush copies a chunk's rows, parents before children.
func (g *gen) flush(ctx context.Context, tx pgx.Tx, rows *chunkRows) error {
	var replies, pubs, exts, deadlines [][]any
	for _, r := range rows.replies {
		replies = append(replies, []any{r.id, r.caseID, r.round, r.draftID, string(r.class), string(r.disclosure), r.reason,
			r.number, r.contact, r.phone, r.signedBy, r.signedAt, nullTime(r.sentAt), sqlDay(r.sentDue), r.search, r.summary, r.public})
	}
	for _, p := range rows.publications {
		pubs = append(pubs, []any{p.id, p.replyID, string(p.state), p.title, sqlDay(p.due), nullTime(p.publishedAt), p.withheld})
	}
	for _, e := range rows.extensions {
		exts = append(exts, []any{e.id, e.caseID, string(e.state), e.reason, sqlDay(e.previousDue), sqlDay(e.wantedDue),
			sqlDay(e.grantedDue), e.comment, e.requestedBy, e.requestedAt, nullID(e.decidedBy), nullTime(e.decidedAt), sqlDay(e.decideDue)})
	}
	for _, d := range rows.deadlines {
		var reason any
		if d.endReason != "" {
			reason = d.endReason
		}
		deadlines = append(deadlines, []any{d.id, d.caseID, string(d.kind), sqlDay(d.due), d.startedAt, nullTime(d.endedAt), reason})
	}
	steps := []struct {
		table   string
		columns []string
		rows    [][]any
	}{
		{"proposals", []string{"id", "session_id", "number", "kind", "title", "body", "submitted_on", "created_at", "search_title", "search_body",
			"outcome", "outcome_reason", "outcome_destination", "outcome_by", "outcome_at"}, rows.proposals},
		{"proposal_deputies", []string{"proposal_id", "deputy_id", "lead", "position"}, rows.proposalDeputies},
		{"cases", []string{"id", "proposal_id", "department_id", "kind", "state", "round", "version", "assigned_at",
			"reply_due", "co_opinion_due", "return_due", "rehandle_due", "co_opinions_waived", "updated_at",
			"first_sent_at", "first_sent_due", "met", "latest_class", "latest_result_rating", "latest_work_rating"}, rows.cases},
		{"drafts", []string{"id", "case_id", "round", "version", "author_id", "sections", "created_at"}, rows.drafts},
		{"communications", []string{"id", "case_id", "method", "happened_on", "participants", "summary", "recorded_by", "created_at"}, rows.comms},
		{"replies", []string{"id", "case_id", "round", "draft_id", "class", "disclosure", "disclosure_reason", "document_number",
			"contact_person", "contact_phone", "signed_by", "signed_at", "sent_at", "sent_due", "search_text", "summary", "search_public"}, replies},
		{"publications", []string{"id", "reply_id", "state", "title", "due_on", "published_at", "withheld_reason"}, pubs},
		{"feedback", []string{"id", "case_id", "round", "reply_id", "work_rating", "result_rating", "contact_method", "met_by",
			"remarks", "recorded_by", "received_at"}, rows.feedback},
		{"extensions", []string{"id", "case_id", "state", "reason", "previous_due", "wanted_due", "granted_due", "decision_comment",
			"requested_by", "requested_at", "decided_by", "decided_at", "decide_due"}, exts},
		{"deadlines", []string{"id", "case_id", "kind", "due_on", "started_at", "ended_at", "end_reason"}, deadlines},
		{"case_events", []string{"id", "case_id", "seq", "machine", "action", "from_state", "to_state", "actor_id", "actor_role",
			"at", "payload", "prev_hash", "hash"}, rows.events},
	}
	for _, s := range steps {
		if err := g.copy(ctx, tx, s.table, s.columns, s.rows); err != nil {
			return err
		}
	}
	return nil
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// scheduleReminders inserts the reminder jobs of every active deadline: the
// notices still ahead of now, as storage schedules them when a deadline
// starts.
func (g *gen) scheduleReminders(ctx context.Context, tx pgx.Tx, db *storage.DB, now time.Time) (int, error) {
	if len(g.active) == 0 {
		return 0, nil
	}
	client, err := river.NewClient(riverpgxv5.New(db.Pool), &river.Config{})
	if err != nil {
		return 0, fmt.Errorf("error creating job inserter: %w", err)
	}
	var params []river.InsertManyParams
	total := 0
	send := func() error {
		if len(params) == 0 {
			return nil
		}
		if _, err := client.InsertManyTx(ctx, tx, params); err != nil {
			return fmt.Errorf("error scheduling reminders: %w", err)
		}
		total += len(params)
		params = params[:0]
		return nil
	}
	for _, d := range g.active {
		notices, err := g.cal.Notices(d.kind, d.due, g.policy, now)
		if err != nil {
			return 0, err
		}
		for _, n := range notices {
			args := storage.ReminderArgs{DeadlineID: d.id, Notice: n.Kind, Day: n.Day, WorkingDays: n.WorkingDays}
			opts := args.InsertOpts()
			opts.ScheduledAt = n.At
			params = append(params, river.InsertManyParams{Args: args, InsertOpts: &opts})
		}
		if len(params) >= 2000 {
			if err := send(); err != nil {
				return 0, err
			}
		}
	}
	if err := send(); err != nil {
		return 0, err
	}
	g.count.rows["river_job"] = int64(total)
	return total, nil
}
