package storage

import (
	"context"
	"fmt"

	"github.com/banli-gov/banli/workflow"
)

// SetHolidayOverride adds or replaces the override of one day.
func (db *DB) SetHolidayOverride(ctx context.Context, o workflow.Override) error {
	if err := o.Validate(); err != nil {
		return err
	}
	_, err := db.Pool.Exec(ctx, `
		INSERT INTO holiday_overrides (day, kind, name) VALUES ($1, $2, $3)
		ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name`,
		sqlDate(o.Date), string(o.Kind), o.Name)
	return dbError(err, fmt.Sprintf("holiday override %s", o.Date))
}

// HolidayOverrides lists every override by day.
func (db *DB) HolidayOverrides(ctx context.Context) ([]workflow.Override, error) {
	return holidayOverrides(ctx, db.Pool)
}

// Calendar returns the working-day calendar: the built-in schedules with the
// database's overrides winning.
func (db *DB) Calendar(ctx context.Context) (*workflow.Calendar, error) {
	return db.calendar(ctx, db.Pool)
}

func calendar(ctx context.Context, q querier) (*workflow.Calendar, error) {
	o, err := holidayOverrides(ctx, q)
	if err != nil {
		return nil, err
	}
	return workflow.NewCalendar(o), nil
}

func holidayOverrides(ctx context.Context, q querier) ([]workflow.Override, error) {
	rows, err := q.Query(ctx, `SELECT day, kind, name FROM holiday_overrides ORDER BY day`)
	if err != nil {
		return nil, fmt.Errorf("error listing holiday overrides: %w", err)
	}
	defer rows.Close()
	var out []workflow.Override
	for rows.Next() {
		var day dateCol
		var kind, name string
		if err := rows.Scan(&day, &kind, &name); err != nil {
			return nil, fmt.Errorf("error listing holiday overrides: %w", err)
		}
		out = append(out, workflow.Override{Date: day.Date(), Kind: workflow.DayKind(kind), Name: name})
	}
	return out, rows.Err()
}
