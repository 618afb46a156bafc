package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/internal/imports"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// importPreviewPath is where the import page's forms upload a file for
// its preview; its body has its own bound (bodyLimit).
const importPreviewPath = "/proposals/import/preview"

// svImportRecent is the number of latest imports the page lists.
const svImportRecent = 20

// svImportPage is the data of the view "import".
type svImportPage struct {
	Sessions []*workflow.CongressSession
	// Session is the id of the session chosen (the latest by default).
	Session string
	Recent  []svImportLine
	// Kind and Error: the form refused (no file), and why.
	Kind, Error                    string
	ProposalColumns, DeputyColumns string
}

// svImportLine is a line of the latest imports.
type svImportLine struct {
	*storage.ImportRecord
	Session string
}

// importPage shows GET /proposals/import (liaison only): the forms that
// upload an assignment list (交办清单) or a deputies' roster for a preview,
// the templates to download, the columns read, and the latest imports.
func (s *server) importPage(w http.ResponseWriter, r *http.Request) {
	s.renderImportPage(w, r, http.StatusOK, "", "", "")
}

// renderImportPage answers with the import page; kind and msg tell which
// form was refused and why.
func (s *server) renderImportPage(w http.ResponseWriter, r *http.Request, status int, session, kind, msg string) {
	ctx := r.Context()
	sessions, err := s.db.Sessions(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	recent, err := s.db.Imports(ctx, svImportRecent)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	d := &svImportPage{Sessions: sessions, Session: session, Kind: kind, Error: msg,
		ProposalColumns: strings.Join(imports.ProposalHeaders(), "、"), DeputyColumns: strings.Join(imports.DeputyHeaders(), "、")}
	if d.Session == "" && len(sessions) > 0 {
		d.Session = strconv.FormatInt(sessions[0].ID, 10)
	}
	names := map[int64]string{}
	for _, se := range sessions {
		names[se.ID] = se.ShortName
	}
	for _, rec := range recent {
		d.Recent = append(d.Recent, svImportLine{ImportRecord: rec, Session: names[rec.SessionID]})
	}
	s.render(w, r, status, "import", s.page(w, r, message(r, "import.title"), d))
}

// importTemplate answers GET /proposals/import/template/{kind}.xlsx: an
// empty assignment list ("proposals") or roster ("deputies") with its
// header and an example row.
func (s *server) importTemplate(w http.ResponseWriter, r *http.Request) {
	kind := chi.URLParam(r, "kind")
	name := map[string]string{"proposals": "交办清单模板.xlsx", "deputies": "代表名册模板.xlsx"}[kind]
	if name == "" {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "error.heading.404")))
		return
	}
	data, err := imports.Template(kind)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename=\""+kind+"-template.xlsx\"; filename*=UTF-8''"+url.PathEscape(name))
	_, _ = w.Write(data)
}
