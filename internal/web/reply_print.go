package web

import (
	"net/http"
	"strconv"

	"github.com/banli-gov/banli/internal/letter"
)

// printData is the data of the view "reply_print".
type printData struct {
	CaseID int64
	// Letters are the letters as internal/letter decides them — the same
	// that the PDF and DOCX files say: one per deputy unless the session
	// says otherwise, or the co-opinion letter of a co-handling case.
	Letters []*letter.Letter
	// Round is the reply's round asked for (0: the latest).
	Round int
}

// replyPrint shows GET /cases/{id}/reply/print[?round=N], the signed reply
// of the case's latest round (or of round N) laid out as the official
// letters, one after the other, each on its own sheet in print (GB/T 9704's
// letter format, as internal/letter decides it: 函头, 文号, class mark,
// title, salutation, opening, sections, closing, unit, 成文日期, 附注,
// contact, 抄送); for a co-handling case, its co-opinion letter. No
// navigation, a print stylesheet, links to the same letters as PDF and
// DOCX. Not found before a reply or an opinion is signed.
func (s *server) replyPrint(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, _, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	round, _ := strconv.Atoi(r.URL.Query().Get("round"))
	letters, err := letter.ForCase(r.Context(), s.db, cs, round)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	data := &printData{CaseID: cs.ID, Letters: letters, Round: round}
	s.render(w, r, http.StatusOK, "reply_print", s.page(w, r, letters[0].Title, data))
}
