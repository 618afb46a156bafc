package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/workflow"
)

// apiOp is one operation of the JSON API: its route, who may call it, its
// handler and what it reads and writes. The table (apiOps) both registers
// the routes (apiRoutes) and documents them (openapi.go).
type apiOp struct {
	Method, Path string // Path as chi writes it, under /api/v1
	ID, Tag      string // operationId; the group it is shown in
	Summary      string
	Description  string
	Role         workflow.Role // when set, only callers with this role
	Query        []apiQueryParam
	Request      any // the body's type (a zero value), or nil
	// Form is the type of a multipart/form-data body (a zero value), or
	// nil: its fields are the form's fields, a formFile a file.
	Form     any
	Status   int // the status of success
	Response any // the success body's type, or nil
	// Download lists the media types of a success body that is a file
	// (Response nil): the file is answered as stored, with its type.
	Download []string
	IfMatch  bool
	ETag     bool
	Handler  http.HandlerFunc
}

// apiOps is every operation of the JSON API.
func (s *server) apiOps() []apiOp {
	paging := []apiQueryParam{
		{Name: "limit", Type: "integer", Description: "how many to return"},
		{Name: "before", Type: "integer", Description: "the next_before of the previous page"},
	}
	return []apiOp{
		{Method: http.MethodPost, Path: "/proposals", ID: "createProposal", Tag: "proposals", Role: workflow.RoleLiaison,
			Summary:     "Register a suggestion (登记)",
			Description: "Registers a suggestion with its lead deputy and co-signers (联名代表), by id, in one transaction.",
			Request:     proposalCreateRequest{}, Status: http.StatusCreated, Response: proposalResponse{}, Handler: s.apiProposalCreate},
		{Method: http.MethodPost, Path: apiImportPath, ID: "importProposals", Tag: "proposals", Role: workflow.RoleLiaison,
			Summary: "Import an assignment list (交办清单), or preview it with dry_run=1",
			Description: "The list (.xlsx or CSV, multipart/form-data) is checked whole: with `dry_run=1` the answer says what " +
				"the import would do and nothing is written; without, every suggestion is registered and assigned in one " +
				"transaction, all or nothing, and the import recorded. Rows already registered and assigned are skipped. " +
				"A list with problems is refused (422) with every problem, by row and column, in `problems`.",
			Query: []apiQueryParam{{Name: "dry_run", Enum: []string{"0", "1", "true", "false"}, Description: "1: preview only, write nothing"}},
			Form:  importUploadRequest{}, Status: http.StatusOK, Response: importResponse{}, Handler: s.apiProposalImport},
		{Method: http.MethodGet, Path: "/proposals/{id}", ID: "getProposal", Tag: "proposals", Role: workflow.RoleLiaison,
			Summary: "A suggestion with its deputies", Status: http.StatusOK, Response: proposalResponse{}, Handler: s.apiProposalShow},
		{Method: http.MethodPost, Path: "/proposals/{id}/cases", ID: "assignProposal", Tag: "proposals", Role: workflow.RoleLiaison,
			Summary:     "Assign a suggestion to a unit (交办)",
			Description: "Creates the unit's case (办件) as lead (主办), co-handling (协办) or separate (分办) unit.",
			Request:     assignRequest{}, Status: http.StatusCreated, Response: caseResponse{}, Handler: s.apiCaseAssign},
		{Method: http.MethodPost, Path: "/proposals/{id}/key", ID: "markKeyProposal", Tag: "proposals", Role: workflow.RoleLiaison,
			Summary: "Mark a key suggestion (重点建议) with its leader and office, or change the mark",
			Description: "Recorded on each of its replying cases, whose progress reports (办理进展) are due from then on. " +
				"The answer is the suggestion as it is now.",
			Request: keyMarkRequest{}, Status: http.StatusOK, Response: proposalResponse{}, Handler: s.apiKeyMark},
		{Method: http.MethodDelete, Path: "/proposals/{id}/key", ID: "unmarkKeyProposal", Tag: "proposals", Role: workflow.RoleLiaison,
			Summary: "Take the key mark off a suggestion", Description: "A suggestion that is not key is a conflict (409).",
			Status: http.StatusOK, Response: proposalResponse{}, Handler: s.apiKeyUnmark},
		{Method: http.MethodPost, Path: "/proposals/{id}/merge", ID: "mergeProposal", Tag: "proposals", Role: workflow.RoleLiaison,
			Summary: "Merge another suggestion of the same session into this one (并案)",
			Description: "Each must be assigned to the same unit alone and not yet accepted. From then on the unit handles " +
				"this suggestion's case and the merged one's follows it. The answer is this (main) suggestion.",
			Request: mergeRequest{}, Status: http.StatusOK, Response: proposalResponse{}, Handler: s.apiMerge},
		{Method: http.MethodPost, Path: "/proposals/{id}/unmerge", ID: "unmergeProposal", Tag: "proposals", Role: workflow.RoleLiaison,
			Summary:     "Undo the merge of this suggestion into its main one",
			Description: "Only before the unit accepts the main suggestion.",
			Status:      http.StatusOK, Response: proposalResponse{}, Handler: s.apiUnmerge},
		{Method: http.MethodPost, Path: "/proposals/{id}/deputies/{deputy}/link", ID: "createDeputyLink", Tag: "proposals",
			Role:    workflow.RoleLiaison,
			Summary: "The signed link to a deputy's own page (代表专属页面) for the suggestion's session",
			Description: "The deputy must be one of the suggestion's. While a link is live (not expired, not revoked), " +
				"the same link is answered again; after a revocation, a new one.",
			Status: http.StatusOK, Response: deputyLinkResponse{}, Handler: s.apiDeputyLinkCreate},
		{Method: http.MethodDelete, Path: "/proposals/{id}/deputies/{deputy}/link", ID: "revokeDeputyLink", Tag: "proposals",
			Role:        workflow.RoleLiaison,
			Summary:     "Revoke the link to a deputy's own page",
			Description: "The link stops working at once; the revocation is recorded.",
			Status:      http.StatusNoContent, Handler: s.apiDeputyLinkRevoke},
		{Method: http.MethodGet, Path: "/cases", ID: "listCases", Tag: "cases",
			Summary: "The cases the caller may see, newest assignment first",
			Query: append([]apiQueryParam{
				{Name: "state", Description: "states, comma-separated"},
				{Name: "kind", Description: "lead, co or separate, comma-separated"},
				{Name: "department", Type: "integer", Description: "a unit's id"},
				{Name: "proposal", Type: "integer", Description: "a suggestion's id"},
			}, paging...),
			Status: http.StatusOK, Response: caseListResponse{}, Handler: s.apiCaseList},
		{Method: http.MethodGet, Path: "/cases/{id}", ID: "getCase", Tag: "cases",
			Summary:     "A case with the actions the caller may take and its audit timeline",
			Description: "The ETag is the case's version: send it in If-Match with a transition.",
			Status:      http.StatusOK, Response: caseShowResponse{}, ETag: true, Handler: s.apiCaseShow},
		{Method: http.MethodPost, Path: "/cases/{id}/actions/{action}", ID: "actOnCase", Tag: "cases",
			Summary: "Take an action on a case (a state transition)",
			Description: "The action is one of the case's `actions` that is `enabled`. The version the caller saw " +
				"goes in If-Match (the case's ETag) or in the body's `version`.",
			Request: actionRequest{}, Status: http.StatusOK, Response: caseResponse{}, IfMatch: true, ETag: true, Handler: s.apiCaseAct},
		{Method: http.MethodGet, Path: "/cases/{id}/drafts", ID: "listDrafts", Tag: "drafts",
			Summary:     "Every version of a case's reply or co-opinion draft (答复稿), oldest first",
			Description: "The ETag names the latest version: send it in If-Match to save the next.",
			Status:      http.StatusOK, Response: draftListResponse{}, ETag: true, Handler: s.apiDraftList},
		{Method: http.MethodPost, Path: "/cases/{id}/drafts", ID: "saveDraft", Tag: "drafts",
			Summary:     "Save a new draft version",
			Description: "The version edited goes in If-Match (the drafts' ETag) or in `base_version`; a later save by someone else is a conflict.",
			Request:     saveDraftRequest{}, Status: http.StatusCreated, Response: draftResponse{}, IfMatch: true, ETag: true, Handler: s.apiDraftSave},
		{Method: http.MethodGet, Path: "/cases/{id}/communications", ID: "listCommunications", Tag: "cases",
			Summary: "The unit's contacts with the deputy (面商), in the order they happened",
			Status:  http.StatusOK, Response: communicationListResponse{}, Handler: s.apiCommunicationList},
		{Method: http.MethodPost, Path: "/cases/{id}/communications", ID: "addCommunication", Tag: "cases",
			Summary: "Record a contact with the deputy (面商)",
			Request: communicationRequest{}, Status: http.StatusCreated, Response: communicationResponse{}, Handler: s.apiCommunicationAdd},
		{Method: http.MethodGet, Path: "/cases/{id}/progress", ID: "listProgressReports", Tag: "cases",
			Summary: "The progress reports (办理进展) of a key suggestion's case, newest first",
			Status:  http.StatusOK, Response: progressReportListResponse{}, Handler: s.apiProgressList},
		{Method: http.MethodPost, Path: "/cases/{id}/progress", ID: "addProgressReport", Tag: "cases",
			Summary:     "File a progress report on a key suggestion's case",
			Description: "The next report is due counted from its date. A case of a suggestion that is not key is a conflict (409).",
			Request:     progressReportRequest{}, Status: http.StatusCreated, Response: progressReportResponse{}, Handler: s.apiProgressAdd},
		{Method: http.MethodGet, Path: "/cases/{id}/attachments", ID: "listAttachments", Tag: "attachments",
			Summary:     "The files (附件) of a case and of its suggestion, deleted ones included",
			Description: "`may_delete` says whether the caller may delete each now; `download` where to fetch its content.",
			Status:      http.StatusOK, Response: attachmentListResponse{}, Handler: s.apiAttachmentList},
		{Method: http.MethodPost, Path: "/cases/{id}/attachments", ID: "addAttachment", Tag: "attachments",
			Summary: "Upload a file to a case (multipart/form-data)",
			Description: "One file, recognised by its content (PDF, JPEG, PNG, DOCX, XLSX without macros, OFD) and at most " +
				"the configured size (413 beyond it). Who may attach what in which state is the case page's rule.",
			Form: attachmentUploadRequest{}, Status: http.StatusCreated, Response: attachmentResponse{}, Handler: s.apiAttachmentAdd},
		{Method: http.MethodDelete, Path: "/cases/{id}/attachments/{aid}", ID: "deleteAttachment", Tag: "attachments",
			Summary:     "Delete a file of a case",
			Description: "Who may add such a file now may delete it. The file stays listed as deleted; its content can no longer be downloaded.",
			Status:      http.StatusNoContent, Handler: s.apiAttachmentDelete},
		{Method: http.MethodGet, Path: "/attachments/{id}", ID: "getAttachment", Tag: "attachments",
			Summary:     "Download a file, as its stored type",
			Description: "To whoever may see what it belongs to; to anyone else, and for a deleted file, 404.",
			Status:      http.StatusOK, Download: attachmentTypes(), Handler: s.attachmentGet},
		{Method: http.MethodGet, Path: "/statistics", ID: "getStatistics", Tag: "statistics", Role: workflow.RoleLiaison,
			Summary: "The 督办 dashboard's figures of a session or a year, per unit and in total",
			Description: "Each figure (办复率 by 件 and 件次, 按时办复率, 面商率, 满意率 …) as its numerator and denominator, " +
				"with its definition: the same counts as the dashboard, its lists and the exports.",
			Query: []apiQueryParam{
				{Name: "session", Type: "integer", Description: "a congress session's id; the latest by default"},
				{Name: "year", Type: "integer", Description: "a year of assignment instead of a session"},
			},
			Status: http.StatusOK, Response: statisticsResponse{}, Handler: s.apiStatistics},
		{Method: http.MethodGet, Path: "/search", ID: "searchCases", Tag: "cases",
			Summary: "Search the cases the caller may see (titles, content, replies, deputies' names)",
			Query: []apiQueryParam{
				{Name: "q", Description: "words, all of which must occur; Chinese: two or more characters"},
				{Name: "session", Type: "integer"}, {Name: "department", Type: "integer"},
				{Name: "state"}, {Name: "class", Enum: stringsOf(workflow.AllReplyClasses())},
				{Name: "year", Type: "integer"}, {Name: "limit", Type: "integer"}, {Name: "offset", Type: "integer"},
			},
			Status: http.StatusOK, Response: searchResponse{}, Handler: s.apiSearch},
		{Method: http.MethodGet, Path: "/notifications", ID: "listNotifications", Tag: "notifications",
			Summary: "The caller's notifications, newest first, with the unread count",
			Query:   append([]apiQueryParam{{Name: "unread", Enum: []string{"0", "1", "true", "false"}}}, paging...),
			Status:  http.StatusOK, Response: inboxResponse{}, Handler: s.apiInbox},
		{Method: http.MethodPost, Path: "/notifications/read-all", ID: "readAllNotifications", Tag: "notifications",
			Summary: "Mark every notification of the caller read",
			Status:  http.StatusOK, Response: unreadResponse{}, Handler: s.apiInboxReadAll},
		{Method: http.MethodPost, Path: "/notifications/{id}/read", ID: "readNotification", Tag: "notifications",
			Summary: "Mark one notification read",
			Status:  http.StatusOK, Response: unreadResponse{}, Handler: s.apiInboxRead},
	}
}

