package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/banli-gov/banli/workflow"
)

// appendAdminEvent records an administrative change in the administration
// log (管理日志), inside the transaction of the change.
func appendAdminEvent(ctx context.Context, tx pgx.Tx, e *workflow.AdminEvent) error {
	var actorID, userID, deptID *int64
	if e.Actor.Kind == workflow.AdminByUser {
		actorID = &e.Actor.UserID
	}
	if e.UserID != 0 {
		userID = &e.UserID
	}
	if e.DepartmentID != 0 {
		deptID = &e.DepartmentID
	}
	var sessionID *int64
	if e.SessionID != 0 {
		sessionID = &e.SessionID
	}
	var role *string
	if e.Role != "" {
		r := string(e.Role)
		role = &r
	}
	err := tx.QueryRow(ctx, `
		INSERT INTO admin_events (at, action, actor_kind, actor_id, actor_name, user_id, user_name, role,
		                          department_id, department, previous_department, previous_value, value, session_id, session)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
		e.At, string(e.Change), string(e.Actor.Kind), actorID, e.Actor.Name, userID, e.UserName, role,
		deptID, e.Department, e.PreviousDepartment, e.PreviousValue, e.Value, sessionID, e.Session).Scan(&e.ID)
	return dbError(err, "administration log record")
}

// AdminEventQuery selects a page of the administration log.
type AdminEventQuery struct {
	// UserID keeps one user's history; 0 keeps every record.
	UserID int64
	// Limit is the page size (1 to 500); Offset the records skipped.
	Limit, Offset int
}

// adminEventRow is a row of admin_events as scanned.
type adminEventRow struct {
	ID                 int64     `db:"id"`
	At                 time.Time `db:"at"`
	Action             string    `db:"action"`
	ActorKind          string    `db:"actor_kind"`
	ActorID            int64     `db:"actor_id"`
	ActorName          string    `db:"actor_name"`
	UserID             int64     `db:"user_id"`
	UserName           string    `db:"user_name"`
	Role               string    `db:"role"`
	DepartmentID       int64     `db:"department_id"`
	Department         string    `db:"department"`
	PreviousDepartment string    `db:"previous_department"`
	PreviousValue      string    `db:"previous_value"`
	Value              string    `db:"value"`
	SessionID          int64     `db:"session_id"`
	Session            string    `db:"session"`
}

// AdminEvents returns a page of the administration log, newest first, and
// the number of records the query matches.
func (db *DB) AdminEvents(ctx context.Context, q AdminEventQuery) ([]*workflow.AdminEvent, int, error) {
	if q.Limit < 1 || q.Limit > 500 || q.Offset < 0 {
		return nil, 0, workflow.Errorf(workflow.ErrInvalid, "administration log: limit %d, offset %d out of range", q.Limit, q.Offset)
	}
	// The index (at DESC, id DESC), or the user's, serves the order and
	// the limit.
	filter, args := "TRUE", []any{}
	if q.UserID != 0 {
		filter, args = "user_id = $1", append(args, q.UserID)
	}
	var total int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM admin_events WHERE `+filter, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("error counting the administration log: %w", err)
	}
	n := len(args)
	rows, err := db.Pool.Query(ctx, fmt.Sprintf(`
		SELECT id, at, action, actor_kind, coalesce(actor_id, 0) AS actor_id, actor_name,
		       coalesce(user_id, 0) AS user_id, user_name, coalesce(role, '') AS role,
		       coalesce(department_id, 0) AS department_id, department, previous_department, previous_value, value,
		       coalesce(session_id, 0) AS session_id, session
		FROM admin_events
		WHERE %s
		ORDER BY at DESC, id DESC
		LIMIT $%d OFFSET $%d`, filter, n+1, n+2), append(args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("error listing the administration log: %w", err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowToStructByName[adminEventRow])
	if err != nil {
		return nil, 0, fmt.Errorf("error listing the administration log: %w", err)
	}
	out := make([]*workflow.AdminEvent, 0, len(got))
	for _, r := range got {
		out = append(out, &workflow.AdminEvent{
			ID: r.ID, At: r.At, Change: workflow.AdminChange(r.Action),
			Actor:  workflow.AdminActor{Kind: workflow.AdminActorKind(r.ActorKind), UserID: r.ActorID, Name: r.ActorName},
			UserID: r.UserID, UserName: r.UserName, Role: workflow.Role(r.Role),
			DepartmentID: r.DepartmentID, Department: r.Department, PreviousDepartment: r.PreviousDepartment,
			PreviousValue: r.PreviousValue, Value: r.Value,
			SessionID: r.SessionID, Session: r.Session,
		})
	}
	return out, total, nil
}
