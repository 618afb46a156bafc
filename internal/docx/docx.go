package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// Font names as GB/T 9704 prescribes them for the parts of a 公文.
const (
	// FontTitle is the title's font (标题: 2号方正小标宋体字).
	FontTitle = "方正小标宋简体"
	// FontBody is the body's font (正文: 3号仿宋体字).
	FontBody = "仿宋_GB2312"
	// FontHeading is the first-level heading's font (一级标题: 黑体).
	FontHeading = "黑体"
	// FontSecondHeading is the second-level heading's font (二级标题: 楷体).
	FontSecondHeading = "楷体_GB2312"
)

// Size is a font size in half-points, the unit of OOXML's w:sz.
type Size int

// Sizes by their Chinese names (字号).
const (
	SizeErHao  Size = 44 // 二号, 22 pt
	SizeSanHao Size = 32 // 三号, 16 pt
	SizeSiHao  Size = 28 // 四号, 14 pt
	SizeXiaoSi Size = 24 // 小四, 12 pt
	SizeWuHao  Size = 21 // 五号, 10.5 pt
)

// Align is a paragraph's alignment.
type Align string

// Alignments.
const (
	AlignLeft    Align = "left"
	AlignCenter  Align = "center"
	AlignRight   Align = "right"
	AlignJustify Align = "both"
)

// Run is a piece of text in one font, size and weight. Zero Font or Size
// take the document's defaults.
type Run struct {
	Text string
	Font string
	Size Size
	Bold bool
}

// Block is a paragraph or a table of the document's body.
type Block interface {
	writeTo(b *bytes.Buffer, d *Document)
}

// Paragraph is a paragraph of runs.
type Paragraph struct {
	Runs  []Run
	Align Align
	// IndentChars indents the first line by that many characters (正文
	// 首行缩进2字); RightChars indents the whole paragraph from the right
	// (the signature block 右空4字).
	IndentChars int
	RightChars  int
	// SpaceBefore and SpaceAfter are blank lines before and after the
	// paragraph, in the document's line pitch.
	SpaceBefore, SpaceAfter int
	// KeepNext keeps the paragraph on the page of the next one.
	KeepNext bool
	// PageBreakBefore starts the paragraph on a new page.
	PageBreakBefore bool
	// Border draws a rule under the paragraph (the 版记's lines).
	BorderBottom bool
}

// Text is a paragraph of one run of text in the document's default font.
func Text(s string) *Paragraph { return &Paragraph{Runs: []Run{{Text: s}}} }

// Cell is a cell of a table: paragraphs, at least one.
type Cell struct {
	Paragraphs []*Paragraph
}

// Table is a simple table: rows of cells, with column widths in
// millimetres (the widths are shared out equally when nil) and single
// borders.
type Table struct {
	Widths []float64
	Rows   [][]Cell
	// Header repeats the first row on every page.
	Header bool
}

// Margins are a page's margins in millimetres.
type Margins struct {
	Top, Bottom, Left, Right float64
}

// GBT9704Margins are the margins of a 公文 on A4 (GB/T 9704-2012 §5.2.1):
// 天头 37 mm, 订口 28 mm, a type area of 156 mm × 225 mm.
var GBT9704Margins = Margins{Top: 37, Bottom: 297 - 37 - 225, Left: 28, Right: 210 - 28 - 156}

// Document is a word-processing document on A4 paper.
type Document struct {
	Blocks  []Block
	Margins Margins
	// Font and Size are the defaults of every run (FontBody and SizeSanHao
	// when empty). LinePitch is the exact line height in points (28.95 pt
	// when zero: 22 lines in GB/T 9704's type area).
	Font      string
	Size      Size
	LinePitch float64
	// Title is the document's title in its properties.
	Title string
}

// New returns an empty A4 document with GB/T 9704's margins, fonts and
// line pitch.
func New() *Document {
	return &Document{Margins: GBT9704Margins, Font: FontBody, Size: SizeSanHao, LinePitch: 28.95}
}

