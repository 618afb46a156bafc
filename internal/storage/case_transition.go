package storage

import (
	"context"
	"fmt"
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
	// At is when the action happens; zero means now.
	At time.Time
}

// Transition takes an action on a case in one transaction: it locks the
// case, checks the expected version (a stale one is a conflict and nothing is
// written), gathers the facts the guards need, asks the transition table,
// applies the action's effects, bumps the version, appends the audit event
// and commits. The returned case is as committed.
func (db *DB) Transition(ctx context.Context, cmd TransitionCmd) (*workflow.Case, error) {
	at := cmd.At
	if at.IsZero() {
		at = time.Now()
	}
	at = at.Truncate(time.Microsecond)
	if !cmd.Action.Valid() {
		return nil, workflow.Errorf(workflow.ErrInvalid, "unknown action %q", cmd.Action)
	}
	if cmd.Action == workflow.ActionAssign {
		return nil, workflow.Errorf(workflow.ErrInvalid, "assign creates a case: use Assign")
	}
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)

	c, err := scanCase(tx.QueryRow(ctx, `SELECT `+caseColumns+` FROM cases WHERE id = $1 FOR UPDATE`, cmd.CaseID))
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("case %d", cmd.CaseID))
	}
	if c.Version != cmd.ExpectedVersion {
		return nil, workflow.Errorf(workflow.ErrConflict,
			"案件已被他人修改，请刷新后重试 (case %d is at version %d, not %d: someone else changed it)", c.ID, c.Version, cmd.ExpectedVersion)
	}
	roles := cmd.Actor.RolesOn(c.DepartmentID)
	if len(roles) == 0 {
		return nil, workflow.Errorf(workflow.ErrForbidden, "无权办理其他单位的案件 (case %d belongs to another unit)", c.ID)
	}
	t := &transition{tx: tx, c: c, cmd: cmd, at: at, payload: map[string]any{}}
	facts, err := t.facts(ctx)
	if err != nil {
		return nil, err
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
		return nil, err
	}
	t.d = d
	if err := t.apply(ctx); err != nil {
		return nil, err
	}
	if d.Machine == workflow.MachineCase {
		c.State = d.To
	}
	c.Version++
	c.UpdatedAt = at
	_, err = tx.Exec(ctx, `
		UPDATE cases SET state = $2, version = $3, round = $4, reply_due = $5, rehandle_due = $6,
			co_opinions_waived = $7, updated_at = $8, reply_due_provisional = $9, rehandle_due_provisional = $10
		WHERE id = $1`,
		c.ID, string(c.State), c.Version, c.Round, sqlDate(c.ReplyDue), sqlDate(c.RehandleDue), c.CoOpinionsWaived, at,
		c.Provisional.Reply, c.Provisional.Rehandle)
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("case %d", c.ID))
	}
	if err := db.syncDeadlines(ctx, tx, c, at); err != nil {
		return nil, err
	}
	if s := strings.TrimSpace(cmd.Input.Comment); s != "" {
		t.payload["comment"] = s
	}
	ev := &workflow.Event{CaseID: c.ID, Machine: string(d.Machine), Action: string(d.Action), From: d.From, To: d.To,
		ActorID: cmd.Actor.UserID, ActorRole: string(d.Role), At: at, Payload: t.payload}
	if err := appendEvent(ctx, tx, ev); err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("error committing %s on case %d: %w", cmd.Action, c.ID, err)
	}
	return c, nil
}

// transition is the working state of one Transition call.
type transition struct {
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
}

