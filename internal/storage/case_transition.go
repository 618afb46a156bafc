package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/banli-gov/banli/workflow"
)

// TransitionCmd asks to take an action on a case (or on its reply's
// publication) as an actor who last saw the case at ExpectedVersion.
type TransitionCmd struct {
	CaseID          int64
	Action          workflow.Action
	Actor           workflow.Actor
	ExpectedVersion int
	Input           workflow.Input
	// ContactPerson and ContactPhone go on the signed reply (sign).
	ContactPerson string
	ContactPhone  string
	// ContactMethod, MetBy and Remarks complete the feedback form (record_feedback).
	ContactMethod workflow.ContactMethod
	MetBy         string
	Remarks       string
	// At is when the action happens; zero means now on db.Clock.
	At time.Time
	// Backfill records a step taken earlier (the demo's history, old data
	// brought in): no one is notified of it, as no one is reminded of a
	// deadline already past.
	Backfill bool
}

// Transition takes an action on a case in one transaction: it locks the
// case, checks the expected version (a stale one is a conflict and nothing is
// written), gathers the facts the guards need, asks the transition table,
// applies the action's effects, bumps the version, appends the audit event,
// notifies whoever acts next (notifyHandOff; not for a Backfill) and commits.
// An action that ends the whole suggestion (撤回, 不作为建议处理) does so on
// every open case of it, in the same transaction (endProposal). The
// returned case is as committed.
func (db *DB) Transition(ctx context.Context, cmd TransitionCmd) (*workflow.Case, error) {
	at := cmd.At
	if at.IsZero() {
		at = db.Clock.Now()
	}
	at = at.Truncate(time.Microsecond)
	if !cmd.Action.Valid() {
		return nil, &workflow.Error{Code: workflow.ErrInvalid, Rule: "unknown_action", Message: "没有这项操作，请刷新页面后从页面上的按钮办理。",
			Detail: fmt.Sprintf("unknown action %q", cmd.Action)}
	}
	if cmd.Action == workflow.ActionAssign {
		return nil, workflow.Errorf(workflow.ErrInvalid, "assign creates a case: use Assign")
	}
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	var c *workflow.Case
	if cmd.Action.ProposalWide() {
		c, err = db.endProposal(ctx, tx, cmd, at)
	} else {
		c, err = db.transitionOne(ctx, tx, cmd, at)
	}
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("error committing %s on case %d: %w", cmd.Action, c.ID, err)
	}
	return c, nil
}

// transitionOne locks the case of cmd, checks its version and takes the
// action on it in tx.
func (db *DB) transitionOne(ctx context.Context, tx pgx.Tx, cmd TransitionCmd, at time.Time) (*workflow.Case, error) {
	c, err := scanCase(tx.QueryRow(ctx, `SELECT `+caseColumns+` FROM cases WHERE id = $1 FOR UPDATE`, cmd.CaseID))
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("case %d", cmd.CaseID))
	}
	if err := checkVersion(c, cmd.ExpectedVersion); err != nil {
		return nil, err
	}
	if c.Kind == workflow.KindLead {
		// A lead case's facts count its proposal's co-opinions: lock the
		// proposal (after the case; assignment locks it too) so that no
		// co-unit is assigned between the count and the commit.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM proposals WHERE id = $1 FOR NO KEY UPDATE`, c.ProposalID); err != nil {
			return nil, fmt.Errorf("error locking proposal %d: %w", c.ProposalID, err)
		}
	}
	return c, db.transitionLocked(ctx, tx, c, cmd, at)
}

// checkVersion refuses an action on a case the actor saw at another version.
func checkVersion(c *workflow.Case, expected int) error {
	if c.Version != expected {
		return &workflow.Error{Code: workflow.ErrConflict, Rule: "stale_version",
			Message: "该建议刚被其他人办理过（页面已过期），请刷新后重新操作。",
			Detail:  fmt.Sprintf("case %d is at version %d, not %d", c.ID, c.Version, expected)}
	}
	return nil
}

