package web

import (
	"net/http"
	"time"

	"github.com/banli-gov/banli/internal/imports"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// apiImportPath is where the API imports an assignment list; its body has
// the import page's bound (bodyLimit).
const apiImportPath = "/proposals/import"

// importUploadRequest is the multipart body of POST /api/v1/proposals/import.
type importUploadRequest struct {
	Session int64    `json:"session" required:"true" doc:"the id of the session (届次会议) the suggestions belong to"`
	File    formFile `json:"file" required:"true" doc:"the assignment list (交办清单): an Excel workbook (.xlsx) or CSV (UTF-8 or GBK), its column names in the first row"`
}

// importResponse is what an import of an assignment list does, or did.
type importResponse struct {
	DryRun   bool   `json:"dry_run" doc:"true: nothing was written"`
	FileName string `json:"file_name"`
	Rows     int    `json:"rows" doc:"the rows read below the header"`
	Create   int    `json:"create" doc:"suggestions registered and assigned"`
	Assign   int    `json:"assign" doc:"suggestions registered earlier, now assigned"`
	Skip     int    `json:"skip" doc:"suggestions already registered and assigned as the list says"`
	Cases    int    `json:"cases" doc:"cases (承办件) created"`
	// UnknownColumns are the headers of the columns not read.
	UnknownColumns []string          `json:"unknown_columns" doc:"the columns the import does not read"`
	Proposals      []importRowView   `json:"proposals"`
	Import         *importRecordView `json:"import,omitempty" doc:"the import done (without dry_run)"`
}

// importRowView is a row of the list with what the import does with it.
type importRowView struct {
	Row        int            `json:"row"`
	Status     imports.Status `json:"status"`
	Number     string         `json:"number"`
	Title      string         `json:"title"`
	Kind       string         `json:"kind" doc:"suggestion, criticism, opinion or cppcc"`
	Lead       string         `json:"lead" doc:"the lead deputy (领衔代表) with the delegation"`
	CoSigners  []string       `json:"co_signers"`
	LeadUnit   string         `json:"lead_unit"`
	CoUnits    []string       `json:"co_units"`
	Separate   []string       `json:"separate_units"`
	AssignedOn workflow.Date  `json:"assigned_on"`
	Key        bool           `json:"key" doc:"是否重点 as the list says"`
}

// importRecordView is the record of an import done.
type importRecordView struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Created  int       `json:"created"`
	Assigned int       `json:"assigned"`
	Skipped  int       `json:"skipped"`
}

// apiProposalImport answers POST /api/v1/proposals/import (liaison only,
// multipart: session, file): with dry_run, what the import page's preview
// shows (imports.PlanProposals), writing nothing; without, the import
// itself, all or nothing (imports.ImportProposalPlan), recorded with who
// imported it. A list with problems is refused (422), every problem listed
// with its row and column in the answer's "problems".
func (s *server) apiProposalImport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := mustPrincipal(r)
	dryRun := false
	switch r.URL.Query().Get("dry_run") {
	case "1", "true":
		dryRun = true
	case "", "0", "false":
	default:
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "dry_run: %q is neither 1 nor 0", r.URL.Query().Get("dry_run")))
		return
	}
	session, ok := s.importSession(ctx, r.PostFormValue("session"), storage.ImportProposals)
	if !ok {
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "%s", message(r, "sv.proposal.err.session")))
		return
	}
	name, data, ok := uploadedFile(r)
	if !ok {
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "%s", message(r, "import.noFile")))
		return
	}
	plan, err := imports.PlanProposals(ctx, s.db, session, name, data, s.clock.Now())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if !plan.OK() {
		lang := ui.LangOf(r)
		fe := &fileProblemsError{err: workflow.Errorf(workflow.ErrInvalid, "%s", messageN(r, "import.problems", len(plan.Problems)))}
		for _, pr := range plan.Problems {
			fe.problems = append(fe.problems, fileProblem{Row: pr.Row, Column: pr.Column, Reason: pr.Reason(lang)})
		}
		s.writeError(w, r, fe)
		return
	}
	out := importResponse{DryRun: dryRun, FileName: name, Rows: plan.Rows, Create: plan.Count(imports.StatusCreate),
		Assign: plan.Count(imports.StatusAssign), Skip: plan.Count(imports.StatusSkip), Cases: plan.Cases(),
		UnknownColumns: plan.Unknown, Proposals: make([]importRowView, 0, len(plan.Items))}
	if out.UnknownColumns == nil {
		out.UnknownColumns = []string{}
	}
	for _, it := range plan.Items {
		out.Proposals = append(out.Proposals, importRowView{Row: it.Row, Status: it.Status, Number: it.Number, Title: it.Title,
			Kind: string(it.Kind), Lead: it.Lead, CoSigners: it.CoSigners, LeadUnit: it.LeadUnit, CoUnits: it.CoUnits,
			Separate: it.Separate, AssignedOn: it.AssignedOn, Key: it.Key})
	}
	if !dryRun {
		rec, err := imports.ImportProposalPlan(ctx, s.db, plan, workflow.AdminUser(p.User), p.Actor)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		s.logger.InfoContext(ctx, "import", "file", name, "created", rec.Created, "assigned", rec.Assigned, "user", p.User.ID)
		out.Import = &importRecordView{ID: rec.ID, At: rec.At, Created: rec.Created, Assigned: rec.Assigned, Skipped: rec.Skipped}
	}
	writeJSON(w, http.StatusOK, out)
}
