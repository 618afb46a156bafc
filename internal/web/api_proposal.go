package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// proposalCreateRequest is the body of POST /api/v1/proposals.
type proposalCreateRequest struct {
	SessionID   int64                 `json:"session_id" required:"true"`
	Number      string                `json:"number" required:"true"`
	Kind        workflow.ProposalKind `json:"kind,omitempty" doc:"建议 (suggestion, the default), 批评 or 意见"`
	Title       string                `json:"title" required:"true"`
	Body        string                `json:"body,omitempty"`
	SubmittedOn workflow.Date         `json:"submitted_on" required:"true"`
	// DeputyIDs are the deputies, the lead deputy (领衔代表) first, then
	// the co-signers (联名代表).
	DeputyIDs []int64 `json:"deputy_ids" required:"true" doc:"the lead deputy (领衔代表) first, then the co-signers (联名代表)"`
}

// proposalView is a suggestion as the API shows it.
type proposalView struct {
	ID          int64                 `json:"id"`
	SessionID   int64                 `json:"session_id"`
	Number      string                `json:"number"`
	Kind        workflow.ProposalKind `json:"kind"`
	Title       string                `json:"title"`
	Body        string                `json:"body"`
	SubmittedOn workflow.Date         `json:"submitted_on"`
	Deputies    []proposalDeputyView  `json:"deputies"`
	Key         *keyMarkView          `json:"key,omitempty" doc:"set for a key suggestion (重点建议)"`
	MergedInto  *mergeLinkView        `json:"merged_into,omitempty" doc:"the main suggestion this one is merged into (并案)"`
	Merged      []mergeLinkView       `json:"merged,omitempty" doc:"the suggestions merged into this one"`
}

// proposalDeputyView is a deputy of a suggestion.
type proposalDeputyView struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Delegation string `json:"delegation"`
	Lead       bool   `json:"lead"`
}

// proposalResponse is the answer of a call about one suggestion.
type proposalResponse struct {
	Proposal proposalView `json:"proposal"`
}

// apiProposalCreate answers POST /api/v1/proposals (liaison): it registers
// a suggestion with existing deputies in one transaction (storage's
// RegisterProposal, as the registration page does).
func (s *server) apiProposalCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var req proposalCreateRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if _, err := s.db.Session(ctx, req.SessionID); err != nil {
		if workflow.Code(err) == workflow.ErrNotFound {
			err = workflow.Errorf(workflow.ErrInvalid, "session_id: %d is not a congress session", req.SessionID)
		}
		s.writeError(w, r, err)
		return
	}
	req.Number, req.Title, req.Body = strings.TrimSpace(req.Number), strings.TrimSpace(req.Title), strings.TrimSpace(req.Body)
	switch {
	case req.Number == "" || runeCount(req.Number) > svMaxNumber || !svNumberPattern.MatchString(req.Number):
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "number: letters, digits and -, at most %d", svMaxNumber))
		return
	case req.Title == "" || runeCount(req.Title) > svMaxTitle:
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "title: required, at most %d characters", svMaxTitle))
		return
	case runeCount(req.Body) > svMaxBody:
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "body: at most %d characters", svMaxBody))
		return
	case req.SubmittedOn.IsZero() || req.SubmittedOn.After(s.clock.Today()):
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "submitted_on: required, not after today"))
		return
	case len(req.DeputyIDs) == 0:
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "deputy_ids: at least the lead deputy"))
		return
	}
	if req.Kind != "" && !req.Kind.Registrable() {
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "kind: %q is not one of %v", req.Kind, workflow.RegistrableProposalKinds()))
		return
	}
	deputies, err := s.db.Deputies(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	refs := make([]storage.DeputyRef, 0, len(req.DeputyIDs))
	for i, id := range req.DeputyIDs {
		if !slices.ContainsFunc(deputies, func(d *workflow.Deputy) bool { return d.ID == id }) {
			s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "deputy_ids[%d]: %d is not a deputy", i, id))
			return
		}
		if slices.Contains(req.DeputyIDs[:i], id) {
			s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "deputy_ids[%d]: %d is listed twice", i, id))
			return
		}
		refs = append(refs, storage.DeputyRef{ID: id})
	}
	taken, err := s.db.ProposalNumberTaken(ctx, req.SessionID, req.Number)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if taken {
		s.writeError(w, r, &workflow.Error{Code: workflow.ErrConflict, Rule: "number_taken",
			Message: "本次会议已登记过这个编号的建议，请核对编号。", Detail: "number: " + req.Number + " is taken in the session"})
		return
	}
	p := &workflow.Proposal{SessionID: req.SessionID, Number: req.Number, Kind: req.Kind, Title: req.Title, Body: req.Body,
		SubmittedOn: req.SubmittedOn}
	if err := s.db.RegisterProposal(ctx, p, refs); err != nil {
		s.writeError(w, r, err)
		return
	}
	v, err := s.proposalView(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", apiBasePath+"/proposals/"+strconv.FormatInt(p.ID, 10))
	writeJSON(w, http.StatusCreated, proposalResponse{Proposal: v})
}

// apiProposalShow answers GET /api/v1/proposals/{id} (liaison).
func (s *server) apiProposalShow(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(chi.URLParam(r, "id"))
	if !ok {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "proposal %q not found", chi.URLParam(r, "id")))
		return
	}
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

func (s *server) proposalView(r *http.Request, p *workflow.Proposal) (proposalView, error) {
	ds, err := s.db.ProposalDeputies(r.Context(), p.ID)
	if err != nil {
		return proposalView{}, err
	}
	v := proposalView{ID: p.ID, SessionID: p.SessionID, Number: p.Number, Kind: p.Kind, Title: p.Title, Body: p.Body,
		SubmittedOn: p.SubmittedOn, Deputies: make([]proposalDeputyView, 0, len(ds))}
	for _, d := range ds {
		v.Deputies = append(v.Deputies, proposalDeputyView{ID: d.ID, Name: d.Name, Delegation: d.Delegation, Lead: d.Lead})
	}
	m, key, err := s.db.KeyMarkOf(r.Context(), p.ID)
	if err != nil {
		return v, err
	}
	if key {
		v.Key = &keyMarkView{LeaderName: m.LeaderName, LeaderTitle: m.LeaderTitle, Office: m.Office, MarkedBy: m.MarkedBy, MarkedAt: m.MarkedAt}
	}
	merge, err := s.db.MergeOf(r.Context(), p.ID)
	if err != nil {
		return v, err
	}
	if merge.Into.ProposalID != 0 {
		v.MergedInto = &mergeLinkView{ProposalID: merge.Into.ProposalID, Number: merge.Into.Number}
	}
	for _, l := range merge.Merged {
		v.Merged = append(v.Merged, mergeLinkView{ProposalID: l.ProposalID, Number: l.Number})
	}
	return v, nil
}
