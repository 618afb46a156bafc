package storage

import (
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/banli-gov/banli/workflow"
)

// dateCol scans a nullable SQL date into a workflow.Date (zero for NULL).
type dateCol pgtype.Date

// ScanDate implements pgtype.DateScanner.
func (d *dateCol) ScanDate(v pgtype.Date) error {
	*d = dateCol(v)
	return nil
}

// Date returns the civil date, or the zero Date for NULL.
func (d dateCol) Date() workflow.Date {
	if !d.Valid {
		return workflow.Date{}
	}
	return workflow.Date{Year: d.Time.Year(), Month: d.Time.Month(), Day: d.Time.Day()}
}

// sqlDate is the value to bind for a date parameter: NULL for the zero Date.
func sqlDate(d workflow.Date) pgtype.Date {
	if d.IsZero() {
		return pgtype.Date{}
	}
	return pgtype.Date{Time: time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC), Valid: true}
}
