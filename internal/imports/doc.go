// Package imports reads the spreadsheets the liaison office receives — the
// assignment list (交办清单) and the deputies' roster (代表名册) — as XLSX or
// CSV, checks every cell against the rules and what banli already holds,
// and imports them all or nothing through storage.
//
// A file is read into a Table (table.go), planned (proposals.go,
// deputies.go): each row becomes what it will create, skip or update, and
// every bad cell a Problem naming the row as the spreadsheet numbers it,
// the column by its header and the reason. A plan without problems is
// imported in one transaction; a dry run stops at the plan.
package imports
