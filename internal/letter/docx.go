package letter

import (
	"github.com/banli-gov/banli/internal/docx"
)

// DOCX renders the letter as a .docx document in GB/T 9704's letter
// format: 仿宋_GB2312 三号 for the body, 方正小标宋简体 二号 for the 函头 and
// the title, 黑体 for the section headings.
func (l *Letter) DOCX() ([]byte, error) {
	d := docx.New()
	d.Title = l.Title
	p := func(text string, opt func(*docx.Paragraph)) {
		par := docx.Text(text)
		if opt != nil {
			opt(par)
		}
		d.Add(par)
	}
	if l.ClassMark != "" {
		d.Add(&docx.Paragraph{Runs: []docx.Run{{Text: l.ClassMark, Font: docx.FontHeading}}})
	}
	d.Add(&docx.Paragraph{Align: docx.AlignCenter, BorderBottom: true, SpaceAfter: 1,
		Runs: []docx.Run{{Text: l.Unit, Font: docx.FontTitle, Size: docx.SizeErHao}}})
	if l.DocumentNumber != "" || l.Signer != "" {
		runs := []docx.Run{{Text: l.DocumentNumber}}
		align := docx.AlignRight
		if l.Signer != "" {
			runs = append(runs, docx.Run{Text: "　　签发人："}, docx.Run{Text: l.Signer, Font: docx.FontSecondHeading})
		}
		d.Add(&docx.Paragraph{Align: align, Runs: runs})
	}
	d.Add(&docx.Paragraph{Align: docx.AlignCenter, SpaceBefore: 1, SpaceAfter: 1,
		Runs: []docx.Run{{Text: l.Title, Font: docx.FontTitle, Size: docx.SizeErHao}}})
	p(l.Salutation, nil)
	p(l.Opening, func(x *docx.Paragraph) { x.IndentChars = 2 })
	for _, s := range l.Sections {
		if s.Heading != "" {
			d.Add(&docx.Paragraph{IndentChars: 2, KeepNext: true, Runs: []docx.Run{{Text: s.Heading, Font: docx.FontHeading}}})
		}
		for _, para := range s.Paragraphs {
			p(para, func(x *docx.Paragraph) { x.IndentChars = 2 })
		}
	}
	for _, c := range l.Closing {
		p(c, func(x *docx.Paragraph) { x.IndentChars = 2 })
	}
	p(l.Unit, func(x *docx.Paragraph) { x.Align, x.RightChars, x.SpaceBefore = docx.AlignRight, 4, 2 })
	p(l.Date, func(x *docx.Paragraph) { x.Align, x.RightChars = docx.AlignRight, 4 })
	if l.Note != "" {
		p(l.Note, func(x *docx.Paragraph) { x.IndentChars, x.SpaceBefore = 2, 1 })
	}
	if l.Contact != "" {
		p(l.Contact, func(x *docx.Paragraph) { x.IndentChars = 2 })
	}
	if c := l.CopyLine(); c != "" {
		d.Add(&docx.Paragraph{SpaceBefore: 1, BorderBottom: true,
			Runs: []docx.Run{{Text: c, Size: docx.SizeSiHao}}})
	}
	return d.Bytes()
}
