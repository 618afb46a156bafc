package web

import (
	"mime"
	"net/http"
	"strconv"

	"github.com/banli-gov/banli/internal/letter"
	"github.com/banli-gov/banli/workflow"
)

// caseLetter answers GET /cases/{id}/letter?format=pdf|docx[&round=N][&to=K]
// (format pdf when absent)
// with the case's letter as a file to download: for a case that replies to
// the deputies, the letters of its signed reply of round N (the latest
// when absent) — the K-th letter (1 for the first deputy), or every letter
// in a ZIP when there are several and to is absent; for a co-handling
// case, its co-opinion letter (协办意见函) to the lead unit. Whoever may see
// the case may download it (so the lead unit downloads its co-units'
// letters); not found before a reply or an opinion is signed.
func (s *server) caseLetter(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, _, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	format, err := letter.FormatPDF, error(nil)
	if v := q.Get("format"); v != "" {
		format, err = letter.ParseFormat(v)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	round, _ := strconv.Atoi(q.Get("round"))
	letters, err := letter.ForCase(r.Context(), s.db, cs, round)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if v := q.Get("to"); v != "" {
		k, err := strconv.Atoi(v)
		if err != nil || k < 1 || k > len(letters) {
			s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "%s", message(r, "letter.err.to")))
			return
		}
		letters = letters[k-1 : k]
	}
	var body []byte
	name, ctype := letters[0].FileName+"."+string(format), format.ContentType()
	if len(letters) == 1 {
		body, err = letters[0].Render(format)
	} else {
		body, err = letter.Zip(letters, format, s.clock.Now())
		name, ctype = cs.ProposalNumber+"-答复函-"+string(format)+".zip", "application/zip"
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}
