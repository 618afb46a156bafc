package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/banli-gov/banli/workflow"
)

// Communication is a contact of the unit with the deputy (面商).
type Communication struct {
	ID           int64
	CaseID       int64
	Method       workflow.ContactMethod
	HappenedOn   workflow.Date
	Participants string
	Summary      string
	RecordedBy   int64
}

// AddCommunication records a contact with the deputy and its audit event.
func (db *DB) AddCommunication(ctx context.Context, actor workflow.Actor, m *Communication, at time.Time) error {
	if !m.Method.Valid() || m.Method == workflow.ContactNone {
		return workflow.Errorf(workflow.ErrInvalid, "method: %q is not one of meeting, visit, phone", m.Method)
	}
	if m.HappenedOn.IsZero() {
		return workflow.Errorf(workflow.ErrInvalid, "happened_on: required")
	}
	if strings.TrimSpace(m.Summary) == "" {
		return workflow.Errorf(workflow.ErrInvalid, "summary: required")
	}
	if at.IsZero() {
		at = db.Clock.Now()
	}
	at = at.Truncate(time.Microsecond)
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	c, err := scanCase(tx.QueryRow(ctx, `SELECT `+caseColumns+` FROM cases WHERE id = $1 FOR UPDATE`, m.CaseID))
	if err != nil {
		return dbError(err, fmt.Sprintf("case %d", m.CaseID))
	}
	role, err := workflow.MayRecord(workflow.RecordAddCommunication, c.State, actor.RolesOn(c.DepartmentID))
	if err != nil {
		return err
	}
	if workflow.DateOf(at).Before(m.HappenedOn) {
		return workflow.Errorf(workflow.ErrInvalid, "happened_on: %s is in the future", m.HappenedOn)
	}
	m.RecordedBy = actor.UserID
	err = tx.QueryRow(ctx, `
		INSERT INTO communications (case_id, method, happened_on, participants, summary, recorded_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		m.CaseID, string(m.Method), sqlDate(m.HappenedOn), strings.TrimSpace(m.Participants), strings.TrimSpace(m.Summary),
		actor.UserID, at).Scan(&m.ID)
	if err != nil {
		return dbError(err, "communication")
	}
	ev := &workflow.Event{CaseID: c.ID, Machine: "record", Action: string(workflow.RecordAddCommunication), From: c.State, To: c.State,
		ActorID: actor.UserID, ActorRole: string(role), At: at,
		Payload: map[string]any{"communication_id": m.ID, "method": string(m.Method), "happened_on": m.HappenedOn.String()}}
	if err := appendEvent(ctx, tx, ev); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