// endProposal takes an action that ends the whole suggestion (撤回, 不作为建议
// 处理; workflow.Action.ProposalWide) on every case of it still open, in tx:
// it locks all the suggestion's cases (by id, then the proposal, so that it
// waits for, and never deadlocks with, a transition of one of them), checks
// the version of the case acted from, and takes the action on that case
// first — its refusal is the answer — then on each other open case, each
// with its own audit event, deadlines ended (reminders cancelled) and
// hand-off. It returns the case acted from.
func (db *DB) endProposal(ctx context.Context, tx pgx.Tx, cmd TransitionCmd, at time.Time) (*workflow.Case, error) {
	rows, err := tx.Query(ctx, `SELECT `+caseColumns+` FROM cases
		WHERE proposal_id = (SELECT proposal_id FROM cases WHERE id = $1) ORDER BY id FOR UPDATE`, cmd.CaseID)
	if err != nil {
		return nil, fmt.Errorf("error locking the cases of case %d's suggestion: %w", cmd.CaseID, err)
	}
	cases, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*workflow.Case, error) { return scanCase(r) })
	if err != nil {
		return nil, fmt.Errorf("error locking the cases of case %d's suggestion: %w", cmd.CaseID, err)
	}
	i := slices.IndexFunc(cases, func(c *workflow.Case) bool { return c.ID == cmd.CaseID })
	if i < 0 {
		return nil, dbError(pgx.ErrNoRows, fmt.Sprintf("case %d", cmd.CaseID))
	}
	target := cases[i]
	if _, err := tx.Exec(ctx, `SELECT 1 FROM proposals WHERE id = $1 FOR NO KEY UPDATE`, target.ProposalID); err != nil {
		return nil, fmt.Errorf("error locking proposal %d: %w", target.ProposalID, err)
	}
	if err := checkVersion(target, cmd.ExpectedVersion); err != nil {
		return nil, err
	}
	if err := db.transitionLocked(ctx, tx, target, cmd, at); err != nil {
		return nil, err
	}
	for _, c := range cases {
		if c.ID == target.ID || c.State.Terminal() {
			continue
		}
		one := cmd
		one.CaseID, one.ExpectedVersion = c.ID, c.Version
		if err := db.transitionLocked(ctx, tx, c, one, at); err != nil {
			return nil, err
		}
	}
	if cmd.Action.ReleasesMerged() {
		if err := releaseMerged(ctx, tx, target, cmd, at); err != nil {
			return nil, err
		}
	}
	return target, nil
}

// releaseMerged dissolves the merges (并案) of the suggestions merged into
// main's suggestion, which just ended (workflow.Action.ReleasesMerged): they
// moved only with it and go on each on its own now, their cases where they
// are. Each of their cases records the release in its audit chain.
func releaseMerged(ctx context.Context, tx pgx.Tx, main *workflow.Case, cmd TransitionCmd, at time.Time) error {
	rows, err := tx.Query(ctx, `DELETE FROM proposal_merges WHERE main_proposal_id = $1 RETURNING proposal_id`, main.ProposalID)
	if err != nil {
		return fmt.Errorf("error releasing the suggestions merged into proposal %d: %w", main.ProposalID, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(ids) == 0 {
		return err
	}
	var number string
	if err := tx.QueryRow(ctx, `SELECT number FROM proposals WHERE id = $1`, main.ProposalID).Scan(&number); err != nil {
		return fmt.Errorf("error reading proposal %d: %w", main.ProposalID, err)
	}
	for _, id := range ids {
		rows, err := tx.Query(ctx, `SELECT `+caseColumns+` FROM cases WHERE proposal_id = $1 ORDER BY id FOR UPDATE`, id)
		if err != nil {
			return fmt.Errorf("error locking the cases of proposal %d: %w", id, err)
		}
		cases, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*workflow.Case, error) { return scanCase(r) })
		if err != nil {
			return fmt.Errorf("error locking the cases of proposal %d: %w", id, err)
		}
		for _, c := range cases {
			ev := &workflow.Event{CaseID: c.ID, Machine: "record", Action: string(workflow.RecordUnmerge), From: c.State, To: c.State,
				ActorID: cmd.Actor.UserID, ActorRole: string(workflow.RoleLiaison), At: at,
				Payload: map[string]any{"merged_into": number, "ended": string(cmd.Action)}}
			if err := appendEvent(ctx, tx, ev); err != nil {
				return err
			}
		}
	}
	return nil
}

