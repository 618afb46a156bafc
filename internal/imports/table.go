package imports

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Bounds of a file imported.
const (
	// MaxBytes is the largest file read (4 MiB: a list of a few thousand
	// suggestions with their full text).
	MaxBytes = 4 << 20
	// MaxRows is the most rows read below the header: 3,000 suggestions
	// with two units each import in about a minute on a small server, well
	// within the web server's write timeout.
	MaxRows = 3000
	// maxUnzipped bounds what an XLSX may unpack to (a zip bomb).
	maxUnzipped = 64 << 20
)

// Table is a sheet read: its header (the first row with any text) and the
// rows below it that hold any text.
type Table struct {
	Header []string
	// HeaderRow is the header's row number as the spreadsheet numbers it.
	HeaderRow int
	Rows      []Row
}

// Row is a row of a table: its number as the spreadsheet numbers it (from
// 1) and its cells, trimmed.
type Row struct {
	N     int
	Cells []string
}

// Cell returns the row's cell in column i, "" beyond its end.
func (r Row) Cell(i int) string {
	if i < 0 || i >= len(r.Cells) {
		return ""
	}
	return r.Cells[i]
}

// xlsxMagic starts every XLSX file (a zip archive).
var xlsxMagic = []byte("PK\x03\x04")

// ReadTable reads data, an XLSX file (its first sheet) or a CSV file
// (UTF-8 with or without a byte-order mark, or GBK/GB18030), as a table.
// The format is told by the content, not the name. Its errors are
// Problems of the file as a whole (row 0).
func ReadTable(data []byte) (*Table, *Problem) {
	if len(data) > MaxBytes {
		return nil, &Problem{Code: "tooLarge", Args: []any{MaxBytes >> 20}}
	}
	var grid [][]string
	var p *Problem
	if bytes.HasPrefix(data, xlsxMagic) {
		grid, p = readXLSX(data)
	} else {
		grid, p = readCSV(data)
	}
	if p != nil {
		return nil, p
	}
	t := &Table{}
	for i, cells := range grid {
		for j := range cells {
			cells[j] = cleanCell(cells[j])
		}
		if !hasText(cells) {
			continue
		}
		if t.Header == nil {
			t.Header, t.HeaderRow = cells, i+1
			continue
		}
		if len(t.Rows) == MaxRows {
			return nil, &Problem{Code: "tooManyRows", Args: []any{MaxRows}}
		}
		t.Rows = append(t.Rows, Row{N: i + 1, Cells: cells})
	}
	if t.Header == nil {
		return nil, &Problem{Code: "empty"}
	}
	return t, nil
}

// cleanCell trims a cell of spaces, full-width spaces and the zero-width
// characters spreadsheets carry.
func cleanCell(s string) string {
	s = strings.ReplaceAll(s, "\u200b", "")
	s = strings.ReplaceAll(s, "\ufeff", "")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.TrimSpace(strings.ReplaceAll(s, "\u3000", " "))
}

// countText is 1 for a row with any text (spaces aside), else 0.
func countText(cells []string) int {
	for _, c := range cells {
		if cleanCell(c) != "" {
			return 1
		}
	}
	return 0
}

func hasText(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return true
		}
	}
	return false
}

// readXLSX reads the first sheet of an XLSX file, raw values (a date as
// its serial number, which parseDate reads).
func readXLSX(data []byte) ([][]string, *Problem) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue: true, UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzipped / 4})
	if err != nil {
		return nil, &Problem{Code: "unreadable"}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, &Problem{Code: "empty"}
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, &Problem{Code: "unreadable"}
	}
	defer rows.Close()
	var grid [][]string
	texts := 0
	for rows.Next() {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, &Problem{Code: "unreadable"}
		}
		if texts += countText(cells); texts > MaxRows+1 {
			return nil, &Problem{Code: "tooManyRows", Args: []any{MaxRows}}
		}
		grid = append(grid, cells)
	}
	if rows.Error() != nil {
		return nil, &Problem{Code: "unreadable"}
	}
	return grid, nil
}

// readCSV reads a CSV file, UTF-8 (a byte-order mark dropped) or, when
// not valid UTF-8, GB18030 (a superset of GBK, as Excel saves Chinese CSV).
func readCSV(data []byte) ([][]string, *Problem) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		decoded, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(decoded) {
			return nil, &Problem{Code: "unreadable"}
		}
		data = decoded
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, &Problem{Code: "unreadable"}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var grid [][]string
	texts, lastLine := 0, 0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, &Problem{Code: "unreadableCSV", Args: []any{len(grid) + 1}}
		}
		if texts += countText(rec); texts > MaxRows+1 {
			return nil, &Problem{Code: "tooManyRows", Args: []any{MaxRows}}
		}
		// encoding/csv skips blank lines, which a spreadsheet numbers as
		// rows: put them back, so rows keep the spreadsheet's numbers.
		start, _ := r.FieldPos(0)
		for ; lastLine+1 < start; lastLine++ {
			grid = append(grid, nil)
		}
		last := len(rec) - 1
		end, _ := r.FieldPos(last)
		lastLine = end + strings.Count(rec[last], "\n")
		grid = append(grid, rec)
	}
	return grid, nil
}
