package web

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// deputyPageData is the data of the view "deputy_page".
type deputyPageData struct {
	// Show is "page", or "invalid" / "expired" for a link that does not
	// work (feedbackShowInvalid, feedbackShowExpired).
	Show  string
	Token string
	View  *storage.DeputyView
	Today workflow.Date
}

// deputyPage shows GET /deputy/{token} (no login): the deputy's own page —
// every suggestion of the session they lead or co-signed, each unit
// handling it with its state in plain words and its due date, the replies
// sent to them to read (with the scanned letters), and for a reply awaiting
// their feedback, as lead deputy, the way to the feedback form. Nothing of
// any other deputy's suggestions. A tampered, revoked or replaced link is
// 404, an expired one 410, each with a page that says so.
func (s *server) deputyPage(w http.ResponseWriter, r *http.Request) {
	claim, data, ok := s.deputyLoad(w, r)
	if !ok {
		return
	}
	view, err := s.db.DeputyView(r.Context(), claim.DeputyID, claim.SessionID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	data.View, data.Show = view, "page"
	s.renderDeputyPage(w, r, http.StatusOK, data)
}

// deputyAttachment serves GET /deputy/{token}/attachments/{aid}: a file of
// a reply sent to the deputy (storage.DeputyAttachment); any other is 404.
func (s *server) deputyAttachment(w http.ResponseWriter, r *http.Request) {
	claim, _, ok := s.deputyLoad(w, r)
	if !ok {
		return
	}
	id, ok := parseID(chi.URLParam(r, "aid"))
	if !ok {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "attachment %q not found", chi.URLParam(r, "aid")))
		return
	}
	a, err := s.db.DeputyAttachment(r.Context(), claim.DeputyID, claim.SessionID, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.serveAttachment(w, r, a, "private, no-store")
}

// deputyFeedback handles GET /deputy/{token}/cases/{case}/feedback: the
// way from the deputy's page to the feedback form (征询意见表) of a reply
// awaiting their feedback, for the lead deputy of the suggestion. It
// issues the case's feedback link (storage.IssueFeedbackLink: the live one
// if there is one), in the name of the liaison who issued the deputy's
// link, and redirects to it.
func (s *server) deputyFeedback(w http.ResponseWriter, r *http.Request) {
	claim, _, ok := s.deputyLoad(w, r)
	if !ok {
		return
	}
	caseID, ok := parseID(chi.URLParam(r, "case"))
	if !ok {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "case %q not found", chi.URLParam(r, "case")))
		return
	}
	c, err := s.db.DeputyCaseOf(r.Context(), claim.DeputyID, claim.SessionID, caseID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if !workflow.AwaitsFeedback(c.Kind, c.State) {
		s.writeError(w, r, workflow.Errorf(workflow.ErrConflict, "%s", message(r, "dpage.noFeedbackNow")))
		return
	}
	l, err := s.db.DeputyLinkOf(r.Context(), claim.DeputyID, claim.SessionID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	now := s.clock.Now()
	issued, err := s.db.IssueFeedbackLink(r.Context(), c.ID, c.Round, l.CreatedBy, now, now.Add(feedbackLinkTTL))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, "/feedback/"+feedbackToken(s.feedbackSecret(), feedbackClaim{CaseID: c.ID, Round: c.Round, Expires: issued.ExpiresAt}),
		http.StatusSeeOther)
}

// deputyLoad checks the link of the request: signed, not expired, and the
// one stored for the deputy and session, not revoked. Otherwise it answers
// (404 for a link that is not, or no longer, good; 410 for an expired one)
// and returns false.
func (s *server) deputyLoad(w http.ResponseWriter, r *http.Request) (deputyClaim, *deputyPageData, bool) {
	token := chi.URLParam(r, "token")
	data := &deputyPageData{Token: token, Today: s.clock.Today()}
	claim, err := parseDeputyToken(s.feedbackSecret(), token, s.clock.Now())
	switch {
	case errors.Is(err, errFeedbackLinkExpired):
		data.Show = feedbackShowExpired
		s.renderDeputyPage(w, r, http.StatusGone, data)
		return claim, nil, false
	case err != nil:
		s.logger.WarnContext(r.Context(), "deputy link refused", "reason", err.Error())
		data.Show = feedbackShowInvalid
		s.renderDeputyPage(w, r, http.StatusNotFound, data)
		return claim, nil, false
	}
	issued, err := s.db.DeputyLinkOf(r.Context(), claim.DeputyID, claim.SessionID)
	if err != nil && workflow.Code(err) != workflow.ErrNotFound {
		s.writeError(w, r, err)
		return claim, nil, false
	}
	if err != nil || issued.Revoked || !issued.ExpiresAt.Equal(claim.Expires) {
		s.logger.WarnContext(r.Context(), "deputy link refused", "reason", "not issued, revoked or replaced", "deputy", claim.DeputyID)
		data.Show = feedbackShowInvalid
		s.renderDeputyPage(w, r, http.StatusNotFound, data)
		return claim, nil, false
	}
	return claim, data, true
}

// renderDeputyPage answers with the deputy's page: a public page, without
// the user of any browser session, never cached or indexed (its URL is a
// permission).
func (s *server) renderDeputyPage(w http.ResponseWriter, r *http.Request, status int, data *deputyPageData) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Robots-Tag", "noindex")
	title := ui.Message(ui.LangOf(r), "dpage.title")
	if data.View != nil {
		title = ui.Message(ui.LangOf(r), "dpage.titleOf", data.View.DeputyName)
	}
	s.render(w, r, status, "deputy_page", &ui.Page{Title: title, Data: data})
}