// transitionLocked takes the action of cmd on case c, locked in tx: it
// gathers the facts the guards need, asks the transition table, applies the
// action's effects, bumps the version, syncs the deadlines and their
// reminder jobs, appends the audit event and notifies whoever acts next
// (not for a Backfill). c is updated to the case as written.
func (db *DB) transitionLocked(ctx context.Context, tx pgx.Tx, c *workflow.Case, cmd TransitionCmd, at time.Time) error {
	roles := cmd.Actor.RolesOn(c.DepartmentID)
	if len(roles) == 0 {
		return &workflow.Error{Code: workflow.ErrForbidden, Rule: "other_unit",
			Message: "这件建议由其他单位承办，您不能办理。", Detail: fmt.Sprintf("case %d belongs to another unit", c.ID)}
	}
	t := &transition{db: db, tx: tx, c: c, cmd: cmd, at: at, payload: map[string]any{}}
	facts, err := t.facts(ctx)
	if err != nil {
		return err
	}
	from := c.State
	if cmd.Action.Machine() == workflow.MachinePublication {
		from = t.pubState
	}
	kind := c.Kind
	if cmd.Action.Machine() == workflow.MachinePublication {
		kind = ""
	}
	d, err := workflow.Decide(workflow.Request{Kind: kind, From: from, Action: cmd.Action, Roles: roles, Facts: facts})
	if err != nil {
		return err
	}
	t.d = d
	if err := t.apply(ctx); err != nil {
		return err
	}
	if err := t.save(ctx); err != nil {
		return err
	}
	if d.Machine == workflow.MachineCase && workflow.Follows(d.Action) {
		if err := t.follow(ctx); err != nil {
			return err
		}
	}
	if !cmd.Backfill {
		if err := db.notifyHandOff(ctx, tx, c, d, cmd.Actor.UserID, cmd.Input); err != nil {
			return err
		}
	}
	return nil
}

// save writes the decided state change of the case: the new state, the
// version, the dates its effects set, its deadlines and the audit event.
func (t *transition) save(ctx context.Context) error {
	c, d, at := t.c, t.d, t.at
	if d.Machine == workflow.MachineCase {
		c.State = d.To
	}
	c.Version++
	c.UpdatedAt = at
	_, err := t.tx.Exec(ctx, `
		UPDATE cases SET state = $2, version = $3, round = $4, reply_due = $5, rehandle_due = $6,
			co_opinions_waived = $7, updated_at = $8, reply_due_provisional = $9, rehandle_due_provisional = $10
		WHERE id = $1`,
		c.ID, string(c.State), c.Version, c.Round, sqlDate(c.ReplyDue), sqlDate(c.RehandleDue), c.CoOpinionsWaived, at,
		c.Provisional.Reply, c.Provisional.Rehandle)
	if err != nil {
		return dbError(err, fmt.Sprintf("case %d", c.ID))
	}
	if err := t.db.syncDeadlines(ctx, t.tx, c, at); err != nil {
		return err
	}
	if s := strings.TrimSpace(t.cmd.Input.Comment); s != "" {
		t.payload["comment"] = s
	}
	ev := &workflow.Event{CaseID: c.ID, Machine: string(d.Machine), Action: string(d.Action), From: d.From, To: d.To,
		ActorID: t.cmd.Actor.UserID, ActorRole: string(d.Role), At: at, Payload: t.payload}
	return appendEvent(ctx, t.tx, ev)
}

