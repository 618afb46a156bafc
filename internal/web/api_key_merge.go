package web

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/workflow"
)

// keyMarkView is the mark of a key suggestion (重点建议).
type keyMarkView struct {
	LeaderName  string    `json:"leader_name" doc:"the overseeing leader (领衔督办领导)"`
	LeaderTitle string    `json:"leader_title"`
	Office      string    `json:"office" doc:"the supervising office (督办单位)"`
	MarkedBy    int64     `json:"marked_by"`
	MarkedAt    time.Time `json:"marked_at"`
}

// mergeLinkView is a suggestion of a merged handling (并案), by number.
type mergeLinkView struct {
	ProposalID int64  `json:"proposal_id"`
	Number     string `json:"number"`
}

// keyMarkRequest is the body of POST /api/v1/proposals/{id}/key.
type keyMarkRequest struct {
	LeaderName  string `json:"leader_name" required:"true"`
	LeaderTitle string `json:"leader_title,omitempty" doc:"e.g. 副市长"`
	Office      string `json:"office" required:"true" doc:"e.g. 市政府督查室"`
}

// mergeRequest is the body of POST /api/v1/proposals/{id}/merge.
type mergeRequest struct {
	Number string `json:"number" required:"true" doc:"the number of the suggestion, of the same session, merged into this one"`
}

// progressReportView is a progress report (办理进展) of a key suggestion's case.
type progressReportView struct {
	ID         int64         `json:"id"`
	ReportedOn workflow.Date `json:"reported_on"`
	Body       string        `json:"body"`
	AuthorID   int64         `json:"author_id"`
	CreatedAt  time.Time     `json:"created_at"`
}

// progressReportRequest is the body of POST /api/v1/cases/{id}/progress.
type progressReportRequest struct {
	ReportedOn workflow.Date `json:"reported_on" required:"true" doc:"not after today"`
	Body       string        `json:"body" required:"true"`
}

// progressReportResponse is one progress report.
type progressReportResponse struct {
	ProgressReport progressReportView `json:"progress_report"`
}

// progressReportListResponse lists a case's progress reports.
type progressReportListResponse struct {
	ProgressReports []progressReportView `json:"progress_reports"`
}

func newProgressReportView(p *workflow.ProgressReport) progressReportView {
	return progressReportView{ID: p.ID, ReportedOn: p.ReportedOn, Body: p.Body, AuthorID: p.AuthorID, CreatedAt: p.CreatedAt}
}

// proposalFromURL is the id of the suggestion the {id} URL parameter
// names, or not found.
func proposalFromURL(r *http.Request) (int64, error) {
	id, ok := parseID(chi.URLParam(r, "id"))
	if !ok {
		return 0, workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "sv.err.proposal", chi.URLParam(r, "id")))
	}
	return id, nil
}

// writeProposal answers with the suggestion id as it is now.
func (s *server) writeProposal(w http.ResponseWriter, r *http.Request, id int64) {
	p, err := s.db.Proposal(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	v, err := s.proposalView(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, proposalResponse{Proposal: v})
}

// apiKeyMark answers POST /api/v1/proposals/{id}/key (liaison): as the
// proposal page's form (storage.MarkKey), the suggestion as it is now.
func (s *server) apiKeyMark(w http.ResponseWriter, r *http.Request) {
	id, err := proposalFromURL(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req keyMarkRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	m := workflow.KeyMark{ProposalID: id, LeaderName: bounded(req.LeaderName, maxField),
		LeaderTitle: bounded(req.LeaderTitle, maxField), Office: bounded(req.Office, maxField)}
	if err := s.db.MarkKey(r.Context(), mustPrincipal(r).Actor, m, s.clock.Now()); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeProposal(w, r, id)
}

// apiKeyUnmark answers DELETE /api/v1/proposals/{id}/key (liaison):
// storage.UnmarkKey; a suggestion that is not key is a conflict.
func (s *server) apiKeyUnmark(w http.ResponseWriter, r *http.Request) {
	id, err := proposalFromURL(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.db.UnmarkKey(r.Context(), mustPrincipal(r).Actor, id, s.clock.Now()); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeProposal(w, r, id)
}

// apiMerge answers POST /api/v1/proposals/{id}/merge (liaison): as the
// proposal page's form, the suggestion numbered number is merged into
// this one (storage.Merge, workflow.CheckMerge).
func (s *server) apiMerge(w http.ResponseWriter, r *http.Request) {
	id, err := proposalFromURL(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req mergeRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	ctx := r.Context()
	p, err := s.db.Proposal(ctx, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	other, err := s.db.ProposalIDByNumber(ctx, p.SessionID, bounded(req.Number, maxField))
	if err == nil {
		err = s.db.Merge(ctx, mustPrincipal(r).Actor, id, other, s.clock.Now())
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeProposal(w, r, id)
}

// apiUnmerge answers POST /api/v1/proposals/{id}/unmerge (liaison): the
// merge of this suggestion into its main one is undone (storage.Unmerge,
// workflow.CheckUnmerge); the answer is this suggestion.
func (s *server) apiUnmerge(w http.ResponseWriter, r *http.Request) {
	id, err := proposalFromURL(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.db.Unmerge(r.Context(), mustPrincipal(r).Actor, id, s.clock.Now()); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeProposal(w, r, id)
}

// apiProgressList answers GET /api/v1/cases/{id}/progress: the case's
// progress reports, newest first.
func (s *server) apiProgressList(w http.ResponseWriter, r *http.Request) {
	cs, _, err := s.caseFromURL(r, mustPrincipal(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list, err := s.db.ProgressReports(r.Context(), cs.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]progressReportView, 0, len(list))
	for _, p := range list {
		out = append(out, newProgressReportView(p))
	}
	writeJSON(w, http.StatusOK, progressReportListResponse{ProgressReports: out})
}

// apiProgressAdd answers POST /api/v1/cases/{id}/progress: as the case
// page's form (storage.AddProgressReport), a progress report on a key
// suggestion's case.
func (s *server) apiProgressAdd(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, _, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req progressReportRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if runeCount(req.Body) > maxField {
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "body: at most %d characters", maxField))
		return
	}
	rep := &workflow.ProgressReport{CaseID: cs.ID, ReportedOn: req.ReportedOn, Body: req.Body}
	if err := s.db.AddProgressReport(r.Context(), p.Actor, rep, s.clock.Now()); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, progressReportResponse{ProgressReport: newProgressReportView(rep)})
}
