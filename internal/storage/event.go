package storage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/banli-gov/banli/workflow"
)

// eventHash is the chain link of an event: sha256(prev || canonical), where
// canonical is a JSON array of the event's fields with the payload's keys
// sorted and the time in UTC with microseconds (what PostgreSQL keeps).
func eventHash(prev []byte, e *workflow.Event) ([]byte, error) {
	payload, err := canonicalJSON(e.Payload)
	if err != nil {
		return nil, err
	}
	canon, err := json.Marshal([]any{
		e.CaseID, e.Seq, e.Machine, e.Action, string(e.From), string(e.To),
		e.ActorID, e.ActorRole, e.At.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano),
		json.RawMessage(payload),
	})
	if err != nil {
		return nil, fmt.Errorf("error encoding event: %w", err)
	}
	h := sha256.New()
	h.Write(prev)
	h.Write(canon)
	return h.Sum(nil), nil
}

// EventHash is the chain link of event e after the link prev (nil for a
// case's first event): what appendEvent stores and VerifyAudit checks. Bulk
// loaders (the synthetic demo data) that write case_events themselves use it
// so that their chains verify; e.At must already be in UTC and truncated to
// microseconds, as PostgreSQL keeps it.
func EventHash(prev []byte, e *workflow.Event) ([]byte, error) {
	return eventHash(prev, e)
}

// canonicalJSON encodes v with map keys sorted, through a decode with
// json.Number so that numbers keep their text: the same bytes before
// insertion and after reading the jsonb back.
func canonicalJSON(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("error encoding event payload: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return nil, fmt.Errorf("error decoding event payload: %w", err)
	}
	if generic == nil {
		generic = map[string]any{}
	}
	return json.Marshal(generic)
}