// apiAliases are routes of the API under another name, kept for clients
// of the API before it had a version: /api/inbox is /api/v1/notifications.
var apiAliases = map[string]string{
	"/inbox":           "/notifications",
	"/inbox/read-all":  "/notifications/read-all",
	"/inbox/{id}/read": "/notifications/{id}/read",
}

// apiRoutes registers the operations of apiOps on r, each with its role
// check. The caller's router has authenticated the caller and checked
// CSRF for cookie sessions.
func (s *server) apiRoutes(r chi.Router, aliases bool) {
	for _, op := range s.apiOps() {
		h := http.Handler(op.Handler)
		if op.Role != "" {
			h = s.requireRole(op.Role)(h)
		}
		r.Method(op.Method, op.Path, h)
		if !aliases {
			continue
		}
		for old, now := range apiAliases {
			if now == op.Path {
				r.Method(op.Method, old, h)
			}
		}
	}
}

// caseETag is the entity tag of a case at a version.
func caseETag(version int) string { return fmt.Sprintf(`"case-v%d"`, version) }

// draftsETag is the entity tag of a case's drafts whose latest is version.
func draftsETag(version int) string { return fmt.Sprintf(`"draft-v%d"`, version) }

// ifMatchVersion reads the version an If-Match header names, with the
// prefix of its kind ("case-v" or "draft-v"): ok is false without the
// header; a header that names no such version is invalid.
func ifMatchVersion(r *http.Request, prefix string) (version int, ok bool, err error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" {
		return 0, false, nil
	}
	tag := strings.TrimPrefix(h, "W/")
	if unq, uerr := strconv.Unquote(tag); uerr == nil {
		tag = unq
	}
	n, perr := strconv.Atoi(strings.TrimPrefix(tag, prefix))
	if !strings.HasPrefix(tag, prefix) || perr != nil || n < 0 {
		return 0, true, &workflow.Error{Code: workflow.ErrPrecondition, Rule: "if_match",
			Message: "请求所带的版本标记无法识别；请重新读取后再操作。",
			Detail:  fmt.Sprintf("If-Match: %q is not an ETag of this resource", h)}
	}
	return n, true, nil
}

// preconditionFailed turns the refusal of a stale version into 412
// Precondition Failed when the request named its version in If-Match, as
// HTTP says; the refusal's words stay. Other errors are returned as they are.
func preconditionFailed(r *http.Request, err error) error {
	var e *workflow.Error
	if r.Header.Get("If-Match") == "" || !errors.As(err, &e) || e.Code != workflow.ErrConflict ||
		(e.Rule != "stale_version" && e.Rule != "stale_draft") {
		return err
	}
	pe := *e
	pe.Code = workflow.ErrPrecondition
	return &pe
}
