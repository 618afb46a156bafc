package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/banli-gov/banli/workflow"
)

// PublicationFilter selects published replies for the public portal.
type PublicationFilter struct {
	// Query holds words separated by spaces; a reply matches when each word
	// is in its published title, its proposal's title or its number.
	Query string
	// SessionShort keeps the replies of the congress session with this
	// short name (e.g. 市十五届人大三次会议); empty: every session.
	SessionShort string
	// Department keeps the replies of the unit with this code (e.g. scjg);
	// empty: every unit.
	Department string
	// Limit is the most replies returned (1–200; 0 means 20); Offset skips
	// that many first.
	Limit, Offset int
}

// maxPublicationPage bounds PublicationFilter.Limit.
const maxPublicationPage = 200

// PublishedReplies returns the published replies matching f, newest first
// (by publication time, then id), with their sections, and how many match in
// all. Like PublishedReply, it carries nothing but what the public page
// shows.
func (db *DB) PublishedReplies(ctx context.Context, f PublicationFilter) ([]*PublishedReply, int, error) {
	limit := f.Limit
	switch {
	case limit <= 0:
		limit = 20
	case limit > maxPublicationPage:
		limit = maxPublicationPage
	}
	where := []string{"pub.state = 'published'"}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	for _, word := range strings.Fields(f.Query) {
		p := arg("%" + likeEscape(word) + "%")
		where = append(where, fmt.Sprintf("(pub.title ILIKE %[1]s OR p.title ILIKE %[1]s OR p.number ILIKE %[1]s)", p))
	}
	if f.SessionShort != "" {
		where = append(where, "s.short_name = "+arg(f.SessionShort))
	}
	if f.Department != "" {
		where = append(where, "d.code = "+arg(f.Department))
	}
	from := `
		FROM publications pub
		JOIN replies r ON r.id = pub.reply_id
		JOIN drafts dr ON dr.id = r.draft_id
		JOIN cases c ON c.id = r.case_id
		JOIN departments d ON d.id = c.department_id
		JOIN proposals p ON p.id = c.proposal_id
		JOIN congress_sessions s ON s.id = p.session_id
		WHERE ` + strings.Join(where, " AND ")
	filterArgs := len(args)
	q := `
		SELECT pub.id, pub.title, s.short_name, p.number, p.title, d.name, pub.published_at, r.class, dr.sections,
		       count(*) OVER ()` + from + `
		ORDER BY pub.published_at DESC, pub.id DESC
		LIMIT ` + arg(limit) + ` OFFSET ` + arg(max(f.Offset, 0))
	rows, err := db.Pool.Query(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("error listing published replies: %w", err)
	}
	defer rows.Close()
	var out []*PublishedReply
	total := 0
	for rows.Next() {
		var r PublishedReply
		var class string
		var body []byte
		if err := rows.Scan(&r.PublicationID, &r.Title, &r.SessionShort, &r.Number, &r.ProposalTitle, &r.DepartmentName,
			&r.PublishedAt, &class, &body, &total); err != nil {
			return nil, 0, fmt.Errorf("error reading published replies: %w", err)
		}
		r.Class = workflow.ReplyClass(class)
		if err := json.Unmarshal(body, &r.Sections); err != nil {
			return nil, 0, fmt.Errorf("error decoding reply %d: %w", r.PublicationID, err)
		}
		out = append(out, &r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("error listing published replies: %w", err)
	}
	if len(out) == 0 && f.Offset > 0 {
		// Past the last page, the window counted nothing: count alone.
		if err := db.Pool.QueryRow(ctx, `SELECT count(*)`+from, args[:filterArgs]...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("error counting published replies: %w", err)
		}
	}
	return out, total, nil
}

// PublicationFacets are the values the public portal offers as filters:
// the sessions and the units that have published replies.
type PublicationFacets struct {
	// Sessions are the short names of sessions, newest first.
	Sessions []string
	// Departments are the units, by name.
	Departments []PublicationUnit
}

// PublicationUnit is a unit that published replies.
type PublicationUnit struct {
	Code string
	Name string
}

// PublishedFacets returns the sessions and units that have published
// replies.
func (db *DB) PublishedFacets(ctx context.Context) (*PublicationFacets, error) {
	const from = `
		FROM publications pub
		JOIN replies r ON r.id = pub.reply_id
		JOIN cases c ON c.id = r.case_id
		JOIN departments d ON d.id = c.department_id
		JOIN proposals p ON p.id = c.proposal_id
		JOIN congress_sessions s ON s.id = p.session_id
		WHERE pub.state = 'published'`
	var f PublicationFacets
	rows, err := db.Pool.Query(ctx, `SELECT s.short_name`+from+` GROUP BY s.short_name ORDER BY max(s.opened_on) DESC, s.short_name`)
	if err != nil {
		return nil, fmt.Errorf("error listing sessions with published replies: %w", err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("error reading sessions with published replies: %w", err)
		}
		f.Sessions = append(f.Sessions, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("error listing sessions with published replies: %w", err)
	}
	rows, err = db.Pool.Query(ctx, `SELECT DISTINCT d.code, d.name `+from+` ORDER BY d.name`)
	if err != nil {
		return nil, fmt.Errorf("error listing units with published replies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u PublicationUnit
		if err := rows.Scan(&u.Code, &u.Name); err != nil {
			return nil, fmt.Errorf("error reading units with published replies: %w", err)
		}
		f.Departments = append(f.Departments, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("error listing units with published replies: %w", err)
	}
	return &f, nil
}

// likeEscape escapes the wildcards of LIKE (\ is its default escape).
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