// Add appends blocks to the body.
func (d *Document) Add(b ...Block) { d.Blocks = append(d.Blocks, b...) }

func twips(mm float64) int { return int(mm*1440/25.4 + 0.5) }

func (d *Document) pitch() int {
	p := d.LinePitch
	if p == 0 {
		p = 28.95
	}
	return int(p*20 + 0.5)
}

func (d *Document) size() Size {
	if d.Size == 0 {
		return SizeSanHao
	}
	return d.Size
}

func esc(b *bytes.Buffer, s string) {
	_ = xml.EscapeText(b, []byte(s))
}

func attr(s string) string {
	var b bytes.Buffer
	esc(&b, s)
	return strings.ReplaceAll(b.String(), `"`, "&#34;")
}

func (p *Paragraph) writeTo(b *bytes.Buffer, d *Document) {
	b.WriteString("<w:p><w:pPr>")
	if p.KeepNext {
		b.WriteString("<w:keepNext/>")
	}
	if p.PageBreakBefore {
		b.WriteString("<w:pageBreakBefore/>")
	}
	if p.BorderBottom {
		b.WriteString(`<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="1" w:color="000000"/></w:pBdr>`)
	}
	pitch := d.pitch()
	fmt.Fprintf(b, `<w:spacing w:before="%d" w:after="%d" w:line="%d" w:lineRule="exact"/>`, p.SpaceBefore*pitch, p.SpaceAfter*pitch, pitch)
	charW := int(d.size()) * 10 // one character of the default size, in twips
	if p.IndentChars != 0 || p.RightChars != 0 {
		fmt.Fprintf(b, `<w:ind w:firstLineChars="%d" w:firstLine="%d" w:rightChars="%d" w:right="%d"/>`,
			p.IndentChars*100, p.IndentChars*charW, p.RightChars*100, p.RightChars*charW)
	}
	if p.Align != "" {
		fmt.Fprintf(b, `<w:jc w:val="%s"/>`, p.Align)
	}
	b.WriteString("</w:pPr>")
	for _, r := range p.Runs {
		b.WriteString("<w:r><w:rPr>")
		if r.Font != "" {
			f := attr(r.Font)
			fmt.Fprintf(b, `<w:rFonts w:ascii="%s" w:hAnsi="%s" w:eastAsia="%s" w:cs="%s"/>`, f, f, f, f)
		}
		if r.Bold {
			b.WriteString("<w:b/>")
		}
		if r.Size != 0 {
			fmt.Fprintf(b, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, r.Size, r.Size)
		}
		b.WriteString(`</w:rPr>`)
		for i, line := range strings.Split(r.Text, "\n") {
			if i > 0 {
				b.WriteString("<w:br/>")
			}
			b.WriteString(`<w:t xml:space="preserve">`)
			esc(b, line)
			b.WriteString("</w:t>")
		}
		b.WriteString("</w:r>")
	}
	b.WriteString("</w:p>")
}

func (t *Table) writeTo(b *bytes.Buffer, d *Document) {
	cols := 0
	for _, r := range t.Rows {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		return
	}
	widths := make([]int, cols)
	typeArea := 210 - d.Margins.Left - d.Margins.Right
	for i := range widths {
		if i < len(t.Widths) {
			widths[i] = twips(t.Widths[i])
		} else {
			widths[i] = twips(typeArea / float64(cols))
		}
	}
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
	}
	b.WriteString(`</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, w)
	}
	b.WriteString("</w:tblGrid>")
	for i, row := range t.Rows {
		b.WriteString("<w:tr>")
		if i == 0 && t.Header {
			b.WriteString("<w:trPr><w:tblHeader/></w:trPr>")
		}
		for j := 0; j < cols; j++ {
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>`, widths[j])
			var ps []*Paragraph
			if j < len(row) {
				ps = row[j].Paragraphs
			}
			if len(ps) == 0 {
				ps = []*Paragraph{{}} // a cell holds at least one paragraph
			}
			for _, p := range ps {
				p.writeTo(b, d)
			}
			b.WriteString("</w:tc>")
		}
		b.WriteString("</w:tr>")
	}
	b.WriteString("</w:tbl>")
}

