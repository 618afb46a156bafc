package letter_test

import (
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/demo"
	"github.com/banli-gov/banli/internal/docx"
	"github.com/banli-gov/banli/internal/letter"
	"github.com/banli-gov/banli/internal/letter/lettertest"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// pdfText and squeeze read a letter as its reader does (lettertest).
var (
	pdfText = lettertest.PDFText
	squeeze = lettertest.Squeeze
)

// A letter to two deputies, one each by default: each PDF and DOCX says
// the whole letter — salutation, opening with the title and number, every
// paragraph of the fixture's sections, the class mark, the sign-off date
// (not the send date), the 附注 and the copies — and the PDF stays small
// although the font file is 4 MB.
func TestRepliesRender(t *testing.T) {
	t.Parallel()
	signed := time.Date(2024, 9, 2, 16, 0, 0, 0, workflow.Zone())
	rp := &storage.CaseReply{Sections: demo.FixtureSections(), Class: workflow.ClassB, Disclosure: workflow.DisclosePublic,
		DocumentNumber: "武市监建〔2024〕294号", ContactPerson: "王晓燕", ContactPhone: "027-85880294",
		SignedByName: "赵建国", SignedAt: signed, SentAt: signed.AddDate(0, 0, 3)}
	letters := letter.Replies(letter.ReplyFacts{SessionShort: "市十五届人大三次会议", Number: "20240294",
		ProposalTitle: "关于加快推进科技成果转化的建议", Unit: "武汉市市场监督管理局", Deputies: []string{"陈明远", "许佳"},
		Reply: rp, Settings: workflow.DefaultLetterSettings()})
	if len(letters) != 2 {
		t.Fatalf("%d letters, want one per deputy", len(letters))
	}
	for i, name := range []string{"陈明远", "许佳"} {
		l := letters[i]
		start := time.Now()
		pdf, err := l.PDF()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: PDF %d bytes in %v", l.FileName, len(pdf), time.Since(start))
		if len(pdf) > 600_000 {
			t.Errorf("PDF of %d bytes: the font is not subset", len(pdf))
		}
		doc, err := l.DOCX()
		if err != nil {
			t.Fatal(err)
		}
		paras, err := docx.ParagraphsOf(doc)
		if err != nil {
			t.Fatal(err)
		}
		for format, text := range map[string]string{"PDF": squeeze(pdfText(t, pdf)), "DOCX": squeeze(strings.Join(paras, "\n"))} {
			want := []string{"武汉市市场监督管理局", "武市监建〔2024〕294号", "B类", "关于市十五届人大三次会议第20240294号建议的答复",
				name + "代表：", "您提出的《关于加快推进科技成果转化的建议》（第20240294号）收悉。现答复如下：",
				"专此答复。", "2024年9月2日", "（此件主动公开）", "（联系人：王晓燕，联系电话：027-85880294）",
				"抄送：市人大常委会代表工作委员会，市人民政府办公厅。"}
			for _, s := range demo.FixtureSections() {
				want = append(want, s.Heading)
				for _, p := range strings.Split(s.Body, "\n\n") {
					want = append(want, squeeze(p))
				}
			}
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("%s of the letter to %s lacks %q", format, name, w)
				}
			}
			for _, not := range []string{"2024年9月5日", "签发人", "公开属性"} {
				if strings.Contains(text, not) {
					t.Errorf("%s of the letter to %s says %q", format, name, not)
				}
			}
		}
	}
}
