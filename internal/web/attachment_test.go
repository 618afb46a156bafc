package web_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// A small but real file of each kind the attachments take.
var (
	pdfFile = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	pngFile = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 40)...)
	jpgFile = append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), make([]byte, 40)...)
)

// zipOf is a ZIP archive of the named parts.
func zipOf(t *testing.T, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.Create(n)
		mustT(t, err)
		_, err = w.Write([]byte("<x/>"))
		mustT(t, err)
	}
	mustT(t, zw.Close())
	return buf.Bytes()
}

// upload posts the case page's upload form: file (named name) for owner,
// public when asked.
func (b *cwBrowser) upload(caseID int64, owner, name string, content []byte, public bool) (*http.Response, string) {
	b.t.Helper()
	return b.uploadTo(fmt.Sprintf("/cases/%d/attachments", caseID), owner, name, content, public)
}

// uploadTo posts an upload form to path.
func (b *cwBrowser) uploadTo(path, owner, name string, content []byte, public bool) (*http.Response, string) {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf_token", b.csrf)
	_ = mw.WriteField("owner", owner)
	if public {
		_ = mw.WriteField("public", "1")
	}
	fw, err := mw.CreateFormFile("file", name)
	mustT(b.t, err)
	_, _ = fw.Write(content)
	mustT(b.t, mw.Close())
	req, err := http.NewRequest(http.MethodPost, b.base+path, &body)
	mustT(b.t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

// attachmentID is the id of the newest file named name.
func (cw *casework) attachmentID(t *testing.T, name string) int64 {
	t.Helper()
	var id int64
	mustT(t, cw.db.Pool.QueryRow(cw.ctx, `SELECT max(id) FROM attachments WHERE filename = $1`, name).Scan(&id))
	return id
}

// uploaded uploads and expects the 303 to the case page's files; it
// returns the new file's id.
func (cw *casework) uploaded(t *testing.T, b *cwBrowser, caseID int64, owner, name string, content []byte, public bool) int64 {
	t.Helper()
	resp, page := b.upload(caseID, owner, name, content, public)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("%s uploading %s for %s: %d\n%s", b.name, name, owner, resp.StatusCode, page)
	}
	return cw.attachmentID(t, name)
}

// TestAttachmentsPerKind: a file on the case, a contact record, a draft,
// a signed reply and the suggestion itself is uploaded, listed with who
// added it and when, downloaded as it was sent (with its name and
// nosniff), and deleted: then it stays listed as deleted by whom, its
// download is gone, and the case's timeline records both.
func TestAttachmentsPerKind(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	drafter := cw.login(t, "scjg.drafter")
	liaison := cw.login(t, "dcs.liaison")
	drafting := cw.caseOf(t, "关于加强农贸市场计量器具监管的建议", "scjg")
	reviewer := cw.login(t, "scjg.reviewer")
	inReview := cw.caseOf(t, "关于加强直播带货监管的建议", "scjg")
	replied := cw.caseOf(t, "关于完善涉企行政执法检查机制的建议", "scjg")
	comm := &storage.Communication{CaseID: drafting.ID, Method: workflow.ContactPhone, HappenedOn: workflow.DateOf(cw.db.Clock.Now()),
		Summary: "电话沟通办理思路。"}
	mustT(t, cw.db.AddCommunication(cw.ctx, drafter.actor, comm, time.Time{}))
	var draftID, replyID int64
	mustT(t, cw.db.Pool.QueryRow(cw.ctx, `SELECT coalesce(max(id), 0) FROM drafts WHERE case_id = $1`, inReview.ID).Scan(&draftID))
	mustT(t, cw.db.Pool.QueryRow(cw.ctx, `SELECT coalesce(max(id), 0) FROM replies WHERE case_id = $1`, replied.ID).Scan(&replyID))
	if draftID == 0 || replyID == 0 {
		t.Fatalf("demo data: draft %d, reply %d", draftID, replyID)
	}

	tests := []struct {
		who     *cwBrowser
		caseID  int64
		owner   string
		name    string
		content []byte
		of      string
	}{
		{drafter, drafting.ID, "case", "办理方案.pdf", pdfFile, "本办件"},
		{drafter, drafting.ID, fmt.Sprintf("communication:%d", comm.ID), "面商照片.jpg", jpgFile, "面商记录"},
		{reviewer, inReview.ID, fmt.Sprintf("draft:%d", draftID), "附表.xlsx", zipOf(t, "[Content_Types].xml", "xl/workbook.xml"), "答复稿第"},
		{drafter, replied.ID, fmt.Sprintf("reply:%d", replyID), "盖章答复函.pdf", pdfFile, "第 1 轮答复"},
		{liaison, drafting.ID, "proposal", "建议原件.png", pngFile, "建议本身"},
	}
	for _, tt := range tests {
		casePath := fmt.Sprintf("/cases/%d", tt.caseID)
		before := cw.events(t, tt.caseID)
		id := cw.uploaded(t, tt.who, tt.caseID, tt.owner, tt.name, tt.content, false)
		_, page := tt.who.get(casePath)
		row := regexp.MustCompile(fmt.Sprintf(`(?s)<tr data-attachment="%d">.*?</tr>`, id)).FindString(page)
		for _, want := range []string{tt.name, tt.of, tt.who.name} {
			if !strings.Contains(row, want) {
				t.Errorf("%s: the listed file lacks %q:\n%s", tt.owner, want, row)
			}
		}
		checkCasePage(t, "case page with files", page)

		resp, body := tt.who.get(fmt.Sprintf("/attachments/%d", id))
		if resp.StatusCode != http.StatusOK || body != string(tt.content) {
			t.Fatalf("%s: download %d, %d bytes, want %d", tt.owner, resp.StatusCode, len(body), len(tt.content))
		}
		if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=utf-8''") {
			t.Errorf("%s: Content-Disposition %q", tt.owner, cd)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", tt.owner)
		}

		resp, _ = tt.who.post(fmt.Sprintf("%s/attachments/%d/delete", casePath, id), nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: delete %d", tt.owner, resp.StatusCode)
		}
		_, page = tt.who.get(casePath)
		row = regexp.MustCompile(fmt.Sprintf(`(?s)<tr data-attachment="%d"[^>]*>.*?</tr>`, id)).FindString(page)
		if !strings.Contains(row, `data-deleted="true"`) || !strings.Contains(row, `已删除：<span lang="zh-CN">`+tt.who.name+"</span> 于") {
			t.Errorf("%s: after deleting, the row is\n%s", tt.owner, row)
		}
		if resp, _ := tt.who.get(fmt.Sprintf("/attachments/%d", id)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: a deleted file downloads: %d", tt.owner, resp.StatusCode)
		}
		if got := cw.events(t, tt.caseID) - before; got != 2 {
			t.Errorf("%s: %d audit events for adding and deleting, want 2", tt.owner, got)
		}
		if !strings.Contains(page, "添加附件") || !strings.Contains(page, "删除附件") {
			t.Errorf("%s: the timeline does not show adding and deleting", tt.owner)
		}
		if resp, _ := tt.who.post(fmt.Sprintf("%s/attachments/%d/delete", casePath, id), nil); resp.StatusCode == http.StatusSeeOther {
			t.Errorf("%s: deleting twice succeeded", tt.owner)
		}
		checkLanguage(t, "case page with a deleted file (zh)", page, ui.LangZH)
		req, err := http.NewRequest(http.MethodGet, cw.srv.URL+casePath, nil)
		mustT(t, err)
		req.AddCookie(&http.Cookie{Name: ui.LangCookie, Value: ui.LangEN})
		_, en := tt.who.do(req)
		checkLanguage(t, "case page with a deleted file (en)", en, ui.LangEN)
	}
}