const nsW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

func (d *Document) documentXML() []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<w:document xmlns:w="` + nsW + `" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>`)
	for _, bl := range d.Blocks {
		bl.writeTo(&b, d)
	}
	m := d.Margins
	if m == (Margins{}) {
		m = GBT9704Margins
	}
	// A4 is 210 mm × 297 mm: 11906 × 16838 twips.
	fmt.Fprintf(&b, `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="851" w:footer="992" w:gutter="0"/><w:docGrid w:type="linesAndChars" w:linePitch="%d"/></w:sectPr>`,
		twips(m.Top), twips(m.Right), twips(m.Bottom), twips(m.Left), d.pitch())
	b.WriteString("</w:body></w:document>")
	return b.Bytes()
}

func (d *Document) stylesXML() []byte {
	font := d.Font
	if font == "" {
		font = FontBody
	}
	f := attr(font)
	return []byte(xml.Header + `<w:styles xmlns:w="` + nsW + `"><w:docDefaults><w:rPrDefault><w:rPr>` +
		fmt.Sprintf(`<w:rFonts w:ascii="%s" w:hAnsi="%s" w:eastAsia="%s" w:cs="%s"/>`, f, f, f, f) +
		fmt.Sprintf(`<w:sz w:val="%d"/><w:szCs w:val="%d"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/>`, d.size(), d.size()) +
		`</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>` +
		`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>`)
}

// Write writes the document as a .docx file.
func (d *Document) Write(w io.Writer) error {
	z := zip.NewWriter(w)
	files := []struct {
		name string
		body []byte
	}{
		{"[Content_Types].xml", []byte(xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
			`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
			`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
			`</Types>`)},
		{"_rels/.rels", []byte(xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
			`</Relationships>`)},
		{"docProps/core.xml", []byte(xml.Header + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
			`<dc:title>` + attr(d.Title) + `</dc:title><dc:creator>banli</dc:creator></cp:coreProperties>`)},
		{"word/_rels/document.xml.rels", []byte(xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
			`</Relationships>`)},
		{"word/styles.xml", d.stylesXML()},
		{"word/document.xml", d.documentXML()},
	}
	for _, f := range files {
		fw, err := z.Create(f.name)
		if err != nil {
			return fmt.Errorf("error writing %s: %w", f.name, err)
		}
		if _, err := fw.Write(f.body); err != nil {
			return fmt.Errorf("error writing %s: %w", f.name, err)
		}
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("error writing docx: %w", err)
	}
	return nil
}

// Bytes returns the document as a .docx file.
func (d *Document) Bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := d.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Paragraphs reads the text of a .docx file's main document, one string
// per paragraph (a table's cells are paragraphs too), in order; a line
// break within a paragraph reads as "\n".
func Paragraphs(r io.ReaderAt, size int64) ([]string, error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("error opening docx: %w", err)
	}
	f, err := z.Open("word/document.xml")
	if err != nil {
		return nil, fmt.Errorf("error opening docx: %w", err)
	}
	defer f.Close()
	dec := xml.NewDecoder(f)
	var out []string
	var cur strings.Builder
	inText, inPara := false, false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("error reading docx: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space != nsW {
				continue
			}
			switch t.Name.Local {
			case "p":
				inPara = true
				cur.Reset()
			case "t":
				inText = true
			case "br":
				cur.WriteString("\n")
			case "tab":
				cur.WriteString("\t")
			}
		case xml.EndElement:
			if t.Name.Space != nsW {
				continue
			}
			switch t.Name.Local {
			case "p":
				if inPara {
					out = append(out, cur.String())
				}
				inPara = false
			case "t":
				inText = false
			}
		case xml.CharData:
			if inText {
				cur.Write(t)
			}
		}
	}
}

// ParagraphsOf is Paragraphs of a .docx file held in memory.
func ParagraphsOf(b []byte) ([]string, error) {
	return Paragraphs(bytes.NewReader(b), int64(len(b)))
}