// appendEvent adds e to its case's chain inside tx. The caller holds the
// case's row lock, so seq and prev_hash cannot race.
func appendEvent(ctx context.Context, tx pgx.Tx, e *workflow.Event) error {
	var prev []byte
	var seq int
	err := tx.QueryRow(ctx,
		`SELECT seq, hash FROM case_events WHERE case_id = $1 ORDER BY seq DESC LIMIT 1`, e.CaseID).Scan(&seq, &prev)
	if err != nil && err != pgx.ErrNoRows {
		return fmt.Errorf("error reading the last event of case %d: %w", e.CaseID, err)
	}
	e.Seq = seq + 1
	e.PrevHash = prev
	e.At = e.At.UTC().Truncate(time.Microsecond)
	if e.Payload == nil {
		e.Payload = map[string]any{}
	}
	if e.Hash, err = eventHash(prev, e); err != nil {
		return err
	}
	payload, err := canonicalJSON(e.Payload)
	if err != nil {
		return err
	}
	var actor *int64
	if e.ActorID != 0 {
		actor = &e.ActorID
	}
	err = tx.QueryRow(ctx, `
		INSERT INTO case_events (case_id, seq, machine, action, from_state, to_state, actor_id, actor_role, at, payload, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		e.CaseID, e.Seq, e.Machine, e.Action, string(e.From), string(e.To), actor, e.ActorRole, e.At, payload, prev, e.Hash,
	).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("error appending event to case %d: %w", e.CaseID, err)
	}
	return nil
}

const eventColumns = `id, case_id, seq, machine, action, from_state, to_state, coalesce(actor_id, 0), actor_role, at, payload, prev_hash, hash`

func scanEvent(row pgx.Row) (*workflow.Event, error) {
	var e workflow.Event
	var from, to string
	var payload []byte
	if err := row.Scan(&e.ID, &e.CaseID, &e.Seq, &e.Machine, &e.Action, &from, &to, &e.ActorID, &e.ActorRole, &e.At, &payload, &e.PrevHash, &e.Hash); err != nil {
		return nil, err
	}
	e.From, e.To = workflow.State(from), workflow.State(to)
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	if err := dec.Decode(&e.Payload); err != nil {
		return nil, fmt.Errorf("error decoding payload of event %d: %w", e.ID, err)
	}
	return &e, nil
}

// CaseEvents returns the audit log of a case, oldest first.
func (db *DB) CaseEvents(ctx context.Context, caseID int64) ([]*workflow.Event, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+eventColumns+` FROM case_events WHERE case_id = $1 ORDER BY seq`, caseID)
	if err != nil {
		return nil, fmt.Errorf("error listing events of case %d: %w", caseID, err)
	}
	defer rows.Close()
	var out []*workflow.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("error reading events of case %d: %w", caseID, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("error listing events of case %d: %w", caseID, err)
	}
	return out, nil
}

// AuditBreak is one place where a case's chain does not hold.
type AuditBreak struct {
	CaseID  int64
	EventID int64 // 0 when the break is about the case as a whole
	Seq     int
	Reason  string
}

// AuditReport is the result of walking every chain.
type AuditReport struct {
	Cases  int
	Events int
	Breaks []AuditBreak
}

// VerifyAudit walks every case's chain in one snapshot: sequence numbers run
// 1, 2, 3…, each event links to the hash before it, each hash matches the
// event's content, and the last event leaves the case in its current state.
func (db *DB) VerifyAudit(ctx context.Context) (*AuditReport, error) {
	tx, err := db.Pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("error starting audit: %w", err)
	}
	defer tx.Rollback(ctx)

	states := map[int64]workflow.State{}
	rows, err := tx.Query(ctx, `SELECT id, state FROM cases`)
	if err != nil {
		return nil, fmt.Errorf("error listing cases: %w", err)
	}
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			rows.Close()
			return nil, fmt.Errorf("error listing cases: %w", err)
		}
		states[id] = workflow.State(s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("error listing cases: %w", err)
	}

	rep := &AuditReport{Cases: len(states)}
	rows, err = tx.Query(ctx, `SELECT `+eventColumns+` FROM case_events ORDER BY case_id, seq`)
	if err != nil {
		return nil, fmt.Errorf("error reading events: %w", err)
	}
	defer rows.Close()
	var (
		cur      int64
		prev     []byte
		wantSeq  int
		lastTo   workflow.State
		seenCase = map[int64]bool{}
	)
	finish := func() {
		if cur != 0 && lastTo != "" && lastTo != states[cur] {
			rep.Breaks = append(rep.Breaks, AuditBreak{CaseID: cur, Reason: fmt.Sprintf("case is in state %s but its last case event leads to %s", states[cur], lastTo)})
		}
	}
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("error reading events: %w", err)
		}
		rep.Events++
		if e.CaseID != cur {
			finish()
			cur, prev, wantSeq, lastTo = e.CaseID, nil, 1, ""
			seenCase[cur] = true
		}
		brk := func(reason string) {
			rep.Breaks = append(rep.Breaks, AuditBreak{CaseID: e.CaseID, EventID: e.ID, Seq: e.Seq, Reason: reason})
		}
		if e.Seq != wantSeq {
			brk(fmt.Sprintf("sequence number %d where %d was expected (an event is missing)", e.Seq, wantSeq))
		}
		if !bytes.Equal(e.PrevHash, prev) {
			brk("prev_hash does not match the hash of the event before it")
		}
		h, err := eventHash(e.PrevHash, e)
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(h, e.Hash) {
			brk("hash does not match the event's content (the event was altered)")
		}
		prev, wantSeq = e.Hash, e.Seq+1
		if e.Machine == string(workflow.MachineCase) {
			lastTo = e.To
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("error reading events: %w", err)
	}
	finish()
	for id := range states {
		if !seenCase[id] {
			rep.Breaks = append(rep.Breaks, AuditBreak{CaseID: id, Reason: "case has no events (its assignment was not recorded)"})
		}
	}
	return rep, nil
}
