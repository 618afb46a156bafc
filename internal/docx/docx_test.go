package docx_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/docx"
)

// A document written reopens as a zip whose every part is well-formed
// XML, and its paragraphs read back as written — a table's cells among
// them, markup characters and line breaks kept.
func TestWriteReopens(t *testing.T) {
	t.Parallel()
	d := docx.New()
	d.Title = "关于市十五届人大三次会议第20240294号建议的答复"
	d.Add(
		&docx.Paragraph{Align: docx.AlignCenter, Runs: []docx.Run{{Text: d.Title, Font: docx.FontTitle, Size: docx.SizeErHao}}},
		&docx.Paragraph{Runs: []docx.Run{{Text: "一、工作开展情况", Font: docx.FontHeading}}, IndentChars: 2},
		docx.Text("《专利转化运用专项行动方案(2023—2025年)》<&> \"引号\""),
		&docx.Table{Header: true, Rows: [][]docx.Cell{
			{{Paragraphs: []*docx.Paragraph{docx.Text("单位")}}, {Paragraphs: []*docx.Paragraph{docx.Text("件数")}}},
			{{Paragraphs: []*docx.Paragraph{docx.Text("市市场监管局")}}, {}},
		}},
		docx.Text("联系人：王磊\n联系电话：027-12345678"),
	)
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	got, err := docx.ParagraphsOf(b)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{d.Title, "一、工作开展情况", "《专利转化运用专项行动方案(2023—2025年)》<&> \"引号\"",
		"单位", "件数", "市市场监管局", "", "联系人：王磊\n联系电话：027-12345678"}
	if !slices.Equal(got, want) {
		t.Errorf("paragraphs:\n got %q\nwant %q", got, want)
	}

	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(rc)
		rc.Close()
		parts[f.Name] = string(body)
		dec := xml.NewDecoder(bytes.NewReader(body))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s is not well-formed: %v", f.Name, err)
			}
		}
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml"} {
		if _, ok := parts[name]; !ok {
			t.Errorf("part %s missing", name)
		}
	}
	doc := parts["word/document.xml"]
	// The title's East Asian font and 二号 size; A4 with 天头 37 mm
	// (2098 twips) and 订口 28 mm (1587 twips).
	for _, s := range []string{`w:eastAsia="方正小标宋简体"`, `<w:sz w:val="44"/>`, `w:eastAsia="黑体"`,
		`<w:pgSz w:w="11906" w:h="16838"/>`, `w:top="2098"`, `w:left="1587"`, `<w:tblHeader/>`} {
		if !strings.Contains(doc, s) {
			t.Errorf("document.xml lacks %s", s)
		}
	}
	if !strings.Contains(parts["word/styles.xml"], `w:eastAsia="仿宋_GB2312"`) {
		t.Error("the body's default font is not 仿宋_GB2312")
	}
}

// Paragraphs refuses what is not a docx.
func TestParagraphsNotDocx(t *testing.T) {
	t.Parallel()
	if _, err := docx.ParagraphsOf([]byte("%PDF-1.7")); err == nil {
		t.Error("a PDF read as a docx")
	}
}
