package letter

import (
	"bytes"
	"fmt"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/banli-gov/banli/ui"
)

// Page geometry of GB/T 9704-2012 on A4, in millimetres: 天头 37, 订口 28, a
// type area of 156 × 225; 三号 body text on 22 lines.
const (
	pageLeft   = 28.0
	pageTop    = 37.0
	pageRight  = 210 - 28 - 156.0
	pageBottom = 297 - 37 - 225.0
	typeWidth  = 156.0
	bodyPt     = 16.0 // 三号
	titlePt    = 22.0 // 二号
	copyPt     = 14.0 // 四号
	linePitch  = 225.0 / 22
	ptToMM     = 25.4 / 72
)

// indent is two ideographic spaces: the body's first-line indent (首行缩进2字).
const indent = "\u3000\u3000"

// page is a PDF letter being written: fpdf with the two fonts of the
// letter, Chinese and Latin, at one size.
type page struct {
	*fpdf.Fpdf
	size float64
}

// fontOf names the font a character is set in: digits, Latin letters and
// Western punctuation in DejaVu Serif (Droid Sans Fallback has none),
// everything else in Droid Sans Fallback.
func fontOf(r rune) string {
	if r < 0x2070 { // up to General Punctuation (“”—…)
		return "latin"
	}
	return "cjk"
}

func (p *page) setSize(pt float64) { p.size = pt }

// width is the width of s as the letter sets it.
func (p *page) width(s string) float64 {
	w := 0.0
	for _, seg := range segments(s) {
		p.SetFont(seg.font, "", p.size)
		w += p.GetStringWidth(seg.text)
	}
	return w
}

type segment struct{ font, text string }

// segments splits s into runs of one font each.
func segments(s string) []segment {
	var out []segment
	for _, r := range s {
		f := fontOf(r)
		if n := len(out); n > 0 && out[n-1].font == f {
			out[n-1].text += string(r)
			continue
		}
		out = append(out, segment{f, string(r)})
	}
	return out
}

// line writes s on one line of height h, aligned in the type area ("L",
// "C", "R" within width from the left margin), and moves to the next line.
func (p *page) line(s string, width, h float64, align string) {
	x := pageLeft
	switch align {
	case "C":
		x += (width - p.width(s)) / 2
	case "R":
		x += width - p.width(s)
	}
	if p.GetY()+h > 297-pageBottom {
		p.AddPage()
	}
	y := p.GetY()
	p.SetXY(x, y)
	for _, seg := range segments(s) {
		p.SetFont(seg.font, "", p.size)
		w := p.GetStringWidth(seg.text)
		p.CellFormat(w, h, seg.text, "", 0, "L", false, 0, "")
	}
	p.SetXY(pageLeft, y+h)
}

// para writes s wrapped to the type area, each line of height h.
func (p *page) para(s string, h float64, align string) {
	for _, l := range p.wrap(s, typeWidth) {
		p.line(l, typeWidth, h, align)
	}
}