// TestAttachmentRefusedByContent: the kind of a file is what its content
// is, not its name; anything else is refused in words naming the file,
// and nothing is stored.
func TestAttachmentRefusedByContent(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	drafter := cw.login(t, "scjg.drafter")
	c := cw.caseOf(t, "关于加强农贸市场计量器具监管的建议", "scjg")
	good := []struct {
		name    string
		content []byte
		typ     string
	}{
		{"a.docx", zipOf(t, "[Content_Types].xml", "_rels/.rels", "word/document.xml"), "wordprocessingml"},
		{"b.xlsx", zipOf(t, "[Content_Types].xml", "xl/workbook.xml"), "spreadsheetml"},
		{"c.ofd", zipOf(t, "OFD.xml", "Doc_0/Document.xml"), "application/ofd"},
		{"扫描件（无扩展名）", pdfFile, "application/pdf"},
	}
	for _, g := range good {
		id := cw.uploaded(t, drafter, c.ID, "case", g.name, g.content, false)
		resp, _ := drafter.get(fmt.Sprintf("/attachments/%d", id))
		if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, g.typ) {
			t.Errorf("%s: served as %q, want %s", g.name, ct, g.typ)
		}
	}
	bad := []struct {
		name    string
		content []byte
		want    string
	}{
		{"伪装的答复.pdf", []byte("<html><script>alert(1)</script></html>"), "不是可以上传的文件类型"},
		{"压缩包.docx", zipOf(t, "readme.txt"), "不是可以上传的文件类型"},
		{"程序.png", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), "不是可以上传的文件类型"},
		{"带宏.docx", zipOf(t, "[Content_Types].xml", "word/document.xml", "word/vbaProject.bin"), "含有宏"},
	}
	var before int
	mustT(t, cw.db.Pool.QueryRow(cw.ctx, `SELECT count(*) FROM attachments`).Scan(&before))
	for _, b := range bad {
		resp, page := drafter.upload(c.ID, "case", b.name, b.content, false)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "“"+b.name+"”") || !strings.Contains(page, b.want) {
			t.Errorf("%s: %d, want 422 naming the file and saying %q", b.name, resp.StatusCode, b.want)
		}
	}
	var after int
	mustT(t, cw.db.Pool.QueryRow(cw.ctx, `SELECT count(*) FROM attachments`).Scan(&after))
	if after != before {
		t.Errorf("refused files stored: %d → %d", before, after)
	}
	// Public is for a reply's file only.
	if resp, _ := drafter.upload(c.ID, "case", "公开.pdf", pdfFile, true); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a case's file marked public: %d", resp.StatusCode)
	}
}