// follow moves the cases of the suggestions merged into this case's
// suggestion (并案) along with it, in the same transaction
// (workflow.MergeFollows, workflow.Follow): each takes the same step, with
// its own effects — at sign-off a reply of its own from this case's signed
// draft, at sending its own publication — its own deadlines and its own
// audit event naming the main suggestion. Nobody is notified of the
// followers' steps: the unit acts on the main case.
func (t *transition) follow(ctx context.Context) error {
	rows, err := t.tx.Query(ctx, `SELECT `+prefixed("c", caseColumns)+` FROM cases c
		JOIN proposal_merges m ON m.proposal_id = c.proposal_id
		WHERE m.main_proposal_id = $1 AND c.kind IN ('lead', 'separate') AND c.state = $2
		ORDER BY c.id FOR UPDATE OF c`, t.c.ProposalID, string(t.d.From))
	if err != nil {
		return fmt.Errorf("error reading the merged cases of case %d: %w", t.c.ID, err)
	}
	followers, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*workflow.Case, error) { return scanCase(row) })
	if err != nil {
		return fmt.Errorf("error reading the merged cases of case %d: %w", t.c.ID, err)
	}
	if len(followers) == 0 {
		return nil
	}
	var number string
	if err := t.tx.QueryRow(ctx, `SELECT number FROM proposals WHERE id = $1`, t.c.ProposalID).Scan(&number); err != nil {
		return fmt.Errorf("error reading proposal %d: %w", t.c.ProposalID, err)
	}
	for _, fc := range followers {
		ft := &transition{db: t.db, tx: t.tx, c: fc, cmd: t.cmd, at: t.at,
			payload: map[string]any{"merged_into": number, "main_case_id": t.c.ID}, draftCase: t.c}
		ft.d = workflow.Follow(t.d, fc.Kind, t.at)
		if err := ft.apply(ctx); err != nil {
			return err
		}
		if err := ft.save(ctx); err != nil {
			return err
		}
	}
	return nil
}

