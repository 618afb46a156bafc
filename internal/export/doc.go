// Package export writes banli's lists and statistics as spreadsheets for
// download (导出): XLSX (excelize, streamed) and CSV (UTF-8 with a byte
// order mark, so that Excel opens Chinese text correctly). A table is
// written row by row, so a long list is streamed page by page from the
// database and never held whole in memory. The tables themselves — which
// columns, which rows — are built by their pages' handlers and the CLI
// from the same data the pages show (statistics.go here for the
// dashboard's figures).
package export