// TestAttachmentSizeLimit: a file over the configured limit is refused in
// words naming it and the limit; a body far over it is cut off at the
// limit; other forms keep their own, smaller bound.
func TestAttachmentSizeLimit(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	cw.cfg.AttachmentMaxBytes = 1 << 20
	drafter := cw.login(t, "scjg.drafter")
	c := cw.caseOf(t, "关于加强农贸市场计量器具监管的建议", "scjg")
	pad := func(n int) []byte { return append(append([]byte{}, pdfFile...), make([]byte, n-len(pdfFile))...) }

	cw.uploaded(t, drafter, c.ID, "case", "正好.pdf", pad(1<<20), false)
	resp, page := drafter.upload(c.ID, "case", "大了一点.pdf", pad(1<<20+1), false)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, "“大了一点.pdf”") || !strings.Contains(page, "上限 1 MB") {
		t.Errorf("a file of 1 MB + 1 byte: %d\n%s", resp.StatusCode, page)
	}
	resp, page = drafter.upload(c.ID, "case", "大得多.pdf", pad(3<<20), false)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, "1 MB") {
		t.Errorf("a body of 3 MB: %d\n%s", resp.StatusCode, page)
	}
	// Nobody who is not logged in makes the server read more than 1 MB:
	// an upload without a session (or with a made-up one) is refused by
	// its size before anything is parsed.
	for name, cookie := range map[string]*http.Cookie{"no session": nil,
		"a made-up session": {Name: "banli_session", Value: "not-a-session"}} {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "匿名.pdf")
		_, _ = fw.Write(pad(1<<20 + 1))
		_ = mw.Close()
		req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/cases/%d/attachments", drafter.base, c.ID), &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		if cookie != nil {
			req.AddCookie(cookie)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("an upload of 1 MB + 1 byte with %s: %d, want 413", name, resp.StatusCode)
		}
	}
	// The communication form is not an upload route: 1 MB at most.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf_token", drafter.csrf)
	fw, _ := mw.CreateFormFile("file", "x.pdf")
	_, _ = fw.Write(pad(1 << 20))
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/cases/%d/communications", drafter.base, c.ID), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if resp, _ := drafter.do(req); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("1 MB to a form that is not an upload: %d", resp.StatusCode)
	}
}

var nextRe = regexp.MustCompile(`next=[^&"]*`)

