package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/banli-gov/banli/workflow"
)

// PublishedReply is a reply as the public portal shows it. It carries no
// contact details of the deputy.
type PublishedReply struct {
	PublicationID  int64
	Title          string
	SessionShort   string
	Number         string
	ProposalTitle  string
	DepartmentName string // 来源
	PublishedAt    time.Time
	Class          workflow.ReplyClass
	// Sections is the public text (workflow.SignedText.Public): the whole
	// reply, the reply with withheld passages left out, or its summary.
	Sections []workflow.Section
	// Public says what Sections is: a summary (摘要公开), or how many
	// passages were left out (区分处理).
	Public workflow.PublicText
}

// publishedText is what PublishedReply and PublishedReplies read of a
// reply to work out its public text.
const publishedText = `r.disclosure, r.summary, r.withheld, dr.sections`

// setPublicText sets r's text to what the public may read of the signed
// reply (workflow.SignedText.Public).
func (r *PublishedReply) setPublicText(disclosure, summary string, withheld []workflow.Passage, body []byte) error {
	signed := workflow.SignedText{Disclosure: workflow.Disclosure(disclosure), Summary: summary, Withheld: withheld}
	if err := json.Unmarshal(body, &signed.Sections); err != nil {
		return fmt.Errorf("error decoding reply %d: %w", r.PublicationID, err)
	}
	pt, ok := signed.Public()
	if !ok {
		// Published before its disclosure was changed (never by banli):
		// show nothing rather than what is not public.
		pt = workflow.PublicText{}
	}
	r.Public, r.Sections = pt, pt.Sections
	return nil
}

// PublishedReply returns a published reply by its publication id; anything
// not published is not found.
func (db *DB) PublishedReply(ctx context.Context, publicationID int64) (*PublishedReply, error) {
	var r PublishedReply
	var class, disclosure, summary string
	var withheld []workflow.Passage
	var body []byte
	err := db.Pool.QueryRow(ctx, `
		SELECT pub.id, pub.title, s.short_name, p.number, p.title, d.name, pub.published_at, r.class, `+publishedText+`
		FROM publications pub
		JOIN replies r ON r.id = pub.reply_id
		JOIN drafts dr ON dr.id = r.draft_id
		JOIN cases c ON c.id = r.case_id
		JOIN departments d ON d.id = c.department_id
		JOIN proposals p ON p.id = c.proposal_id
		JOIN congress_sessions s ON s.id = p.session_id
		WHERE pub.id = $1 AND pub.state = 'published'`, publicationID).
		Scan(&r.PublicationID, &r.Title, &r.SessionShort, &r.Number, &r.ProposalTitle, &r.DepartmentName, &r.PublishedAt, &class,
			&disclosure, &summary, &withheld, &body)
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("published reply %d", publicationID))
	}
	r.Class = workflow.ReplyClass(class)
	return &r, r.setPublicText(disclosure, summary, withheld, body)
}

// PublicationIDByNumber finds the published reply to proposal number in the
// session with that short name.
func (db *DB) PublicationIDByNumber(ctx context.Context, sessionShort, number string) (int64, error) {
	var id int64
	err := db.Pool.QueryRow(ctx, `
		SELECT pub.id FROM publications pub
		JOIN replies r ON r.id = pub.reply_id
		JOIN cases c ON c.id = r.case_id
		JOIN proposals p ON p.id = c.proposal_id
		JOIN congress_sessions s ON s.id = p.session_id
		WHERE s.short_name = $1 AND p.number = $2 AND pub.state = 'published'
		ORDER BY r.round DESC LIMIT 1`, sessionShort, number).Scan(&id)
	if err != nil {
		return 0, dbError(err, fmt.Sprintf("published reply to %s No. %s", sessionShort, number))
	}
	return id, nil
}
