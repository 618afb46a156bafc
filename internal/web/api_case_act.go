package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/banli-gov/banli/workflow"
)

// actionRequest is the body of POST /api/cases/{id}/actions/{action}.
type actionRequest struct {
	// Version is the case version the caller saw; required unless
	// If-Match names it.
	Version          *int                   `json:"version,omitempty"`
	Comment          string                 `json:"comment"`
	Class            workflow.ReplyClass    `json:"class"`
	Disclosure       workflow.Disclosure    `json:"disclosure"`
	DisclosureReason string                 `json:"disclosure_reason"`
	DocumentNumber   string                 `json:"document_number"`
	ContactPerson    string                 `json:"contact_person"`
	ContactPhone     string                 `json:"contact_phone"`
	Due              workflow.Date          `json:"due"`
	WorkRating       workflow.Rating        `json:"work_rating"`
	ResultRating     workflow.Rating        `json:"result_rating"`
	ContactMethod    workflow.ContactMethod `json:"contact_method"`
	MetBy            string                 `json:"met_by"`
	Remarks          string                 `json:"remarks"`
	Summary          string                 `json:"summary"`
	Withheld         []workflow.Passage     `json:"withheld"`
	Destination      string                 `json:"destination"`
}

// apiCaseAct answers POST /api/cases/{id}/actions/{action}: one transition,
// decided by the transition table for the caller's roles on this case.
func (s *server) apiCaseAct(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, action, err := s.actionTarget(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req actionRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if v, ok, err := ifMatchVersion(r, "case-v"); err != nil {
		s.writeError(w, r, err)
		return
	} else if ok {
		if req.Version != nil && *req.Version != v {
			s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "version: %d is not the version If-Match names (%d)", *req.Version, v))
			return
		}
		req.Version = &v
	}
	if req.Version == nil {
		s.writeError(w, r, &workflow.Error{Code: workflow.ErrInvalid, Rule: "version_required",
			Message: "请求缺少页面打开时的办件状态，无法确认您看到的是最新内容；请刷新后重新操作。", Detail: "version: required"})
		return
	}
	c, err := s.takeAction(r.Context(), p.Actor, cs.ID, action, caseAction{Version: *req.Version,
		Input: workflow.Input{Comment: req.Comment, Class: req.Class, Disclosure: req.Disclosure,
			DisclosureReason: req.DisclosureReason, DocumentNumber: req.DocumentNumber, Due: req.Due,
			WorkRating: req.WorkRating, ResultRating: req.ResultRating,
			Summary: req.Summary, Withheld: req.Withheld, Destination: req.Destination},
		ContactPerson: req.ContactPerson, ContactPhone: req.ContactPhone,
		ContactMethod: req.ContactMethod, MetBy: req.MetBy, Remarks: req.Remarks})
	if err != nil {
		s.writeError(w, r, preconditionFailed(r, err))
		return
	}
	updated, access, err := s.db.CaseFor(r.Context(), p.Actor, c.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	v, err := s.caseView(r, updated, p.Actor, access)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("ETag", caseETag(updated.Version))
	writeJSON(w, http.StatusOK, caseResponse{Case: v})
}

// decodeJSON reads a JSON body into v, refusing unknown fields and trailing
// data with a message that names the problem. checkInput bounded the body
// (maxRequestBody) and refused unreadable text in it.
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxRequestBody))
	dec.DisallowUnknownFields()
	bad := func(detail string) error {
		return &workflow.Error{Code: workflow.ErrInvalid, Rule: "bad_json", Message: "提交的数据格式不正确，请检查后重试。", Detail: detail}
	}
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return bad("body: a JSON object is required")
		}
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return bad(fmt.Sprintf("%s: expected %s", typeErr.Field, typeErr.Type))
		}
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			// The client sent a field banli does not know: name it, as sent.
			return &workflow.Error{Code: workflow.ErrInvalid, Rule: "unknown_field",
				Message: fmt.Sprintf("提交的数据中有无法识别的字段 %s，请删除后重试。", name), Args: []any{name}}
		}
		return bad(fmt.Sprintf("body: %s", err))
	}
	if dec.More() {
		return bad("body: unexpected data after the JSON object")
	}
	return nil
}