// TestAttachmentVisibility: a file is seen by exactly who sees what it
// belongs to. Another unit cannot fetch a unit's file — the same 404 as a
// file that does not exist; the lead unit reads a co-handling unit's; the
// suggestion's own file is seen by every unit handling it and the liaison.
func TestAttachmentVisibility(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	scjg := cw.login(t, "scjg.drafter")
	kcj := cw.login(t, "kcj.drafter")
	jyj := cw.login(t, "jyj.drafter")
	liaison := cw.login(t, "dcs.liaison")
	admin := cw.login(t, "admin")
	lead := cw.caseOf(t, "关于推进知识产权质押融资的建议", "scjg")
	co := cw.caseOf(t, "关于推进知识产权质押融资的建议", "kcj")

	own := cw.uploaded(t, scjg, lead.ID, "case", "市场监管局材料.pdf", pdfFile, false)
	coFile := cw.uploaded(t, kcj, co.ID, "case", "协办意见附件.pdf", pdfFile, false)
	proposalFile := cw.uploaded(t, liaison, lead.ID, "proposal", "建议原文.pdf", pdfFile, false)

	_, missing := jyj.get("/attachments/999999999")
	tests := []struct {
		who  *cwBrowser
		id   int64
		want int
	}{
		{scjg, own, http.StatusOK}, {liaison, own, http.StatusOK},
		{jyj, own, http.StatusNotFound}, {kcj, own, http.StatusNotFound}, {admin, own, http.StatusNotFound},
		{kcj, coFile, http.StatusOK}, {scjg, coFile, http.StatusOK}, {jyj, coFile, http.StatusNotFound},
		{scjg, proposalFile, http.StatusOK}, {kcj, proposalFile, http.StatusOK}, {liaison, proposalFile, http.StatusOK},
		{jyj, proposalFile, http.StatusNotFound},
	}
	for _, tt := range tests {
		resp, body := tt.who.get(fmt.Sprintf("/attachments/%d", tt.id))
		if resp.StatusCode != tt.want {
			t.Errorf("%s fetching file %d: %d, want %d", tt.who.name, tt.id, resp.StatusCode, tt.want)
		}
		// The same page but for the address it names (the language switch's).
		if tt.who == jyj && nextRe.ReplaceAllString(body, "") != nextRe.ReplaceAllString(missing, "") {
			t.Errorf("another unit's file %d answers differently from a file that does not exist", tt.id)
		}
	}
	// Nor can another unit delete it, through its own case or the file's.
	if resp, _ := jyj.post(fmt.Sprintf("/cases/%d/attachments/%d/delete", lead.ID, own), nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another unit deleting through the file's case: %d", resp.StatusCode)
	}
	// The lead unit reads the co-handling unit's file but may not delete it.
	if resp, _ := scjg.post(fmt.Sprintf("/cases/%d/attachments/%d/delete", co.ID, coFile), nil); resp.StatusCode == http.StatusSeeOther {
		t.Errorf("the lead unit deleted the co-handling unit's file")
	}
	if resp, _ := scjg.post(fmt.Sprintf("/cases/%d/attachments/%d/delete", lead.ID, coFile), nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("deleting a file through a case it does not belong to: %d", resp.StatusCode)
	}
}