// facts reads, under the case's lock, what the guards look at.
func (t *transition) facts(ctx context.Context) (workflow.Facts, error) {
	c := t.c
	f := workflow.Facts{Now: t.at, ReturnDue: c.ReturnDue, ReplyDue: c.ReplyDue,
		CoOpinionsWaived: c.CoOpinionsWaived, Input: t.cmd.Input}
	if a := t.cmd.Action; a == workflow.ActionRequestExtension || a == workflow.ActionGrantExtension {
		// The cap is computed now, with the calendar of the day the extension
		// is asked for or decided, not stored at assignment.
		dl, err := loadCaseDeadlines(ctx, t.tx, c.ProposalID)
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
	err := t.tx.QueryRow(ctx, `
		SELECT
			EXISTS (SELECT 1 FROM drafts WHERE case_id = $1 AND round = $2),
			(SELECT count(*) FROM cases WHERE proposal_id = $3 AND kind = 'co' AND state NOT IN ('opinion_submitted', 'returned')),
			coalesce((SELECT id FROM extensions WHERE case_id = $1 AND state = 'requested'), 0)`,
		c.ID, c.Round, c.ProposalID).Scan(&f.HasDraft, &f.CoOpinionsPending, &t.extID)
	if err != nil {
		return f, fmt.Errorf("error reading facts of case %d: %w", c.ID, err)
	}
	f.ExtensionPending = t.extID != 0
	if t.cmd.Action.Machine() == workflow.MachinePublication {
		var state, disclosure string
		err := t.tx.QueryRow(ctx, `
			SELECT p.id, p.state, r.disclosure FROM publications p JOIN replies r ON r.id = p.reply_id
			WHERE r.case_id = $1 ORDER BY r.round DESC LIMIT 1 FOR UPDATE OF p`, c.ID).Scan(&t.pubID, &state, &disclosure)
		if err == pgx.ErrNoRows {
			return f, workflow.Errorf(workflow.ErrConflict, "尚未答复，无可公开的答复 (case %d has no sent reply to %s)", c.ID, t.cmd.Action)
		}
		if err != nil {
			return f, fmt.Errorf("error reading the publication of case %d: %w", c.ID, err)
		}
		t.pubState, f.Disclosure = workflow.State(state), workflow.Disclosure(disclosure)
	}
	return f, nil
}

// apply writes the effects of the decided action beyond the state change.
func (t *transition) apply(ctx context.Context) error {
	c, in := t.c, t.cmd.Input
	switch t.d.Action {
	case workflow.ActionSign:
		if !c.Kind.RepliesToDeputy() {
			return nil // a co-opinion: the latest draft is the opinion
		}
		return t.sign(ctx)
	case workflow.ActionSend:
		return t.send(ctx)
	case workflow.ActionRecordFeedback:
		return t.recordFeedback(ctx)
	case workflow.ActionWaiveCoOpinions:
		c.CoOpinionsWaived = true
	case workflow.ActionRequestExtension:
		dl, err := loadCaseDeadlines(ctx, t.tx, c.ProposalID)
		if err != nil {
			return err
		}
		decideDue, err := dl.due(workflow.RuleExtensionDecision, workflow.DateOf(t.at))
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
	case workflow.ActionGrantExtension:
		_, err := t.tx.Exec(ctx, `
			UPDATE extensions SET state = 'granted', granted_due = $2, decision_comment = $3, decided_by = $4, decided_at = $5
			WHERE id = $1`, t.extID, sqlDate(in.Due), strings.TrimSpace(in.Comment), t.cmd.Actor.UserID, t.at)
		if err != nil {
			return dbError(err, "extension decision")
		}
		t.payload["previous_due"], t.payload["granted_due"] = c.ReplyDue.String(), in.Due.String()
		// The liaison chose the date: it is not provisional.
		c.ReplyDue, c.Provisional.Reply = in.Due, false
	case workflow.ActionRefuseExtension:
		_, err := t.tx.Exec(ctx, `
			UPDATE extensions SET state = 'refused', decision_comment = $2, decided_by = $3, decided_at = $4
			WHERE id = $1`, t.extID, strings.TrimSpace(in.Comment), t.cmd.Actor.UserID, t.at)
		if err != nil {
			return dbError(err, "extension decision")
		}
	case workflow.ActionPublish:
		if _, err := t.tx.Exec(ctx, `UPDATE publications SET state = 'published', published_at = $2 WHERE id = $1`, t.pubID, t.at); err != nil {
			return dbError(err, "publication")
		}
		t.payload["publication_id"] = t.pubID
	case workflow.ActionWithhold:
		_, err := t.tx.Exec(ctx, `UPDATE publications SET state = 'withheld', withheld_reason = $2 WHERE id = $1`,
			t.pubID, strings.TrimSpace(in.Comment))
		if err != nil {
			return dbError(err, "publication")
		}
		t.payload["publication_id"] = t.pubID
	}
	return nil
}

// sign stores the signed reply of the round: the latest draft with the class
// and disclosure the approver chose.
func (t *transition) sign(ctx context.Context) error {
	c, in := t.c, t.cmd.Input
	var draftID int64
	var version int
	err := t.tx.QueryRow(ctx, `SELECT id, version FROM drafts WHERE case_id = $1 AND round = $2 ORDER BY version DESC LIMIT 1`,
		c.ID, c.Round).Scan(&draftID, &version)
	if err == pgx.ErrNoRows {
		return workflow.Errorf(workflow.ErrConflict, "尚无答复稿 (case %d has no draft in round %d to sign)", c.ID, c.Round)
	}
	if err != nil {
		return fmt.Errorf("error reading the draft of case %d: %w", c.ID, err)
	}
	_, err = t.tx.Exec(ctx, `
		INSERT INTO replies (case_id, round, draft_id, class, disclosure, disclosure_reason, document_number,
			contact_person, contact_phone, signed_by, signed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		c.ID, c.Round, draftID, string(in.Class), string(in.Disclosure), strings.TrimSpace(in.DisclosureReason),
		strings.TrimSpace(in.DocumentNumber), strings.TrimSpace(t.cmd.ContactPerson), strings.TrimSpace(t.cmd.ContactPhone),
		t.cmd.Actor.UserID, t.at)
	if err != nil {
		return dbError(err, "reply")
	}
	t.payload["class"], t.payload["disclosure"], t.payload["draft_version"] = string(in.Class), string(in.Disclosure), version
	if in.DocumentNumber != "" {
		t.payload["document_number"] = strings.TrimSpace(in.DocumentNumber)
	}
	return nil
}

// send records that the round's reply went to the deputy and opens its
// publication with the publication deadline.
func (t *transition) send(ctx context.Context) error {
	c := t.c
	err := t.tx.QueryRow(ctx, `UPDATE replies SET sent_at = $3 WHERE case_id = $1 AND round = $2 AND sent_at IS NULL RETURNING id`,
		c.ID, c.Round, t.at).Scan(&t.replyID)
	if err != nil {
		return dbError(err, fmt.Sprintf("signed reply of case %d round %d", c.ID, c.Round))
	}
	var sessionID int64
	var short, number string
	err = t.tx.QueryRow(ctx, `
		SELECT s.id, s.short_name, p.number FROM proposals p JOIN congress_sessions s ON s.id = p.session_id
		WHERE p.id = $1`, c.ProposalID).Scan(&sessionID, &short, &number)
	if err != nil {
		return fmt.Errorf("error reading proposal %d: %w", c.ProposalID, err)
	}
	dl, err := loadDeadlines(ctx, t.tx, sessionID)
	if err != nil {
		return err
	}
	due, err := dl.due(workflow.RulePublication, workflow.DateOf(t.at))
	if err != nil {
		return err
	}
	_, err = t.tx.Exec(ctx, `INSERT INTO publications (reply_id, state, title, due_on, due_provisional) VALUES ($1, 'pending', $2, $3, $4)`,
		t.replyID, workflow.ReplyTitle(short, number), sqlDate(due.Date), due.Provisional)
	if err != nil {
		return dbError(err, "publication")
	}
	t.payload["reply_id"], t.payload["publication_due"] = t.replyID, due.Date.String()
	if due.Provisional {
		t.payload["provisional"] = []string{"publication_due"}
	}
	return nil
}

// recordFeedback stores the deputy's form; 不满意 opens the next round with
// its own due date from the rehandle rule.
func (t *transition) recordFeedback(ctx context.Context) error {
	c, in := t.c, t.cmd.Input
	method := t.cmd.ContactMethod
	if method == "" {
		method = workflow.ContactNone
	}
	if !method.Valid() {
		return workflow.Errorf(workflow.ErrInvalid, "contact_method: %q is not one of meeting, visit, phone, none", method)
	}
	var sessionID int64
	err := t.tx.QueryRow(ctx, `
		SELECT r.id, p.session_id FROM replies r JOIN cases c ON c.id = r.case_id JOIN proposals p ON p.id = c.proposal_id
		WHERE r.case_id = $1 AND r.round = $2 AND r.sent_at IS NOT NULL`, c.ID, c.Round).Scan(&t.replyID, &sessionID)
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
	if t.d.To == workflow.StateRehandling {
		dl, err := loadDeadlines(ctx, t.tx, sessionID)
		if err != nil {
			return err
		}
		due, err := dl.due(workflow.RuleRehandle, workflow.DateOf(t.at))
		if err != nil {
			return err
		}
		c.Round++
		c.RehandleDue, c.ReplyDue = due.Date, due.Date
		c.Provisional.Rehandle, c.Provisional.Reply = due.Provisional, due.Provisional
		t.payload["rehandle_due"] = due.Date.String()
		if due.Provisional {
			t.payload["provisional"] = []string{"rehandle_due"}
		}
	}
	return nil
}
