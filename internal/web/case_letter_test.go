package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/docx"
)

// pdfText is the text pdftotext (poppler-utils) reads from a PDF, white
// space removed; the test fails without pdftotext.
func pdfText(t *testing.T, pdf string) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatal("pdftotext not found: install poppler-utils (scripts/test.sh does)")
	}
	cmd := exec.Command(bin, "-enc", "UTF-8", "-", "-")
	cmd.Stdin = strings.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := regexp.MustCompile(`(?m)^— ?\d+ ?—$`).ReplaceAllString(string(out), "") // page numbers
	return strings.Join(strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == '\n' || r == '\u3000' || r == '\f' }), "")
}

// TestCaseLetterDownloads: the lead unit downloads No. 20240294's reply
// letters from its case page — each deputy's as PDF or DOCX, all of them as
// a ZIP; a co-handling unit downloads its co-opinion letter to the lead
// unit, which the lead unit may download too, and reads the lead unit's
// reply, sent, on its own case page; a unit with no part in the suggestion
// finds none of it.
func TestCaseLetterDownloads(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	lead := cw.login(t, "scjg.drafter")
	c := cw.caseOf(t, "关于加快推进科技成果转化的建议", "scjg")
	_, page := lead.get(fmt.Sprintf("/cases/%d", c.ID))
	for _, id := range []string{"letter-1-pdf", "letter-2-docx", "letters-pdf"} {
		if !strings.Contains(page, `id="`+id+`"`) {
			t.Errorf("the case page lacks the link %s", id)
		}
	}

	resp, body := lead.get(fmt.Sprintf("/cases/%d/letter?format=pdf&to=2", c.ID))
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("the letter to 许佳 as PDF: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
		t.Errorf("Content-Disposition %q", cd)
	}
	if text := pdfText(t, body); !strings.Contains(text, "许佳代表：") || strings.Contains(text, "陈明远代表：") || !strings.Contains(text, "B类") {
		t.Errorf("the letter to 许佳 reads %q", text)
	}
	resp, body = lead.get(fmt.Sprintf("/cases/%d/letter?format=docx&to=1", c.ID))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the letter to 陈明远 as DOCX: %d", resp.StatusCode)
	}
	paras, err := docx.ParagraphsOf([]byte(body))
	if err != nil || !strings.Contains(strings.Join(paras, "\n"), "陈明远代表：") {
		t.Errorf("the DOCX to 陈明远 reopens as %q (%v)", paras, err)
	}
	resp, body = lead.get(fmt.Sprintf("/cases/%d/letter?format=docx", c.ID))
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" || !strings.HasPrefix(body, "PK") {
		t.Errorf("every letter: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp, _ := lead.get(fmt.Sprintf("/cases/%d/letter?format=pdf&to=3", c.ID)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a third letter: %d", resp.StatusCode)
	}
	if resp, _ := lead.get(fmt.Sprintf("/cases/%d/letter?format=odt", c.ID)); resp.StatusCode != http.StatusUnprocessableEntity && resp.StatusCode != http.StatusBadRequest {
		t.Errorf("format odt: %d", resp.StatusCode)
	}

	co := cw.caseOf(t, "关于加快推进科技成果转化的建议", "kcj")
	kcj := cw.login(t, "kcj.drafter")
	_, page = kcj.get(fmt.Sprintf("/cases/%d", co.ID))
	for _, want := range []string{`id="lead-replies"`, "一是出台政策提升成果转化效能", `id="co-letter-pdf"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the co-handling unit's case page lacks %s", want)
		}
	}
	for _, who := range []*cwBrowser{kcj, lead} {
		resp, body := who.get(fmt.Sprintf("/cases/%d/letter?format=pdf", co.ID))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: the co-opinion letter: %d", who.name, resp.StatusCode)
		}
		text := pdfText(t, body)
		for _, want := range []string{"武汉市科技创新局", "关于市十五届人大三次会议第20240294号建议的协办意见", "武汉市市场监督管理局：", "收悉", "特此函告。"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the co-opinion letter lacks %q: %q", who.name, want, text)
			}
		}
	}
	if _, page := lead.get(fmt.Sprintf("/cases/%d", c.ID)); !strings.Contains(page, fmt.Sprintf(`id="co-letter-%d-pdf"`, co.ID)) {
		t.Error("the lead unit's case page does not link to the co-opinion letter")
	}
	if resp, _ := kcj.get(fmt.Sprintf("/cases/%d/letter?format=pdf", c.ID)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the co-handling unit downloads the lead unit's letter file: %d", resp.StatusCode)
	}
	// A lead reply not yet sent stays with the lead unit.
	var waiting int64
	var unit, state string
	if err := cw.db.Pool.QueryRow(cw.ctx, `SELECT co.id, d.code, l.state FROM cases co
		JOIN departments d ON d.id = co.department_id
		JOIN cases l ON l.proposal_id = co.proposal_id AND l.kind = 'lead' AND l.state <> 'returned'
		WHERE co.kind = 'co' AND l.state IN ('drafting', 'in_review', 'awaiting_approval', 'approved')
		ORDER BY l.state = 'approved' DESC, co.id LIMIT 1`).Scan(&waiting, &unit, &state); err != nil {
		t.Fatalf("the demo has no co-handled suggestion whose lead unit has not replied yet: %v", err)
	}
	_, page = cw.login(t, unit+".drafter").get(fmt.Sprintf("/cases/%d", waiting))
	if !strings.Contains(page, "主办单位尚未答复代表。") || strings.Contains(page, `class="lead-reply"`) {
		t.Errorf("a co-handling unit reads the lead unit's reply before it is sent (lead %s)", state)
	}

	other := cw.login(t, "jyj.drafter")
	for _, id := range []int64{c.ID, co.ID} {
		if resp, _ := other.get(fmt.Sprintf("/cases/%d/letter?format=pdf", id)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another unit downloads case %d's letter: %d", id, resp.StatusCode)
		}
	}
	drafting := cw.caseOf(t, "关于加强农贸市场计量器具监管的建议", "scjg")
	if resp, _ := lead.get(fmt.Sprintf("/cases/%d/letter?format=pdf", drafting.ID)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a letter before sign-off: %d", resp.StatusCode)
	}
}

// TestSessionLetterSettings: the administrator sets a session's letters to
// go to the lead deputy only, copied to the joint signer, with a closing of
// two paragraphs and the 签发人 named; the print view and the files follow,
// and the administration log records the change. An empty opening is
// refused beside its field.
func TestSessionLetterSettings(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	admin := cw.login(t, "admin")
	var sessionID int64
	if err := cw.db.Pool.QueryRow(cw.ctx, `SELECT id FROM congress_sessions WHERE short_name = '市十五届人大三次会议'`).Scan(&sessionID); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/admin/sessions/%d", sessionID)
	_, page := admin.get(path)
	if !strings.Contains(page, `id="letter-form"`) || !strings.Contains(page, "市人民政府办公厅") {
		t.Fatal("the session page lacks the letter settings form with its defaults")
	}
	resp, page := admin.post(path+"/letter", url.Values{"opening": {""}, "closing": {"专此答复。"}, "copy_to": {"市人民政府办公厅"}, "per_deputy": {"each"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="letter-opening-error"`) {
		t.Errorf("an empty opening: %d", resp.StatusCode)
	}
	resp, _ = admin.post(path+"/letter", url.Values{
		"opening":     {"您提出的《{标题}》（第{编号}号）收悉，经认真研究，现答复如下："},
		"closing":     {"专此答复。\n感谢您对市场监管工作的关心和支持。"},
		"copy_to":     {"市人大常委会代表工作委员会\n\n市人民政府督查室"},
		"per_deputy":  {"lead"},
		"show_signer": {"1"},
	})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the letter settings: %d", resp.StatusCode)
	}
	drafter := cw.login(t, "scjg.drafter")
	c := cw.caseOf(t, "关于加快推进科技成果转化的建议", "scjg")
	_, page = drafter.get(fmt.Sprintf("/cases/%d/reply/print", c.ID))
	if n := strings.Count(page, `<article class="letter"`); n != 1 {
		t.Errorf("%d letters, want one to the lead deputy", n)
	}
	var signer string
	if err := cw.db.Pool.QueryRow(cw.ctx, `SELECT u.name FROM replies r JOIN users u ON u.id = r.signed_by WHERE r.case_id = $1`, c.ID).Scan(&signer); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"陈明远代表：", "收悉，经认真研究，现答复如下：", "<p>感谢您对市场监管工作的关心和支持。</p>",
		"抄送：市人大常委会代表工作委员会，市人民政府督查室，许佳代表。", "签发人：" + signer} {
		if !strings.Contains(page, want) {
			t.Errorf("print view lacks %s", want)
		}
	}
	resp, body := drafter.get(fmt.Sprintf("/cases/%d/letter?format=pdf", c.ID))
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("the one letter: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if text := pdfText(t, body); !strings.Contains(text, "许佳代表。") || !strings.Contains(text, "签发人："+signer) {
		t.Errorf("the PDF does not follow the settings: %q", text)
	}
	_, page = admin.get("/admin/log")
	if !strings.Contains(page, "市十五届人大三次会议") || !strings.Contains(page, "答复函设置") {
		t.Error("the administration log does not record the change")
	}
	if !bytes.Contains([]byte(page), []byte("系统管理员")) {
		t.Error("the administration log does not name the administrator")
	}
}
