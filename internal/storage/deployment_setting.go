package storage

import (
	"context"
	"fmt"

	"github.com/banli-gov/banli/workflow"
)

// SupervisorLabel returns the name the supervising role (督办, code name
// liaison) goes by in this deployment: workflow.DefaultSupervisorLabel
// (督办人员) unless an administrator set another, such as 人大代表工作机构
// or 政府督查室.
func (db *DB) SupervisorLabel(ctx context.Context) (string, error) {
	var label string
	err := db.Pool.QueryRow(ctx, `SELECT supervisor_label FROM deployment_settings`).Scan(&label)
	if err != nil {
		return "", fmt.Errorf("error reading the supervisor label: %w", err)
	}
	return label, nil
}

// SetSupervisorLabel sets the name of the supervising role, as by, and
// records the change with the previous name in the administration log, in
// one transaction. Setting the name it already has changes nothing.
func (db *DB) SetSupervisorLabel(ctx context.Context, by workflow.AdminActor, label string) error {
	if err := workflow.CheckSupervisorLabel(label); err != nil {
		return err
	}
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	byRoles, err := adminRolesTx(ctx, tx, by)
	if err != nil {
		return err
	}
	if err := workflow.CheckAdmin(by, byRoles); err != nil {
		return err
	}
	var previous string
	if err := tx.QueryRow(ctx, `SELECT supervisor_label FROM deployment_settings FOR UPDATE`).Scan(&previous); err != nil {
		return fmt.Errorf("error reading the supervisor label: %w", err)
	}
	if previous == label {
		return nil
	}
	now := db.Clock.Now()
	if _, err := tx.Exec(ctx, `UPDATE deployment_settings SET supervisor_label = $1, updated_at = $2`, label, now); err != nil {
		return dbError(err, "supervisor label")
	}
	e := &workflow.AdminEvent{At: now, Change: workflow.ChangeSupervisorLabel, Actor: by, PreviousValue: previous, Value: label}
	if err := appendAdminEvent(ctx, tx, e); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("error committing the supervisor label: %w", err)
	}
	return nil
}
