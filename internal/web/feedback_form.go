package web

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// What the deputy's feedback page shows (feedbackData.Show).
const (
	feedbackShowForm     = "form"     // the form
	feedbackShowDone     = "done"     // thanks: just recorded
	feedbackShowRecorded = "recorded" // feedback on this round is already in
	feedbackShowClosed   = "closed"   // the case no longer awaits it
	feedbackShowInvalid  = "invalid"  // a tampered or malformed link
	feedbackShowExpired  = "expired"  // a genuine link past its expiry
)

// feedbackData is the data of the view "feedback_form".
type feedbackData struct {
	Show  string
	Token string
	Case  *storage.FeedbackCase
	// ReplyTitle is the reply's title: 关于{session}第{number}号建议的答复.
	ReplyTitle string
	Input      actionInput
	Ratings    []workflow.Rating
	Methods    []workflow.ContactMethod
}

// feedbackForm shows GET /feedback/{token} (no login): the deputy's
// feedback form (征询意见表) on the reply the signed link names — the
// suggestion's title, the reply, the two ratings (办理工作, 办理结果), how
// the unit met them and remarks. A link that is tampered with is refused
// (404), an expired one too (410), each with a page that says so; once
// feedback on its round is recorded the page says that instead of asking
// again.
func (s *server) feedbackForm(w http.ResponseWriter, r *http.Request) {
	data, status, ok := s.feedbackLoad(w, r)
	if !ok {
		return
	}
	if data.Show == feedbackShowRecorded && r.URL.Query().Get("done") == "1" {
		data.Show = feedbackShowDone
	}
	s.renderFeedback(w, r, status, data, nil)
}

// feedbackRecord handles POST /feedback/{token}: the deputy's form,
// recorded by storage.Transition as record_feedback by an actor with the
// deputy role alone (user 0), at the case's current version. Satisfied or
// basically satisfied closes the case; 不满意 opens the next round (the
// transition table decides). Done: 303 to the page, which thanks them; a
// missing rating: the form again with the message and the input kept.
func (s *server) feedbackRecord(w http.ResponseWriter, r *http.Request) {
	data, status, ok := s.feedbackLoad(w, r)
	if !ok {
		return
	}
	if data.Show != feedbackShowForm {
		if data.Show == feedbackShowRecorded {
			status = http.StatusConflict
		}
		s.renderFeedback(w, r, status, data, nil)
		return
	}
	f := readForm(r)
	in := actionInput{WorkRating: f.Value("work_rating"), ResultRating: f.Value("result_rating"),
		ContactMethod: f.Value("contact_method"), MetBy: f.Value("met_by"), Remarks: f.Value("remarks")}
	fc := data.Case
	deputy := workflow.Actor{Roles: []workflow.Role{workflow.RoleDeputy}}
	_, err := s.takeAction(r.Context(), deputy, fc.CaseID, workflow.ActionRecordFeedback, caseAction{Version: fc.Version,
		Input:         workflow.Input{WorkRating: workflow.Rating(in.WorkRating), ResultRating: workflow.Rating(in.ResultRating)},
		ContactMethod: workflow.ContactMethod(in.ContactMethod), MetBy: in.MetBy, Remarks: in.Remarks})
	if err != nil {
		s.refuse(w, r, err, func(status int) {
			// A conflict: the case moved since it was read (someone recorded
			// the feedback, or acted on it); show what it is now.
			if workflow.Code(err) == workflow.ErrConflict {
				if again, st, ok := s.feedbackLoad(w, r); !ok {
					return
				} else if again.Show != feedbackShowForm {
					s.renderFeedback(w, r, max(st, http.StatusConflict), again, nil)
					return
				}
			}
			data.Input = in
			s.renderFeedback(w, r, status, data, errorFlash(r, err))
		})
		return
	}
	s.logger.InfoContext(r.Context(), "deputy feedback recorded", "case", fc.CaseID, "round", fc.Round,
		"work", in.WorkRating, "result", in.ResultRating)
	http.Redirect(w, r, "/feedback/"+data.Token+"?done=1", http.StatusSeeOther)
}

// feedbackLoad checks the link of the request and reads its case. It
// answers the request itself (ok false) for a link that cannot be read:
// invalid or expired. Otherwise data.Show says what the page is and status
// its HTTP status.
func (s *server) feedbackLoad(w http.ResponseWriter, r *http.Request) (data *feedbackData, status int, ok bool) {
	token := chi.URLParam(r, "token")
	data = &feedbackData{Token: token, Ratings: workflow.AllRatings(), Methods: workflow.AllContactMethods()}
	claim, err := parseFeedbackToken(s.feedbackSecret(), token, s.clock.Now())
	switch {
	case errors.Is(err, errFeedbackLinkExpired):
		data.Show = feedbackShowExpired
		s.renderFeedback(w, r, http.StatusGone, data, nil)
		return nil, 0, false
	case err != nil:
		s.logger.WarnContext(r.Context(), "feedback link refused", "reason", err.Error())
		data.Show = feedbackShowInvalid
		s.renderFeedback(w, r, http.StatusNotFound, data, nil)
		return nil, 0, false
	}
	// A link that was revoked, or replaced by another, no longer works.
	if issued, err := s.db.FeedbackLinkOf(r.Context(), claim.CaseID, claim.Round); err == nil &&
		(issued.Revoked || !issued.ExpiresAt.Equal(claim.Expires)) {
		s.logger.WarnContext(r.Context(), "feedback link refused", "reason", "revoked or replaced", "case", claim.CaseID)
		data.Show = feedbackShowInvalid
		s.renderFeedback(w, r, http.StatusNotFound, data, nil)
		return nil, 0, false
	} else if err != nil && workflow.Code(err) != workflow.ErrNotFound {
		s.writeError(w, r, err)
		return nil, 0, false
	}
	fc, err := s.db.FeedbackCase(r.Context(), claim.CaseID, claim.Round)
	if err != nil {
		if workflow.Code(err) == workflow.ErrNotFound {
			data.Show = feedbackShowInvalid
			s.renderFeedback(w, r, http.StatusNotFound, data, nil)
		} else {
			s.writeError(w, r, err)
		}
		return nil, 0, false
	}
	data.Case, data.ReplyTitle = fc, workflow.ReplyTitle(fc.SessionShort, fc.Number)
	switch {
	case fc.Recorded:
		data.Show, status = feedbackShowRecorded, http.StatusOK
	case !workflow.AwaitsFeedback(fc.Kind, fc.State) || fc.Round != claim.Round || fc.Reply == nil:
		data.Show, status = feedbackShowClosed, http.StatusGone
	default:
		data.Show, status = feedbackShowForm, http.StatusOK
	}
	return data, status, true
}

// renderFeedback answers with the feedback page: a public page, without
// the user of any browser session, never cached (its URL is a permission).
func (s *server) renderFeedback(w http.ResponseWriter, r *http.Request, status int, data *feedbackData, flash *ui.Flash) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Robots-Tag", "noindex")
	pg := &ui.Page{Title: ui.Message(ui.LangOf(r), "fb.title"), Data: data, Flash: flash}
	s.render(w, r, status, "feedback_form", pg)
}