// PDF renders the letter as a PDF in GB/T 9704's letter format, with its
// fonts embedded (subset) so that the text prints and extracts anywhere.
func (l *Letter) PDF() ([]byte, error) {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(pageLeft, pageTop, pageRight)
	f.SetAutoPageBreak(false, pageBottom)
	f.SetTitle(l.Title, true)
	f.SetCreator("banli", true)
	f.AddUTF8FontFromBytes("cjk", "", ui.LetterFont)
	f.AddUTF8FontFromBytes("latin", "", ui.LetterLatinFont)
	p := &page{Fpdf: f}
	// 页码 (GB/T 9704 §7.5): — 1 — under the type area, in 4号.
	// Dashes and digits are all in the Latin font.
	f.SetFooterFunc(func() {
		f.SetFont("latin", "", copyPt)
		f.SetXY(pageLeft, 297-pageBottom+7)
		f.CellFormat(typeWidth, 7, fmt.Sprintf("— %d —", f.PageNo()), "", 0, "C", false, 0, "")
	})
	f.AddPage()

	p.setSize(bodyPt)
	if l.ClassMark != "" {
		p.line(l.ClassMark, typeWidth, linePitch, "L")
	}
	// 函头: the unit's name in red over a red double rule.
	f.SetTextColor(230, 0, 18)
	p.setSize(titlePt)
	titleH := titlePt * ptToMM * 1.5
	p.para(l.Unit, titleH, "C")
	y := f.GetY() + 2
	f.SetDrawColor(230, 0, 18)
	f.SetLineWidth(0.8)
	f.Line(pageLeft, y, pageLeft+typeWidth, y)
	f.SetLineWidth(0.3)
	f.Line(pageLeft, y+1.2, pageLeft+typeWidth, y+1.2)
	f.SetTextColor(0, 0, 0)
	f.SetDrawColor(0, 0, 0)
	f.SetY(y + 3)
	p.setSize(bodyPt)
	if line := l.DocumentNumber; line != "" || l.Signer != "" {
		if l.Signer != "" {
			line += "\u3000\u3000" + l.SignerLine()
		}
		p.line(line, typeWidth, linePitch, "R")
	}
	f.Ln(linePitch / 2)
	p.setSize(titlePt)
	p.para(l.Title, titleH, "C")
	f.Ln(linePitch / 2)
	p.setSize(bodyPt)
	p.para(l.Salutation, linePitch, "L")
	p.para(indent+l.Opening, linePitch, "L")
	for _, s := range l.Sections {
		if s.Heading != "" {
			p.para(indent+s.Heading, linePitch, "L")
		}
		for _, para := range s.Paragraphs {
			p.para(indent+para, linePitch, "L")
		}
	}
	for _, c := range l.Closing {
		p.para(indent+c, linePitch, "L")
	}
	// The unit and the date, right-aligned 4 characters from the edge.
	right := typeWidth - 4*bodyPt*ptToMM
	f.Ln(linePitch)
	p.line(l.Unit, right, linePitch, "R")
	p.line(l.Date, right, linePitch, "R")
	if l.Note != "" {
		f.Ln(linePitch / 2)
		p.para(indent+l.Note, linePitch, "L")
	}
	if l.Contact != "" {
		p.para(indent+l.Contact, linePitch, "L")
	}
	if c := l.CopyLine(); c != "" {
		f.Ln(linePitch / 2)
		p.setSize(copyPt)
		f.SetLineWidth(0.35)
		f.Line(pageLeft, f.GetY(), pageLeft+typeWidth, f.GetY())
		p.para(c, linePitch*0.8, "L")
		f.Line(pageLeft, f.GetY(), pageLeft+typeWidth, f.GetY())
	}
	var b bytes.Buffer
	if err := f.Output(&b); err != nil {
		return nil, fmt.Errorf("error writing the letter %s as PDF: %w", l.FileName, err)
	}
	return b.Bytes(), nil
}

// noLineStart are the marks a Chinese line does not begin with (避头点):
// they stay at the end of the line before, slightly past the margin.
const noLineStart = "，。、；：？！）》」』”’〕】…—,.;:?!)"

// wrap breaks s into lines of at most width, between any two characters
// (Chinese has no spaces to break at) but never before a closing mark nor
// inside a number or a Latin word. (fpdf's own MultiCell loses the
// character at each break of a UTF-8 text without spaces.)
func (p *page) wrap(s string, width float64) []string {
	var lines []string
	var cur []rune
	w := 0.0
	for _, r := range s {
		cw := p.width(string(r))
		if w+cw > width && len(cur) > 0 && !strings.ContainsRune(noLineStart, r) {
			keep := len(cur)
			for keep > 0 && isWordRune(r) && isWordRune(cur[keep-1]) {
				keep--
			}
			if keep == 0 {
				keep = len(cur)
			}
			lines = append(lines, string(cur[:keep]))
			cur = append([]rune(nil), cur[keep:]...)
			w = p.width(string(cur))
		}
		cur = append(cur, r)
		w += cw
	}
	if len(cur) > 0 || len(lines) == 0 {
		lines = append(lines, string(cur))
	}
	return lines
}

func isWordRune(r rune) bool {
	return r < 0x80 && (r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-')
}
