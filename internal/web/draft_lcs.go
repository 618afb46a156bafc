package web

import "github.com/banli-gov/banli/ui"

// The draft diff: a line-based diff by longest common subsequence (LCS),
// shown side by side. A draft's section body is paragraphs, one a line
// (ui.Paragraphs), so a line is a paragraph: a changed paragraph is one line
// removed on the left and one added on the right.

// Kinds of a diff cell.
const (
	diffSame    = "same"
	diffRemoved = "del"
	diffAdded   = "ins"
	diffEmpty   = "empty"
	// diffOld and diffNew are a paragraph changed within (diffWords): its
	// old text on the left, its new text on the right, each in Parts.
	diffOld = "old"
	diffNew = "new"
)

// lineEdit is one step of an edit script: a line kept, removed from a or
// added from b.
type lineEdit struct {
	Op   string // diffSame, diffRemoved or diffAdded
	Text string
}

// maxDiffCells bounds the LCS table (len(a)·len(b)); beyond it the diff
// shows every line of a removed and every line of b added, still correct,
// only coarse.
const maxDiffCells = 1 << 22

// diffLines returns an edit script turning a into b with the fewest
// removals and additions (an LCS of the lines is kept).
func diffLines(a, b []string) []lineEdit {
	// Common head and tail first: most drafts change little.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var out []lineEdit
	for _, l := range a[:pre] {
		out = append(out, lineEdit{diffSame, l})
	}
	out = append(out, lcsEdits(a[pre:len(a)-suf], b[pre:len(b)-suf])...)
	for _, l := range a[len(a)-suf:] {
		out = append(out, lineEdit{diffSame, l})
	}
	return out
}

// lcsEdits is diffLines's middle part, by dynamic programming: lcs[i][j]
// is the length of an LCS of a[i:] and b[j:].
func lcsEdits(a, b []string) []lineEdit {
	var out []lineEdit
	if len(a)*len(b) > maxDiffCells {
		for _, l := range a {
			out = append(out, lineEdit{diffRemoved, l})
		}
		for _, l := range b {
			out = append(out, lineEdit{diffAdded, l})
		}
		return out
	}
	w := len(b) + 1
	lcs := make([]int32, (len(a)+1)*w)
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			out = append(out, lineEdit{diffSame, a[i]})
			i, j = i+1, j+1
		case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
			out = append(out, lineEdit{diffRemoved, a[i]})
			i++
		default:
			out = append(out, lineEdit{diffAdded, b[j]})
			j++
		}
	}
	for ; i < len(a); i++ {
		out = append(out, lineEdit{diffRemoved, a[i]})
	}
	for ; j < len(b); j++ {
		out = append(out, lineEdit{diffAdded, b[j]})
	}
	return out
}

// diffCell is one side of a row of the side-by-side diff.
type diffCell struct {
	Op   string // diffSame, diffRemoved, diffAdded, diffEmpty, diffOld or diffNew
	Text string
	// Parts is the text of a diffOld or diffNew cell, what changed marked.
	Parts []diffPart
}

// diffRow is a row of the side-by-side diff: the old line on the left, the
// new one on the right.
type diffRow struct {
	Left, Right diffCell
}

// sideBySide lays an edit script out in rows: kept lines on both sides;
// between two kept lines, the removed lines beside the added ones, row by
// row, so that a changed paragraph shows its old and new text side by side
// — compared word by word (diffWords) when they share enough to be one
// paragraph changed.
func sideBySide(edits []lineEdit) []diffRow {
	var rows []diffRow
	var dels, inss []string
	flush := func() {
		for k := 0; k < max(len(dels), len(inss)); k++ {
			row := diffRow{Left: diffCell{Op: diffEmpty}, Right: diffCell{Op: diffEmpty}}
			if k < len(dels) {
				row.Left = diffCell{Op: diffRemoved, Text: dels[k]}
			}
			if k < len(inss) {
				row.Right = diffCell{Op: diffAdded, Text: inss[k]}
			}
			if k < len(dels) && k < len(inss) {
				if l, r, ok := diffWords(dels[k], inss[k]); ok {
					row.Left.Op, row.Left.Parts = diffOld, l
					row.Right.Op, row.Right.Parts = diffNew, r
				}
			}
			rows = append(rows, row)
		}
		dels, inss = dels[:0], inss[:0]
	}
	for _, e := range edits {
		switch e.Op {
		case diffRemoved:
			dels = append(dels, e.Text)
		case diffAdded:
			inss = append(inss, e.Text)
		default:
			flush()
			rows = append(rows, diffRow{diffCell{Op: diffSame, Text: e.Text}, diffCell{Op: diffSame, Text: e.Text}})
		}
	}
	flush()
	return rows
}

// diffableLines splits a section body into its paragraphs, by the rule of
// every page that shows it (ui.Paragraphs).
func diffableLines(body string) []string { return ui.Paragraphs(body) }
