package storage

import (
	"context"
	"fmt"

	"github.com/banli-gov/banli/workflow"
)

// RemoveHolidayOverride removes the override of one day, so that the
// built-in schedule (or the plain weekday) applies to it again.
func (db *DB) RemoveHolidayOverride(ctx context.Context, day workflow.Date) error {
	tag, err := db.Pool.Exec(ctx, `DELETE FROM holiday_overrides WHERE day = $1`, sqlDate(day))
	if err != nil {
		return fmt.Errorf("error removing holiday override %s: %w", day, err)
	}
	if tag.RowsAffected() == 0 {
		return workflow.Errorf(workflow.ErrNotFound, "holiday override %s not found", day)
	}
	return nil
}
