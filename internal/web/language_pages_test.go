package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"

	"github.com/banli-gov/banli/internal/demo"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// TestPagesInBothLanguages renders every main page, in English and in
// Chinese, and reads it as a person would, outside the parts that are data
// (titles and texts of suggestions and replies, names of people, units
// and sessions, comments), which the templates mark with their language
// (lang="zh-CN"): an element whose lang differs from the page's is skipped,
// with everything in it.
//
// In English no Han character may show: not in the text, nor in what a
// screen or a screen reader shows of attributes (title, alt, placeholder,
// aria-label, data-label, a button's value); the <title> may repeat the
// page's data. In Chinese no catalogue key may show as itself, nor a
// workflow identifier (a state, an action or a kind of the All* lists),
// nor a word of the English catalogue that the Chinese one never uses.
func TestPagesInBothLanguages(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	ctx := cw.ctx
	fixture := cw.caseOf(t, "关于加快推进科技成果转化的建议", "scjg")
	drafting := cw.caseOf(t, "关于加强农贸市场计量器具监管的建议", "scjg")
	coCase := cw.caseOf(t, "关于加快推进科技成果转化的建议", "kcj")
	var sessionID, userID int64
	mustT(t, cw.db.Pool.QueryRow(ctx, `SELECT id FROM congress_sessions ORDER BY id LIMIT 1`).Scan(&sessionID))
	mustT(t, cw.db.Pool.QueryRow(ctx, `SELECT id FROM users WHERE email = 'scjg.drafter@banli.example'`).Scan(&userID))
	publication, err := cw.db.PublicationIDByNumber(ctx, demo.SessionShort, demo.FixtureNumber)
	mustT(t, err)

	type page struct {
		who, path string
		status    int
	}
	pages := []page{
		{"scjg.drafter", "/", 200},
		{"scjg.drafter", fmt.Sprintf("/cases/%d", fixture.ID), 200},
		{"scjg.drafter", fmt.Sprintf("/cases/%d", drafting.ID), 200},
		{"scjg.drafter", fmt.Sprintf("/cases/%d/draft", drafting.ID), 200},
		{"scjg.drafter", fmt.Sprintf("/cases/%d/draft", fixture.ID), 200},
		{"scjg.drafter", fmt.Sprintf("/cases/%d/draft/diff", fixture.ID), 200},
		{"scjg.drafter", fmt.Sprintf("/cases/%d/reply/print", fixture.ID), 200},
		{"scjg.drafter", "/settings/notifications", 200},
		{"scjg.reviewer", fmt.Sprintf("/cases/%d", fixture.ID), 200},
		{"kcj.drafter", fmt.Sprintf("/cases/%d", coCase.ID), 200},
		{"dcs.liaison", "/", 200},
		{"dcs.liaison", fmt.Sprintf("/cases/%d", fixture.ID), 200},
		{"dcs.liaison", "/supervision", 200},
		{"dcs.liaison", "/supervision/cases", 200},
		{"dcs.liaison", "/supervision/cases?state=drafting", 200},
		{"dcs.liaison", "/supervision/cases?measure=replied&rating=satisfied", 200},
		{"dcs.liaison", "/supervision/cases?class=B", 200},
		{"dcs.liaison", "/supervision/requests", 200},
		{"dcs.liaison", "/proposals/new", 200},
		{"dcs.liaison", "/proposals/import", 200},
		{"dcs.liaison", fmt.Sprintf("/proposals/%d", fixture.ProposalID), 200},
		{"admin", "/admin", 200},
		{"admin", "/admin/departments", 200},
		{"admin", "/admin/users", 200},
		{"admin", fmt.Sprintf("/admin/users/%d", userID), 200},
		{"admin", "/admin/sessions", 200},
		{"admin", fmt.Sprintf("/admin/sessions/%d", sessionID), 200},
		{"admin", "/admin/holidays", 200},
		{"admin", "/admin/log", 200},
		{"", "/public", 200},
		{"", fmt.Sprintf("/public/replies/%d", publication), 200},
		// Error pages.
		{"dcs.liaison", "/proposals/999999", 404},
		{"", "/public/replies/999999", 404},
	}
	browsers := map[string]*cwBrowser{}
	for _, lang := range ui.Langs() {
		for _, p := range pages {
			b := browsers[p.who]
			if b == nil {
				if p.who == "" {
					b = cw.anonymous(t, cw.srv.URL)
				} else {
					b = cw.login(t, p.who)
				}
				browsers[p.who] = b
			}
			req, err := http.NewRequest(http.MethodGet, cw.srv.URL+p.path, nil)
			mustT(t, err)
			req.AddCookie(&http.Cookie{Name: ui.LangCookie, Value: lang})
			resp, body := b.do(req)
			what := fmt.Sprintf("%s %s (%s)", lang, p.path, p.who)
			if resp.StatusCode != p.status {
				t.Errorf("%s: status %d, want %d", what, resp.StatusCode, p.status)
				continue
			}
			checkLanguage(t, what, body, lang)
		}
	}
}

