package imports

import (
	"cmp"
	"slices"

	"github.com/banli-gov/banli/ui"
)

// Problem is a reason a file cannot be imported: a bad cell (Row and
// Column set), a bad row (Column ""), or the file as a whole (Row 0). Code
// names the reason; the message catalogue words it (import.problem.<Code>,
// with Args) in the reader's language.
type Problem struct {
	// Row is the row as the spreadsheet numbers it (from 1); 0 for the file.
	Row int
	// Column is the column's header as written in the file.
	Column string
	// Value is the cell's text, when it helps to quote it.
	Value string
	Code  string
	Args  []any
}

// problems collects the problems of a file.
type problems []Problem

func (ps *problems) add(row int, column, code string, args ...any) {
	*ps = append(*ps, Problem{Row: row, Column: column, Code: code, Args: args})
}

// sorted returns the problems by row, the file's first, in the order found
// within a row.
func (ps problems) sorted() []Problem {
	out := slices.Clone([]Problem(ps))
	slices.SortStableFunc(out, func(a, b Problem) int { return cmp.Compare(a.Row, b.Row) })
	return out
}

// ProblemCodes lists every problem code, so that a test keeps the message
// catalogue complete.
func ProblemCodes() []string {
	return []string{
		// the file
		"tooLarge", "tooManyRows", "unreadable", "unreadableCSV", "empty", "noRows", "missingColumn", "duplicateColumn",
		// a cell or a row
		"required", "tooLong", "numberFormat", "duplicateNumber", "badDate", "futureDate", "badYesNo", "unknownKind",
		"unknownUnit", "notAUnit", "unitTwice", "leadAndCo", "separateWithLead", "coWithoutLead", "oneLeadUnit", "noUnit",
		"unknownDeputy", "ambiguousDeputy", "leadIsCosigner", "deputyTwice", "oneLeadDeputy", "numberTaken", "assignedDifferently",
		"badPhone", "badEmail", "duplicateDeputy", "ambiguousRoster",
	}
}

// Message is the problem in plain words in lang: where (row and column)
// and why.
func (p Problem) Message(lang string) string {
	why := ui.Message(lang, "import.problem."+p.Code, p.Args...)
	switch {
	case p.Row == 0:
		return why
	case p.Column == "":
		return ui.Message(lang, "import.lineRow", p.Row, why)
	}
	return ui.Message(lang, "import.line", p.Row, p.Column, why)
}

// Reason is the problem's reason alone, in lang.
func (p Problem) Reason(lang string) string {
	return ui.Message(lang, "import.problem."+p.Code, p.Args...)
}
