package web

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/internal/imports"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// svImportPreview is the data of the view "import_preview": what an
// import will do, or every problem of the file.
type svImportPreview struct {
	Kind     storage.ImportKind
	FileName string
	Session  *workflow.CongressSession
	Rows     int
	Summary  string
	Unknown  string
	Problems []svImportProblem
	// Proposals or Deputies: the rows, with what the import does to each.
	Proposals []imports.ProposalRow
	Deputies  []imports.DeputyRow
	// UploadID is the kept file the confirm button imports; 0 when there
	// are problems or nothing to do.
	UploadID int64
	Nothing  bool
}

// svImportProblem is a problem of the file as the page lists it.
type svImportProblem struct {
	Row    int
	Column string
	Reason string
}

// importPreview answers POST /proposals/import/preview (liaison only,
// multipart: kind, session, file): it reads the file and shows what the
// import will create, assign, update and skip — a dry run, writing
// nothing but the file kept for the confirm button — or every problem of
// the file with its row and column (422).
func (s *server) importPreview(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	kind := storage.ImportKind(r.PostForm.Get("kind"))
	if kind != storage.ImportProposals && kind != storage.ImportDeputies {
		kind = storage.ImportProposals
	}
	sessionField := r.PostForm.Get("session")
	session, ok := s.importSession(ctx, sessionField, kind)
	if !ok {
		s.renderImportPage(w, r, http.StatusUnprocessableEntity, sessionField, string(kind), message(r, "sv.proposal.err.session"))
		return
	}
	name, data, ok := uploadedFile(r)
	if !ok {
		s.renderImportPage(w, r, http.StatusUnprocessableEntity, sessionField, string(kind), message(r, "import.noFile"))
		return
	}
	p := mustPrincipal(r)
	d, err := s.planImport(ctx, r, kind, session, name, data)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	status := http.StatusOK
	switch {
	case len(d.Problems) > 0:
		status = http.StatusUnprocessableEntity
	case !d.Nothing:
		var sessionID int64
		if session != nil {
			sessionID = session.ID
		}
		if d.UploadID, err = s.db.SaveImportUpload(ctx, p.User.ID, kind, sessionID, name, data); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	s.render(w, r, status, "import_preview", s.page(w, r, message(r, "import.previewTitle", name), d))
}

// importSession is the session of the form's field: the one chosen, or
// none for a roster without one; false when the id names none.
func (s *server) importSession(ctx context.Context, field string, kind storage.ImportKind) (*workflow.CongressSession, bool) {
	if field == "" && kind == storage.ImportDeputies {
		return nil, true
	}
	id, err := strconv.ParseInt(field, 10, 64)
	if err != nil {
		return nil, false
	}
	se, err := s.db.Session(ctx, id)
	return se, err == nil
}

// uploadedFile reads the form's file (checkInput bounded the body); false
// when none was chosen.
func uploadedFile(r *http.Request) (string, []byte, bool) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		return "", nil, false
	}
	fh := r.MultipartForm.File["file"][0]
	f, err := fh.Open()
	if err != nil {
		return "", nil, false
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, imports.MaxBytes+1))
	if err != nil || len(data) == 0 {
		return "", nil, false
	}
	name := fh.Filename
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return name, data, true
}

// planImport plans the import of a file (a dry run) and words it for the
// preview.
func (s *server) planImport(ctx context.Context, r *http.Request, kind storage.ImportKind, session *workflow.CongressSession,
	name string, data []byte) (*svImportPreview, error) {
	lang := ui.LangOf(r)
	d := &svImportPreview{Kind: kind, FileName: name, Session: session}
	var problems []imports.Problem
	var unknown []string
	if kind == storage.ImportDeputies {
		plan, err := imports.PlanDeputies(ctx, s.db, session, name, data, s.clock.Now())
		if err != nil {
			return nil, err
		}
		problems, unknown, d.Rows, d.Deputies = plan.Problems, plan.Unknown, plan.Rows, plan.Items
		d.Summary = message(r, "import.summaryRoster", plan.Rows, plan.Count(imports.StatusCreate), plan.Count(imports.StatusUpdate),
			plan.Count(imports.StatusSkip))
		d.Nothing = plan.Count(imports.StatusSkip) == len(plan.Items)
	} else {
		plan, err := imports.PlanProposals(ctx, s.db, session, name, data, s.clock.Now())
		if err != nil {
			return nil, err
		}
		problems, unknown, d.Rows, d.Proposals = plan.Problems, plan.Unknown, plan.Rows, plan.Items
		d.Summary = message(r, "import.summary", plan.Rows, plan.Count(imports.StatusCreate), plan.Cases(),
			plan.Count(imports.StatusSkip), plan.Count(imports.StatusAssign))
		d.Nothing = plan.Count(imports.StatusSkip) == len(plan.Items)
	}
	for _, p := range problems {
		d.Problems = append(d.Problems, svImportProblem{Row: p.Row, Column: p.Column, Reason: p.Reason(lang)})
	}
	if len(unknown) > 0 {
		d.Unknown = message(r, "import.unknownColumns", strings.Join(unknown, message(r, "common.listSep")))
	}
	if len(d.Problems) > 0 {
		d.Nothing = false
	}
	return d, nil
}

// importRun answers POST /proposals/import/{id} (liaison only): it imports
// the file previewed — checked again, all or nothing, recorded with who
// imported it — and sends the browser back to the import page with what
// was done (303). A file that has become wrong since (a number registered
// meanwhile) comes back as its preview with the problems (409); an upload
// that is not the caller's, or gone, is not found.
func (s *server) importRun(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := mustPrincipal(r)
	id, ok := parseID(chi.URLParam(r, "id"))
	if !ok {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "import.uploadGone")))
		return
	}
	up, err := s.db.ImportUploadOf(ctx, p.User.ID, id)
	if err != nil {
		if workflow.Code(err) == workflow.ErrNotFound {
			err = workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "import.uploadGone"))
		}
		s.writeError(w, r, err)
		return
	}
	var session *workflow.CongressSession
	if up.SessionID != 0 {
		if session, err = s.db.Session(ctx, up.SessionID); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	by := workflow.AdminUser(p.User)
	var rec *storage.ImportRecord
	var problems bool
	if up.Kind == storage.ImportDeputies {
		plan, err := imports.PlanDeputies(ctx, s.db, session, up.FileName, up.Content, s.clock.Now())
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if problems = !plan.OK(); !problems {
			rec, err = imports.ImportDeputyPlan(ctx, s.db, plan, by)
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
	} else {
		plan, err := imports.PlanProposals(ctx, s.db, session, up.FileName, up.Content, s.clock.Now())
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if problems = !plan.OK(); !problems {
			rec, err = imports.ImportProposalPlan(ctx, s.db, plan, by, p.Actor)
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	if problems {
		d, err := s.planImport(ctx, r, up.Kind, session, up.FileName, up.Content)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		s.render(w, r, http.StatusConflict, "import_preview", s.page(w, r, message(r, "import.previewTitle", up.FileName), d))
		return
	}
	if err := s.db.DeleteImportUpload(ctx, up.ID); err != nil {
		s.logger.WarnContext(ctx, "import: cannot delete the upload", "upload", up.ID, "err", err)
	}
	s.redirect(w, r, "/proposals/import", flashImported, rec.Created, rec.Assigned, rec.Updated, rec.Skipped)
}