// checkLanguage checks page, rendered in lang, as TestPagesInBothLanguages
// says.
func checkLanguage(t *testing.T, what, page, lang string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	root := findElement(doc, "html")
	if root == nil || attr(root, "lang") != lang {
		t.Errorf("%s: <html lang> is not %q", what, lang)
		return
	}
	type text struct{ where, s string }
	var shown []text // the texts in the page's language
	var title string
	var data []string // the texts of the regions marked as data
	var walk func(n *html.Node, foreign bool)
	walk = func(n *html.Node, foreign bool) {
		switch n.Type {
		case html.ElementNode:
			if l, ok := attrOK(n, "lang"); ok && n != root && l != lang {
				foreign = true
			}
			switch n.Data {
			case "script", "style":
				return
			case "title":
				if n.Parent != nil && n.Parent.Data == "head" {
					title = textOf(n)
					return
				}
			}
			if !foreign {
				for _, a := range []string{"title", "alt", "placeholder", "aria-label", "data-label"} {
					if v, ok := attrOK(n, a); ok {
						shown = append(shown, text{a, v})
					}
				}
				if n.Data == "input" && (attr(n, "type") == "submit" || attr(n, "type") == "button") {
					shown = append(shown, text{"value", attr(n, "value")})
				}
			}
		case html.TextNode:
			if s := strings.TrimSpace(n.Data); s != "" {
				if foreign {
					data = append(data, s)
				} else {
					shown = append(shown, text{"text", s})
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, foreign)
		}
	}
	walk(doc, false)
	// The title names the page: its heading, which may be data.
	slices.SortFunc(data, func(a, b string) int { return len(b) - len(a) })
	for _, d := range data {
		title = strings.ReplaceAll(title, d, "")
	}
	shown = append(shown, text{"<title>", title})

	for _, tx := range shown {
		s := tx.s
		if m := rawKey(s); m != "" {
			t.Errorf("%s shows the catalogue key %q in %s %q", what, m, tx.where, s)
		}
		switch lang {
		case ui.LangEN:
			if hasHan(s) {
				t.Errorf("%s shows Chinese outside data in %s %q", what, tx.where, s)
			}
		case ui.LangZH:
			for _, w := range asciiWords(s) {
				if workflowIdentifiers[w] {
					t.Errorf("%s shows the workflow identifier %q in %s %q", what, w, tx.where, s)
				} else if englishOnlyWords[strings.ToLower(w)] {
					t.Errorf("%s shows the English word %q in %s %q", what, w, tx.where, s)
				}
			}
		}
	}
}

func findElement(n *html.Node, name string) *html.Node {
	if n.Type == html.ElementNode && n.Data == name {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findElement(c, name); f != nil {
			return f
		}
	}
	return nil
}

func attrOK(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

func attr(n *html.Node, name string) string { v, _ := attrOK(n, name); return v }

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

var (
	asciiWordRe = regexp.MustCompile(`[A-Za-z][A-Za-z_]*`)
	keyRe       = regexp.MustCompile(`\b[a-z][a-zA-Z]*(\.[a-zA-Z_-]+)+\b`)
	// keyPrefixes are the first parts of the catalogue's keys (wb, case,
	// sv, adm…): a word.word text starting with one is a key shown raw.
	keyPrefixes = func() map[string]bool {
		m := map[string]bool{}
		for _, k := range ui.Keys() {
			m[strings.SplitN(k, ".", 2)[0]] = true
		}
		return m
	}()
	// workflowIdentifiers are the states, actions and case kinds.
	workflowIdentifiers = func() map[string]bool {
		m := map[string]bool{}
		for _, s := range append(workflow.CaseStates(), workflow.PublicationStates()...) {
			m[string(s)] = true
		}
		for _, a := range workflow.AllActions() {
			m[string(a)] = true
		}
		for _, k := range workflow.AllCaseKinds() {
			m[string(k)] = true
		}
		return m
	}()
	// englishOnlyWords are the words of the English catalogue and labels
	// that no Chinese text uses (unlike banli, Atom, Word or WPS).
	englishOnlyWords = func() map[string]bool {
		en, zh := map[string]bool{}, map[string]bool{}
		add := func(m map[string]bool, s string) {
			s = regexp.MustCompile(`%(\[\d+\])?[a-z]`).ReplaceAllString(s, " ")
			for _, w := range asciiWordRe.FindAllString(s, -1) {
				if len(w) > 2 {
					m[strings.ToLower(w)] = true
				}
			}
		}
		for _, k := range ui.Keys() {
			add(en, ui.Message(ui.LangEN, k))
			add(zh, ui.Message(ui.LangZH, k))
		}
		for _, l := range allLabels() {
			add(en, l.LabelEN())
		}
		for w := range zh {
			delete(en, w)
		}
		return en
	}()
)

// allLabels lists the values of workflow's closed sets that have labels.
func allLabels() []interface{ LabelEN() string } {
	var out []interface{ LabelEN() string }
	for _, v := range workflow.States(workflow.MachineCase) {
		out = append(out, v)
	}
	for _, v := range workflow.PublicationStates() {
		out = append(out, v)
	}
	for _, v := range workflow.AllActions() {
		out = append(out, v)
	}
	for _, v := range workflow.AllRoles() {
		out = append(out, v)
	}
	for _, v := range workflow.AllCaseKinds() {
		out = append(out, v)
	}
	for _, v := range workflow.AllReplyClasses() {
		out = append(out, v)
	}
	for _, v := range workflow.AllDisclosures() {
		out = append(out, v)
	}
	for _, v := range workflow.AllRatings() {
		out = append(out, v)
	}
	for _, v := range workflow.AllContactMethods() {
		out = append(out, v)
	}
	for _, v := range workflow.AllDeadlineKinds() {
		out = append(out, v)
	}
	return out
}

// rawKey returns a catalogue key in s, shown as itself, or "".
func rawKey(s string) string {
	for _, m := range keyRe.FindAllString(s, -1) {
		if keyPrefixes[strings.SplitN(m, ".", 2)[0]] {
			return m
		}
	}
	return ""
}

// asciiWords returns the Latin words of s, but for those of e-mail
// addresses, URLs and file names, which are data.
func asciiWords(s string) []string {
	s = addressRe.ReplaceAllString(s, " ")
	return asciiWordRe.FindAllString(s, -1)
}

var addressRe = regexp.MustCompile(`[\w.+-]+@[\w.-]+|[a-z]+://\S+|\S+\.(example|com|cn|org|atom|svg|css|js)\b`)