// prefixed qualifies a column list with a table alias.
func prefixed(alias, columns string) string {
	parts := strings.Split(columns, ",")
	for i, p := range parts {
		parts[i] = alias + "." + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// transition is the working state of one Transition call.
type transition struct {
	db       *DB
	tx       pgx.Tx
	c        *workflow.Case
	cmd      TransitionCmd
	at       time.Time
	d        workflow.Decision
	payload  map[string]any
	pubID    int64
	pubState workflow.State
	replyID  int64
	extID    int64
	dl       *deadlines
	// draftCase is the case whose draft a merged case's reply is signed
	// from (its main case); nil for the case's own draft.
	draftCase *workflow.Case
}

// facts reads, under the case's lock, what the guards look at.
func (t *transition) facts(ctx context.Context) (workflow.Facts, error) {
	c := t.c
	f := workflow.Facts{Now: t.at, ReturnDue: c.ReturnDue, ReplyDue: c.ReplyDue,
		CoOpinionsWaived: c.CoOpinionsWaived, Input: t.cmd.Input}
	if a := t.cmd.Action; a == workflow.ActionRequestExtension || a == workflow.ActionGrantExtension {
		// The cap is computed now, with the calendar of the day the extension
		// is asked for or decided, not stored at assignment.
		dl, err := t.db.loadCaseDeadlines(ctx, t.tx, c.ProposalID)
		if err != nil {
			return f, err
		}
		limit, err := dl.cal.ExtensionCap(dl.rules, c)
		if err != nil {
			return f, err
		}
		f.ExtensionCap = limit.Date
		t.payload["extension_cap"] = limit.Date.String()
		if limit.Provisional {
			t.payload["extension_cap_provisional"] = true
		}
	}
	cf, err := readCaseFacts(ctx, t.tx, c)
	if err != nil {
		return f, err
	}
	cf.fill(&f)
	t.extID = cf.extID
	if t.cmd.Actor.UserID != 0 {
		// Read under the transaction: an admin may have just changed it.
		if err := t.tx.QueryRow(ctx, `SELECT principal_leader FROM users WHERE id = $1`, t.cmd.Actor.UserID).Scan(&f.SignerPrincipal); err != nil {
			return f, dbError(err, fmt.Sprintf("user %d", t.cmd.Actor.UserID))
		}
	}
	if t.cmd.Action.Machine() == workflow.MachinePublication {
		var state, disclosure string
		err := t.tx.QueryRow(ctx, `
			SELECT p.id, p.state, r.disclosure FROM publications p JOIN replies r ON r.id = p.reply_id
			WHERE r.case_id = $1 ORDER BY r.round DESC LIMIT 1 FOR UPDATE OF p`, c.ID).Scan(&t.pubID, &state, &disclosure)
		if err == pgx.ErrNoRows {
			return f, &workflow.Error{Code: workflow.ErrConflict, Rule: "no_sent_reply",
				Message: "该建议还没有答复代表，没有可以公开的答复。", Detail: fmt.Sprintf("case %d has no sent reply to %s", c.ID, t.cmd.Action)}
		}
		if err != nil {
			return f, fmt.Errorf("error reading the publication of case %d: %w", c.ID, err)
		}
		t.pubState, f.Disclosure = workflow.State(state), workflow.Disclosure(disclosure)
	}
	return f, nil
}

// apply writes the effects of the decided action beyond the state change,
// in their order. It knows effects, not actions: what an action does is
// workflow's decision (Decision.Effects).
func (t *transition) apply(ctx context.Context) error {
	for _, e := range t.d.Effects {
		if err := t.applyEffect(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

func (t *transition) applyEffect(ctx context.Context, e workflow.Effect) error {
	c, in := t.c, t.cmd.Input
	switch e.Kind {
	case workflow.EffectSetDue, workflow.EffectNewRound, workflow.EffectWaiveCoOpinions:
		return applyCaseEffect(c, e, t.payload, func(r workflow.RuleName, from workflow.Date) (workflow.DueDate, error) {
			return t.due(ctx, r, from)
		})
	case workflow.EffectCreateReply:
		return t.sign(ctx)
	case workflow.EffectSendReply:
		return t.send(ctx)
	case workflow.EffectCreatePublication:
		return t.createPublication(ctx, e)
	case workflow.EffectRecordFeedback:
		return t.recordFeedback(ctx)
	case workflow.EffectRequestExtension:
		decideDue, err := t.due(ctx, e.Rule, e.From)
		if err != nil {
			return err
		}
		_, err = t.tx.Exec(ctx, `
			INSERT INTO extensions (case_id, state, reason, previous_due, wanted_due, requested_by, requested_at, decide_due,
				decide_due_provisional)
			VALUES ($1, 'requested', $2, $3, $4, $5, $6, $7, $8)`,
			c.ID, strings.TrimSpace(in.Comment), sqlDate(c.ReplyDue), sqlDate(in.Due), t.cmd.Actor.UserID, t.at,
			sqlDate(decideDue.Date), decideDue.Provisional)
		if err != nil {
			return dbError(err, "extension request")
		}
		t.payload["wanted_due"], t.payload["decide_due"] = in.Due.String(), decideDue.Date.String()
	case workflow.EffectDecideExtension:
		var grantedDue any // NULL unless granted
		if e.Extension == workflow.ExtensionGranted {
			grantedDue = sqlDate(in.Due)
			t.payload["previous_due"], t.payload["granted_due"] = c.ReplyDue.String(), in.Due.String()
		}
		_, err := t.tx.Exec(ctx, `
			UPDATE extensions SET state = $2, granted_due = $3, decision_comment = $4, decided_by = $5, decided_at = $6
			WHERE id = $1`, t.extID, string(e.Extension), grantedDue, strings.TrimSpace(in.Comment), t.cmd.Actor.UserID, t.at)
		if err != nil {
			return dbError(err, "extension decision")
		}
	case workflow.EffectEndProposal:
		// Every open case of the suggestion applies it; the same values each time.
		_, err := t.tx.Exec(ctx, `
			UPDATE proposals SET outcome = $2, outcome_reason = $3, outcome_destination = $4, outcome_by = $5, outcome_at = $6
			WHERE id = $1`, c.ProposalID, string(e.State), strings.TrimSpace(in.Comment), t.destination(e.State),
			t.cmd.Actor.UserID, t.at)
		if err != nil {
			return dbError(err, "outcome of the suggestion")
		}
		t.payload["outcome"] = string(e.State)
		if d := t.destination(e.State); d != "" {
			t.payload["destination"] = d
		}
	case workflow.EffectSetPublication:
		var err error
		switch e.State {
		case workflow.StatePublished:
			_, err = t.tx.Exec(ctx, `UPDATE publications SET state = 'published', published_at = $2 WHERE id = $1`, t.pubID, t.at)
		case workflow.StateWithheld:
			_, err = t.tx.Exec(ctx, `UPDATE publications SET state = 'withheld', withheld_reason = $2 WHERE id = $1`,
				t.pubID, strings.TrimSpace(in.Comment))
		default:
			return fmt.Errorf("error applying %s: publication state %q", e.Kind, e.State)
		}
		if err != nil {
			return dbError(err, "publication")
		}
		t.payload["publication_id"] = t.pubID
	default:
		return fmt.Errorf("error applying effect %q of %s: unknown effect", e.Kind, t.d.Action)
	}
	return nil
}

// destination is where a converted suggestion went; "" for any other end.
func (t *transition) destination(end workflow.State) string {
	if end != workflow.StateConverted {
		return ""
	}
	return strings.TrimSpace(t.cmd.Input.Destination)
}

// applyCaseEffect applies an effect on the case row itself, recording a due
// date the effect marks for the audit in payload, and whether it is
// provisional.
func applyCaseEffect(c *workflow.Case, e workflow.Effect, payload map[string]any, due func(workflow.RuleName, workflow.Date) (workflow.DueDate, error)) error {
	if err := e.Apply(c, due); err != nil {
		return err
	}
	if e.Kind == workflow.EffectSetDue && e.Audit {
		if d := c.Date(e.Date); !d.IsZero() {
			payload[string(e.Date)] = d.String()
			if c.DateProvisional(e.Date) {
				addProvisional(payload, string(e.Date))
			}
		}
	}
	return nil
}

// addProvisional lists key among an event's provisional due dates (暂定),
// which the timeline names.
func addProvisional(payload map[string]any, key string) {
	keys, _ := payload["provisional"].([]string)
	payload["provisional"] = append(keys, key)
}

// due counts a rule's period from a day on the rules of the case's session
// and the calendar, loaded once per transition.
func (t *transition) due(ctx context.Context, r workflow.RuleName, from workflow.Date) (workflow.DueDate, error) {
	if t.dl == nil {
		dl, err := t.db.loadCaseDeadlines(ctx, t.tx, t.c.ProposalID)
		if err != nil {
			return workflow.DueDate{}, err
		}
		t.dl = dl
	}
	return t.dl.due(r, from)
}

// sign stores the signed reply of the round: the latest draft with the class
// and disclosure the approver chose.
func (t *transition) sign(ctx context.Context) error {
	c, in := t.c, t.cmd.Input
	var draftID int64
	var version int
	var sections []workflow.Section
	from := c
	if t.draftCase != nil {
		from = t.draftCase
		t.payload["draft_case_id"] = from.ID
	}
	err := t.tx.QueryRow(ctx, `SELECT id, version, sections FROM drafts WHERE case_id = $1 AND round = $2 ORDER BY version DESC LIMIT 1`,
		from.ID, from.Round).Scan(&draftID, &version, &sections)
	if err == pgx.ErrNoRows {
		return &workflow.Error{Code: workflow.ErrConflict, Rule: "no_draft", Message: "还没有答复稿，不能签发；请承办人先保存答复稿。",
			Detail: fmt.Sprintf("case %d has no draft in round %d to sign", c.ID, c.Round)}
	}
	if err != nil {
		return fmt.Errorf("error reading the draft of case %d: %w", c.ID, err)
	}
	withheld, err := workflow.CheckPassages(sections, in.Withheld)
	if err != nil {
		return err
	}
	signed := workflow.SignedText{Sections: sections, Disclosure: in.Disclosure, Summary: strings.TrimSpace(in.Summary), Withheld: withheld}
	if withheld == nil {
		withheld = []workflow.Passage{}
	}
	_, err = t.tx.Exec(ctx, `
		INSERT INTO replies (case_id, round, draft_id, class, disclosure, disclosure_reason, document_number,
			contact_person, contact_phone, signed_by, signed_at, search_text, summary, withheld, search_public)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		c.ID, c.Round, draftID, string(in.Class), string(in.Disclosure), strings.TrimSpace(in.DisclosureReason),
		strings.TrimSpace(in.DocumentNumber), strings.TrimSpace(t.cmd.ContactPerson), strings.TrimSpace(t.cmd.ContactPhone),
		t.cmd.Actor.UserID, t.at, ReplySearchVector(sections), signed.Summary, withheld, PublicSearchVector(signed))
	if err != nil {
		return dbError(err, "reply")
	}
	t.payload["class"], t.payload["disclosure"], t.payload["draft_version"] = string(in.Class), string(in.Disclosure), version
	if len(withheld) > 0 {
		t.payload["withheld_passages"] = len(withheld)
	}
	if in.DocumentNumber != "" {
		t.payload["document_number"] = strings.TrimSpace(in.DocumentNumber)
	}
	return nil
}

// send records that the round's reply went to the deputy, with the reply
// due date in force (for 按时办复率).
func (t *transition) send(ctx context.Context) error {
	c := t.c
	err := t.tx.QueryRow(ctx, `UPDATE replies SET sent_at = $3, sent_due = $4 WHERE case_id = $1 AND round = $2 AND sent_at IS NULL RETURNING id`,
		c.ID, c.Round, t.at, sqlDate(c.ReplyDue)).Scan(&t.replyID)
	if err != nil {
		return dbError(err, fmt.Sprintf("signed reply of case %d round %d", c.ID, c.Round))
	}
	t.payload["reply_id"] = t.replyID
	return nil
}

// createPublication opens the publication of the reply just sent, with the
// publication deadline the effect counts.
func (t *transition) createPublication(ctx context.Context, e workflow.Effect) error {
	c := t.c
	var short, number string
	err := t.tx.QueryRow(ctx, `
		SELECT s.short_name, p.number FROM proposals p JOIN congress_sessions s ON s.id = p.session_id
		WHERE p.id = $1`, c.ProposalID).Scan(&short, &number)
	if err != nil {
		return fmt.Errorf("error reading proposal %d: %w", c.ProposalID, err)
	}
	due, err := t.due(ctx, e.Rule, e.From)
	if err != nil {
		return err
	}
	_, err = t.tx.Exec(ctx, `INSERT INTO publications (reply_id, state, title, due_on, due_provisional) VALUES ($1, 'pending', $2, $3, $4)`,
		t.replyID, workflow.ReplyTitle(short, number), sqlDate(due.Date), due.Provisional)
	if err != nil {
		return dbError(err, "publication")
	}
	t.payload["publication_due"] = due.Date.String()
	if due.Provisional {
		addProvisional(t.payload, "publication_due")
	}
	return nil
}

// recordFeedback stores the deputy's form on the round's sent reply.
func (t *transition) recordFeedback(ctx context.Context) error {
	c, in := t.c, t.cmd.Input
	method := t.cmd.ContactMethod
	if method == "" {
		method = workflow.ContactNone
	}
	if !method.Valid() {
		return &workflow.Error{Code: workflow.ErrInvalid, Rule: "contact_method", Message: "请从列表中选择与代表沟通的方式。",
			Detail: fmt.Sprintf("contact method %q is not one of meeting, visit, phone, none", method)}
	}
	err := t.tx.QueryRow(ctx, `SELECT r.id FROM replies r WHERE r.case_id = $1 AND r.round = $2 AND r.sent_at IS NOT NULL`,
		c.ID, c.Round).Scan(&t.replyID)
	if err != nil {
		return dbError(err, fmt.Sprintf("sent reply of case %d round %d", c.ID, c.Round))
	}
	var recordedBy *int64
	if t.cmd.Actor.UserID != 0 {
		recordedBy = &t.cmd.Actor.UserID
	}
	_, err = t.tx.Exec(ctx, `
		INSERT INTO feedback (case_id, round, reply_id, work_rating, result_rating, contact_method, met_by, remarks, recorded_by, received_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		c.ID, c.Round, t.replyID, string(in.WorkRating), string(in.ResultRating), string(method),
		strings.TrimSpace(t.cmd.MetBy), strings.TrimSpace(t.cmd.Remarks), recordedBy, t.at)
	if err != nil {
		return dbError(err, "feedback")
	}
	t.payload["work_rating"], t.payload["result_rating"], t.payload["round"] = string(in.WorkRating), string(in.ResultRating), c.Round
	return nil
}
