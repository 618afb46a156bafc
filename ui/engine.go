package ui

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"slices"
	"strings"

	"github.com/banli-gov/banli/workflow"
)

// files holds the templates and the static assets.
//
//go:embed templates static
var files embed.FS

// Paths inside the file system of Options.FS.
const (
	layoutFile = "templates/layout.html"
	viewsDir   = "templates/views"
	commonDir  = "templates/common"
	staticDir  = "static"
)

// Options configure New.
type Options struct {
	// FS holds templates/layout.html, templates/views/*.html,
	// templates/common/*.html and static/*. Nil means the files embedded in
	// the binary; tests pass a broken one.
	FS fs.FS
	// Require names the views the caller renders: New fails when one of them
	// has no file, so a missing view stops the server at start-up rather than
	// failing a request.
	Require []string
	// Logger receives rendering errors that Render answers itself. Nil
	// discards them.
	Logger *slog.Logger
}

// Engine renders banli's views inside the layout and serves its static files.
// It is safe for concurrent use.
type Engine struct {
	// views holds, per language, each view parsed with the layout and the
	// common templates, with the functions of that language.
	views  map[string]map[string]*template.Template
	static *staticFiles
	logger *slog.Logger
}

// New parses every view with the layout, once per language, and hashes the
// static files. It fails naming the view that is missing or does not parse,
// or that defines no "content".
func New(opts Options) (*Engine, error) {
	fsys := opts.FS
	if fsys == nil {
		fsys = files
	}
	e := &Engine{views: map[string]map[string]*template.Template{}, logger: opts.Logger}
	if e.logger == nil {
		e.logger = slog.New(slog.DiscardHandler)
	}
	var err error
	if e.static, err = loadStatic(fsys); err != nil {
		return nil, err
	}
	names, err := viewNames(fsys)
	if err != nil {
		return nil, err
	}
	for _, v := range opts.Require {
		if !slices.Contains(names, v) {
			return nil, fmt.Errorf("ui: view %q is missing: no %s/%s.html", v, viewsDir, v)
		}
	}
	common, err := fs.Glob(fsys, commonDir+"/*.html")
	if err != nil {
		return nil, fmt.Errorf("ui: error listing %s: %w", commonDir, err)
	}
	for _, lang := range Langs() {
		e.views[lang] = map[string]*template.Template{}
		for _, v := range names {
			files := append([]string{layoutFile}, common...)
			files = append(files, path.Join(viewsDir, v+".html"))
			t, err := template.New(v).Funcs(e.funcs(lang)).ParseFS(fsys, files...)
			if err != nil {
				return nil, fmt.Errorf("ui: view %q does not parse: %w", v, err)
			}
			if t.Lookup("layout") == nil {
				return nil, fmt.Errorf("ui: %s defines no template \"layout\"", layoutFile)
			}
			if t.Lookup("content") == nil {
				return nil, fmt.Errorf("ui: view %q defines no template \"content\"", v)
			}
			e.views[lang][v] = t
		}
	}
	return e, nil
}

// viewNames lists the views: the files of templates/views without .html.
func viewNames(fsys fs.FS) ([]string, error) {
	if _, err := fs.Stat(fsys, layoutFile); err != nil {
		return nil, fmt.Errorf("ui: the layout is missing: %w", err)
	}
	matches, err := fs.Glob(fsys, viewsDir+"/*.html")
	if err != nil {
		return nil, fmt.Errorf("ui: error listing the views: %w", err)
	}
	var names []string
	for _, m := range matches {
		names = append(names, strings.TrimSuffix(path.Base(m), ".html"))
	}
	return names, nil
}

// Views returns the names of the views New parsed, sorted.
func (e *Engine) Views() []string {
	var out []string
	for v := range e.views[LangZH] {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

// Render answers r with view inside the layout, with status and
// Content-Type text/html. data is the page: a *Page or Page; anything else
// is wrapped as the Data of an otherwise empty Page. Render fills the
// page's Lang (from the banli_lang cookie), URL and Nav when they are empty
// (see Page). The page is rendered into a buffer first: on an error nothing
// of it is sent, Render answers 500 "Internal error" itself and returns the
// error, which the caller may log.
func (e *Engine) Render(w http.ResponseWriter, r *http.Request, status int, view string, data any) error {
	p := pageOf(data)
	p.fill(r)
	var buf bytes.Buffer
	if err := e.Execute(&buf, view, p); err != nil {
		e.logger.ErrorContext(r.Context(), "cannot render page", "view", view, "path", r.URL.Path, "err", err)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", p.Lang)
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return nil
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// ErrNoView is returned by Execute for a view New did not parse.
var ErrNoView = errors.New("no such view")

// Execute writes view with the layout for page p to buf, in p.Lang. Render
// is what handlers call; Execute is for pages built outside a request
// (e-mails, tests).
func (e *Engine) Execute(buf *bytes.Buffer, view string, p *Page) error {
	p.Lang = normalizeLang(p.Lang)
	t, ok := e.views[p.Lang][view]
	if !ok {
		return fmt.Errorf("ui: view %q: %w", view, ErrNoView)
	}
	start := buf.Len()
	if err := t.ExecuteTemplate(buf, "layout", p); err != nil {
		return fmt.Errorf("ui: error rendering view %q: %w", view, err)
	}
	if p.Lang == LangZH && p.Supervisor != "" && p.Supervisor != workflow.DefaultSupervisorLabel {
		out := supervisorWords(buf.Bytes()[start:], p.Supervisor)
		buf.Truncate(start)
		buf.Write(out)
	}
	return nil
}

// zhOpen and zhClose delimit data marked as Chinese (Zh): names, titles,
// comments, values of the administration log.
var (
	zhOpen  = []byte(`<span lang="zh-CN">`)
	zhClose = []byte(`</span>`)
)

// supervisorWords returns page with the page's own words for the
// supervising role — workflow.DefaultSupervisorLabel in the catalogue, the
// role's label, the workflow's refusals — replaced by label, the name the
// deployment gives the role (e.g. 人大代表工作机构). Data marked as
// Chinese (Zh) is left as it is: a log record saying the name changed from
// 督办人员 keeps saying so.
func supervisorWords(page []byte, label string) []byte {
	from, to := []byte(workflow.DefaultSupervisorLabel), []byte(template.HTMLEscapeString(label))
	out := make([]byte, 0, len(page)+len(page)/16)
	for len(page) > 0 {
		i := bytes.Index(page, zhOpen)
		if i < 0 {
			i = len(page)
		}
		out = append(out, bytes.ReplaceAll(page[:i], from, to)...)
		page = page[i:]
		if len(page) == 0 {
			break
		}
		j := bytes.Index(page, zhClose)
		if j < 0 {
			j = len(page)
		} else {
			j += len(zhClose)
		}
		out = append(out, page[:j]...)
		page = page[j:]
	}
	return out
}

// pageOf returns the page of Render's data.
func pageOf(data any) *Page {
	switch d := data.(type) {
	case *Page:
		if d != nil {
			return d
		}
		return &Page{}
	case Page:
		return &d
	default:
		return &Page{Data: data}
	}
}