// TestAttachmentOnPortal: a reply's file is on the public page only when
// marked public and only once the reply is published; deleting it takes
// it off.
func TestAttachmentOnPortal(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	drafter := cw.login(t, "scjg.drafter")
	anon := cw.anonymous(t, cw.srv.URL)
	replyOf := func(caseID int64) (replyID, pubID int64, state string) {
		mustT(t, cw.db.Pool.QueryRow(cw.ctx, `SELECT r.id, coalesce(p.id, 0), coalesce(p.state, '') FROM replies r
			LEFT JOIN publications p ON p.reply_id = r.id WHERE r.case_id = $1 ORDER BY r.round DESC LIMIT 1`, caseID).
			Scan(&replyID, &pubID, &state))
		return
	}
	published := cw.caseOf(t, "关于加强冷链食品追溯管理的建议", "scjg")
	rep, pub, state := replyOf(published.ID)
	if state != "published" {
		t.Fatalf("demo data: publication %d is %q", pub, state)
	}
	owner := fmt.Sprintf("reply:%d", rep)
	public := cw.uploaded(t, drafter, published.ID, owner, "盖章答复函扫描件.pdf", pdfFile, true)
	private := cw.uploaded(t, drafter, published.ID, owner, "内部签批单.pdf", pdfFile, false)
	pubPath := fmt.Sprintf("/public/replies/%d", pub)
	_, page := anon.get(pubPath)
	if !strings.Contains(page, "盖章答复函扫描件.pdf") || strings.Contains(page, "内部签批单.pdf") {
		t.Errorf("the public page lists the public file only:\n%s", page)
	}
	if resp, body := anon.get(fmt.Sprintf("%s/attachments/%d", pubPath, public)); resp.StatusCode != http.StatusOK || body != string(pdfFile) {
		t.Errorf("the public file: %d", resp.StatusCode)
	}
	if resp, _ := anon.get(fmt.Sprintf("%s/attachments/%d", pubPath, private)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a file not marked public: %d", resp.StatusCode)
	}
	if resp, _ := anon.get(fmt.Sprintf("/attachments/%d", public)); resp.StatusCode == http.StatusOK {
		t.Errorf("the staff download without login: %d", resp.StatusCode)
	}

	// Not yet published: marked public, still not on the portal.
	pending := cw.caseOf(t, "关于完善涉企行政执法检查机制的建议", "scjg")
	rep2, pub2, state2 := replyOf(pending.ID)
	if state2 == "published" {
		t.Fatalf("demo data: publication %d already published", pub2)
	}
	early := cw.uploaded(t, drafter, pending.ID, fmt.Sprintf("reply:%d", rep2), "尚未公开.pdf", pdfFile, true)
	if pub2 != 0 {
		if resp, _ := anon.get(fmt.Sprintf("/public/replies/%d/attachments/%d", pub2, early)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("a public file of an unpublished reply: %d", resp.StatusCode)
		}
	}
	// Under another publication's address: not found either.
	if resp, _ := anon.get(fmt.Sprintf("%s/attachments/%d", pubPath, early)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a file under another reply's address: %d", resp.StatusCode)
	}

	// Deleted: off the portal.
	if resp, _ := drafter.post(fmt.Sprintf("/cases/%d/attachments/%d/delete", published.ID, public), nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	if resp, _ := anon.get(fmt.Sprintf("%s/attachments/%d", pubPath, public)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a deleted public file: %d", resp.StatusCode)
	}
	if _, page := anon.get(pubPath); strings.Contains(page, "盖章答复函扫描件.pdf") {
		t.Error("a deleted file is still listed on the portal")
	}
}

// TestProposalFiles: the liaison attaches a file to the suggestion itself
// on the proposal page; every unit handling it sees it on its case page
// and fetches it, another unit cannot; only the liaison adds or deletes
// such files, and a deleted one stays listed as deleted.
func TestProposalFiles(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	liaison := cw.login(t, "dcs.liaison")
	scjg := cw.login(t, "scjg.drafter")
	jyj := cw.login(t, "jyj.drafter")
	c := cw.caseOf(t, "关于加强直播带货监管的建议", "scjg")
	proposalPath := fmt.Sprintf("/proposals/%d", c.ProposalID)

	if resp, _ := scjg.uploadTo(proposalPath+"/attachments", "proposal", "x.pdf", pdfFile, false); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a drafter uploading on the proposal page: %d", resp.StatusCode)
	}
	resp, page := liaison.uploadTo(proposalPath+"/attachments", "proposal", "代表建议原件.pdf", pdfFile, false)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload on the proposal page: %d\n%s", resp.StatusCode, page)
	}
	id := cw.attachmentID(t, "代表建议原件.pdf")
	_, page = liaison.follow(resp)
	if !strings.Contains(page, fmt.Sprintf(`<li data-attachment="%d">`, id)) {
		t.Errorf("the proposal page does not list the file")
	}
	checkPageIn(t, "proposal page with a file", page, "zh-CN")
	if resp, _ := liaison.uploadTo(proposalPath+"/attachments", "proposal", "网页.pdf", []byte("<html></html>"), false); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a web page as a PDF on the proposal page: %d", resp.StatusCode)
	}
	if _, page := scjg.get(fmt.Sprintf("/cases/%d", c.ID)); !strings.Contains(page, fmt.Sprintf(`<tr data-attachment="%d">`, id)) {
		t.Errorf("the unit's case page does not list the suggestion's file")
	}
	if resp, _ := scjg.get(fmt.Sprintf("/attachments/%d", id)); resp.StatusCode != http.StatusOK {
		t.Errorf("the unit fetching the suggestion's file: %d", resp.StatusCode)
	}
	if resp, _ := jyj.get(fmt.Sprintf("/attachments/%d", id)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another unit fetching the suggestion's file: %d", resp.StatusCode)
	}
	// Deleting through another suggestion's page: not found.
	other := cw.caseOf(t, "关于加强农贸市场计量器具监管的建议", "scjg")
	if resp, _ := liaison.post(fmt.Sprintf("/proposals/%d/attachments/%d/delete", other.ProposalID, id), nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("deleting through another suggestion: %d", resp.StatusCode)
	}
	resp, _ = liaison.post(fmt.Sprintf("%s/attachments/%d/delete", proposalPath, id), nil)
	_, page = liaison.follow(resp)
	if !strings.Contains(page, fmt.Sprintf(`<li data-attachment="%d" class="deleted" data-deleted="true">`, id)) || !strings.Contains(page, liaison.name) {
		t.Errorf("after deleting, the proposal page:\n%s", page)
	}
	if resp, _ := scjg.get(fmt.Sprintf("/attachments/%d", id)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a deleted file: %d", resp.StatusCode)
	}
}
