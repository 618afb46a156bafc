package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// printData is the data of the view "reply_print".
type printData struct {
	CaseID int64
	Reply  *storage.CaseReply
	// Addressee is the lead deputy's name: the letter opens 陈明远代表：.
	Addressee string
	// Title is 关于{session}第{number}号建议的答复.
	Title string
	// Unit is the issuing unit (the case's department).
	Unit string
	// Date is the letter's date in Chinese, e.g. 2024年9月5日: the day it
	// was sent, or signed while not yet sent.
	Date string
}

// replyPrint shows GET /cases/{id}/reply/print[?round=N], the signed reply
// of the case's latest round (or of round N) laid out as the official
// letter: the class mark top right, the addressee, the title, the
// sections, the issuing unit and the date, 文号, contact person and
// phone; no navigation, a print stylesheet. Not found before a reply is
// signed.
func (s *server) replyPrint(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, _, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	replies, err := s.db.CaseReplies(r.Context(), cs.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var reply *storage.CaseReply
	if v := r.URL.Query().Get("round"); v != "" {
		n, _ := strconv.Atoi(v)
		for _, rp := range replies {
			if rp.Round == n {
				reply = rp
			}
		}
	} else if len(replies) > 0 {
		reply = replies[len(replies)-1]
	}
	if reply == nil {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "尚无签发的答复 (case %d has no signed reply of that round)", cs.ID))
		return
	}
	deputies, err := s.db.ProposalDeputies(r.Context(), cs.ProposalID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	data := &printData{CaseID: cs.ID, Reply: reply, Title: workflow.ReplyTitle(cs.SessionShort, cs.ProposalNumber), Unit: cs.DepartmentName}
	if len(deputies) > 0 {
		data.Addressee = deputies[0].Name
	}
	day := workflow.DateOf(reply.SignedAt)
	if !reply.SentAt.IsZero() {
		day = workflow.DateOf(reply.SentAt)
	}
	data.Date = chineseDate(day)
	s.render(w, r, http.StatusOK, "reply_print", s.page(w, r, data.Title, data))
}

// chineseDate writes a date as official letters do: 2024年9月5日.
func chineseDate(d workflow.Date) string {
	return fmt.Sprintf("%d年%d月%d日", d.Year, int(d.Month), d.Day)
}
