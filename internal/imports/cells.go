package imports

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/banli-gov/banli/workflow"
)

// column is a column a kind of file knows: its header, the other headers
// lists use for it, and whether a file must have it.
type column struct {
	Header   string
	Aliases  []string
	Required bool
}

// columns finds the known columns in a header: the index of each known
// column (-1 if absent), the headers not known, and the problems (a
// required column missing, a column twice).
func columns(header []string, headerRow int, known []column, ps *problems) (idx []int, unknown []string) {
	idx = make([]int, len(known))
	for i := range idx {
		idx[i] = -1
	}
	for j, h := range header {
		name := normalizeHeader(h)
		if name == "" {
			continue
		}
		found := false
		for i, k := range known {
			if name != k.Header && !contains(k.Aliases, name) {
				continue
			}
			found = true
			if idx[i] >= 0 {
				ps.add(headerRow, h, "duplicateColumn", k.Header)
				break
			}
			idx[i] = j
		}
		if !found {
			unknown = append(unknown, h)
		}
	}
	for i, k := range known {
		if k.Required && idx[i] < 0 {
			ps.add(0, "", "missingColumn", k.Header)
		}
	}
	return idx, unknown
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// normalizeHeader drops the spaces, a trailing colon and the "*" marking a
// required column from a header.
func normalizeHeader(h string) string {
	h = strings.Join(strings.Fields(h), "")
	h = strings.TrimSuffix(strings.TrimSuffix(h, "："), ":")
	return strings.Trim(h, "*＊")
}

// nameSeparators split a cell of several names: 、，, ; ； and new lines.
var nameSeparators = func(r rune) bool {
	return strings.ContainsRune("、，,;；\n", r)
}

// splitNames returns the names of a cell, in order, without empty ones.
func splitNames(cell string) []string {
	var out []string
	for _, n := range strings.FieldsFunc(cell, nameSeparators) {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// nameAndDelegation splits "张三（武昌区代表团）" or "张三(武昌区代表团)"
// into the name and the delegation ("" without one).
func nameAndDelegation(s string) (name, delegation string) {
	s = strings.TrimSpace(s)
	for _, p := range [][2]string{{"（", "）"}, {"(", ")"}} {
		if i := strings.Index(s, p[0]); i > 0 && strings.HasSuffix(s, p[1]) {
			return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+len(p[0]) : len(s)-len(p[1])])
		}
	}
	return s, ""
}

var (
	// datePattern reads 2024-07-01, 2024/7/1, 2024.7.1 and 2024年7月1日.
	datePattern = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$`)
	// compactDate reads 20240701.
	compactDate = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
	// serialDate is a date as a spreadsheet stores it: days since 1899-12-30.
	serialDate = regexp.MustCompile(`^\d{5}(?:\.\d+)?$`)
)

// parseDate reads a date cell in the forms lists use, or an XLSX date
// serial number.
func parseDate(s string) (workflow.Date, bool) {
	var y, m, d string
	if g := datePattern.FindStringSubmatch(s); g != nil {
		y, m, d = g[1], g[2], g[3]
	} else if g := compactDate.FindStringSubmatch(s); g != nil {
		y, m, d = g[1], g[2], g[3]
	} else if serialDate.MatchString(s) {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 1 {
			return workflow.Date{}, false
		}
		t := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(f))
		date, err := workflow.ParseDate(t.Format(time.DateOnly))
		return date, err == nil
	} else {
		return workflow.Date{}, false
	}
	pad := func(v string) string {
		if len(v) == 1 {
			return "0" + v
		}
		return v
	}
	date, err := workflow.ParseDate(y + "-" + pad(m) + "-" + pad(d))
	return date, err == nil
}

// parseYesNo reads a 是/否 cell; "" is no.
func parseYesNo(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "", "否", "不是", "n", "no", "false", "0", "×", "非重点":
		return false, true
	case "是", "y", "yes", "true", "1", "√", "✓", "重点", "重点建议":
		return true, true
	}
	return false, false
}

func runes(s string) int { return utf8.RuneCountInString(s) }

var (
	// numberPattern is what a suggestion number may hold (the schema's check).
	numberPattern = regexp.MustCompile(`^[0-9A-Za-z-]+$`)
	// phonePattern is what a phone number may hold (as the registration form).
	phonePattern = regexp.MustCompile(`^[0-9+\-() ]*$`)
	// emailPattern is a plausible e-mail address.
	emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// SplitNames returns the names of a cell or a form's field, separated by
// 、，, ; ； or new lines, in order, without empty ones.
func SplitNames(s string) []string { return splitNames(s) }

// FindDeputy finds the deputy a name written as 姓名 or 姓名（代表团）
// means among deputies; else why not: "unknownDeputy" or
// "ambiguousDeputy" (several of that name).
func FindDeputy(deputies []*workflow.Deputy, written string) (*workflow.Deputy, string) {
	name, delegation := nameAndDelegation(written)
	dir := &directory{deputies: map[string][]*workflow.Deputy{}}
	for _, d := range deputies {
		dir.deputies[d.Name] = append(dir.deputies[d.Name], d)
	}
	return dir.deputy(name, delegation)
}

// readColumns reads a file as a table (ReadTable) and finds the known
// columns in its header (columns): the table, the columns' indexes and the
// headers it does not know. stop holds the problems that end a plan before
// any row is read — an unreadable file, a missing column, no rows — and is
// nil when the rows can be read.
func readColumns(data []byte, known []column) (t *Table, idx []int, unknown []string, stop []Problem) {
	t, p := ReadTable(data)
	if p != nil {
		return nil, nil, nil, []Problem{*p}
	}
	var ps problems
	idx, unknown = columns(t.Header, t.HeaderRow, known, &ps)
	if len(t.Rows) == 0 {
		ps.add(0, "", "noRows")
	}
	if len(ps) > 0 {
		return t, idx, unknown, ps.sorted()
	}
	return t, idx, unknown, nil
}
