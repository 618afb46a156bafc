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
	Sections       []workflow.Section
}

// PublishedReply returns a published reply by its publication id; anything
// not published is not found.
func (db *DB) PublishedReply(ctx context.Context, publicationID int64) (*PublishedReply, error) {
	var r PublishedReply
	var class string
	var body []byte
	err := db.Pool.QueryRow(ctx, `
		SELECT pub.id, pub.title, s.short_name, p.number, p.title, d.name, pub.published_at, r.class, dr.sections
		FROM publications pub
		JOIN replies r ON r.id = pub.reply_id
		JOIN drafts dr ON dr.id = r.draft_id
		JOIN cases c ON c.id = r.case_id
		JOIN departments d ON d.id = c.department_id
		JOIN proposals p ON p.id = c.proposal_id
		JOIN congress_sessions s ON s.id = p.session_id
		WHERE pub.id = $1 AND pub.state = 'published'`, publicationID).
		Scan(&r.PublicationID, &r.Title, &r.SessionShort, &r.Number, &r.ProposalTitle, &r.DepartmentName, &r.PublishedAt, &class, &body)
	if err != nil {
		return nil, dbError(err, fmt.Sprintf("published reply %d", publicationID))
	}
	r.Class = workflow.ReplyClass(class)
	if err := json.Unmarshal(body, &r.Sections); err != nil {
		return nil, fmt.Errorf("error decoding reply %d: %w", publicationID, err)
	}
	return &r, nil
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
