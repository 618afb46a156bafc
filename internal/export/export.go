package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/banli-gov/banli/workflow"
)

// Format is the file format of a download.
type Format string

const (
	// XLSX is an Excel workbook (Office Open XML).
	XLSX Format = "xlsx"
	// CSV is comma-separated values, UTF-8 with a byte order mark.
	CSV Format = "csv"
)

// AllFormats lists every format.
func AllFormats() []Format { return []Format{XLSX, CSV} }

// ParseFormat reads a format's name ("xlsx", "csv").
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case XLSX, CSV:
		return f, nil
	}
	return "", workflow.Errorf(workflow.ErrInvalid, "format %q: use xlsx or csv", s)
}

// FormatOfFile is the format named by a file's extension (.xlsx, .csv).
func FormatOfFile(name string) (Format, error) {
	return ParseFormat(strings.TrimPrefix(filepath.Ext(name), "."))
}

// ContentType is the format's media type.
func (f Format) ContentType() string {
	if f == XLSX {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// BOM is the UTF-8 byte order mark that opens every CSV file.
const BOM = "\ufeff"

// Writer writes tables row by row. A cell is a string, an int or nil
// (empty). Close finishes the file; nothing is complete before it.
type Writer interface {
	// Sheet starts a new table named name (an XLSX worksheet). The first
	// call names the first table. A CSV file holds one table: it skips
	// the rows of every table after the first.
	Sheet(name string) error
	// Row writes one row of the current table.
	Row(cells ...any) error
	// Close finishes the file and writes what remains of it.
	Close() error
}

// New returns a Writer of format f writing to w.
func New(w io.Writer, f Format) (Writer, error) {
	switch f {
	case XLSX:
		return &xlsxWriter{out: w, file: excelize.NewFile()}, nil
	case CSV:
		if _, err := io.WriteString(w, BOM); err != nil {
			return nil, fmt.Errorf("error writing CSV: %w", err)
		}
		return &csvWriter{w: csv.NewWriter(w)}, nil
	}
	return nil, workflow.Errorf(workflow.ErrInvalid, "format %q: use xlsx or csv", f)
}

type csvWriter struct {
	w      *csv.Writer
	sheets int
	rows   int
}

func (c *csvWriter) Sheet(string) error {
	c.sheets++
	return nil
}

func (c *csvWriter) Row(cells ...any) error {
	if c.sheets > 1 {
		return nil
	}
	rec := make([]string, len(cells))
	for i, v := range cells {
		rec[i] = cellText(v)
	}
	if err := c.w.Write(rec); err != nil {
		return fmt.Errorf("error writing CSV: %w", err)
	}
	// Flush now and then: the response streams.
	if c.rows++; c.rows%500 == 0 {
		c.w.Flush()
	}
	return c.w.Error()
}

func (c *csvWriter) Close() error {
	c.w.Flush()
	return c.w.Error()
}

// cellText is a cell as CSV text.
func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	}
	return fmt.Sprint(v)
}

type xlsxWriter struct {
	out    io.Writer
	file   *excelize.File
	sheet  *excelize.StreamWriter
	sheets int
	row    int
	bold   int
}

func (x *xlsxWriter) Sheet(name string) error {
	if err := x.flush(); err != nil {
		return err
	}
	name = sheetName(name)
	if x.sheets == 0 {
		if err := x.file.SetSheetName("Sheet1", name); err != nil {
			return fmt.Errorf("error naming worksheet: %w", err)
		}
		style, err := x.file.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
		if err != nil {
			return fmt.Errorf("error writing XLSX: %w", err)
		}
		x.bold = style
	} else if _, err := x.file.NewSheet(name); err != nil {
		return fmt.Errorf("error adding worksheet: %w", err)
	}
	sw, err := x.file.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("error writing XLSX: %w", err)
	}
	x.sheet, x.row = sw, 0
	x.sheets++
	return nil
}

func (x *xlsxWriter) Row(cells ...any) error {
	if x.sheet == nil {
		if err := x.Sheet("Sheet1"); err != nil {
			return err
		}
	}
	x.row++
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	var opts []excelize.RowOpts
	if x.row == 1 {
		opts = append(opts, excelize.RowOpts{StyleID: x.bold})
	}
	if err := x.sheet.SetRow(cell, cells, opts...); err != nil {
		return fmt.Errorf("error writing XLSX row %d: %w", x.row, err)
	}
	return nil
}

func (x *xlsxWriter) flush() error {
	if x.sheet == nil {
		return nil
	}
	if err := x.sheet.Flush(); err != nil {
		return fmt.Errorf("error writing XLSX: %w", err)
	}
	x.sheet = nil
	return nil
}

func (x *xlsxWriter) Close() error {
	defer x.file.Close()
	if err := x.flush(); err != nil {
		return err
	}
	if _, err := x.file.WriteTo(x.out); err != nil {
		return fmt.Errorf("error writing XLSX: %w", err)
	}
	return nil
}

// sheetName makes name a valid worksheet name: at most 31 characters, none
// of : \ / ? * [ ].
func sheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '_'
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	if name == "" {
		name = "Sheet1"
	}
	return name
}
