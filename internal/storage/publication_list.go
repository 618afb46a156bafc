package storage

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/banli-gov/banli/workflow"
)

// PublicationFilter selects published replies for the public portal.
type PublicationFilter struct {
	// Query holds words separated by spaces (see search_text.go); a reply
	// matches when its suggestion's title and number, or its public text
	// (replies.search_public: never a withheld passage, only the summary
	// of a reply disclosed as a summary), hold every word. Title hits come
	// first.
	Query string
	// SessionShort keeps the replies of the congress session with this
	// short name (e.g. 市十五届人大三次会议); empty: every session.
	SessionShort string
	// Department keeps the replies of the unit with this code (e.g. scjg);
	// empty: every unit.
	Department string
	// Class keeps the replies of that class (A–D); Year those published in
	// that year (Asia/Shanghai).
	Class workflow.ReplyClass
	Year  int
	// Limit is the most replies returned (1–200; 0 means 20); Offset skips
	// that many first.
	Limit, Offset int
}

// maxPublicationPage bounds PublicationFilter.Limit.
const maxPublicationPage = 200

// PublishedReplies returns the published replies matching f — title hits
// first when searching — newest first (by publication time, then id), with
// their sections, and how many match in all, counted up to
// SearchCountCap+1 (more than SearchCountCap: "more than"). Like
// PublishedReply, it carries nothing but what the public page shows. A
// query without a searchable character matches nothing.
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
	hits, order, q := "", "pub.published_at DESC, pub.id DESC", ""
	if strings.TrimSpace(f.Query) != "" {
		if q = searchQuery(f.Query); q == "" {
			return nil, 0, nil
		}
	}
	if f.SessionShort != "" {
		where = append(where, "s.short_name = "+arg(f.SessionShort))
	}
	if f.Department != "" {
		where = append(where, "d.code = "+arg(f.Department))
	}
	if f.Class != "" {
		where = append(where, "r.class = "+arg(string(f.Class)))
	}
	if f.Year != 0 {
		y := arg(f.Year)
		where = append(where, `pub.published_at >= make_timestamptz(`+y+`, 1, 1, 0, 0, 0, 'Asia/Shanghai')
			AND pub.published_at < make_timestamptz(`+y+` + 1, 1, 1, 0, 0, 0, 'Asia/Shanghai')`)
	}
	if q != "" {
		common := cmp.Or(db.SearchCommonAt, CommonQueryProposals)
		var probe int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM replies WHERE search_public @@ $1::tsquery LIMIT $2) x`,
			q, common).Scan(&probe); err != nil {
			return nil, 0, fmt.Errorf("error searching published replies: %w", err)
		}
		if probe >= common {
			return db.publishedCommon(ctx, q, args, where, limit, max(f.Offset, 0))
		}
		p := arg(q)
		// The replies whose suggestion's title, or whose own text, holds
		// every word; each once.
		hits = `JOIN (SELECT reply_id, bool_or(title_hit) AS title_hit FROM (
				SELECT r.id AS reply_id, true AS title_hit
				FROM proposals p JOIN cases c ON c.proposal_id = p.id JOIN replies r ON r.case_id = c.id
				WHERE p.search_title @@ ` + p + `::tsquery
				UNION ALL
				SELECT r.id, false FROM replies r WHERE r.search_public @@ ` + p + `::tsquery
			) m GROUP BY reply_id) h ON h.reply_id = pub.reply_id`
		order = "h.title_hit DESC, " + order
	}
	from := `
		FROM publications pub ` + hits + publishedFrom + strings.Join(where, " AND ")
	var total int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1`+from+fmt.Sprintf(` LIMIT %d) x`, SearchCountCap+1), customPlan(args)...).
		Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("error counting published replies: %w", err)
	}
	out, err := db.publishedPage(ctx, `SELECT `+publishedColumns+from+`
		ORDER BY `+order+`
		LIMIT `+arg(limit)+` OFFSET `+arg(max(f.Offset, 0)), args)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// publishedColumns and publishedFrom are the columns and joins of a page
// of published replies (publishedPage), after FROM publications pub.
const (
	publishedColumns = `pub.id, pub.title, s.short_name, p.number, p.title, d.name, pub.published_at, r.class,
			r.disclosure, r.summary, r.withheld, (SELECT dr.sections FROM drafts dr WHERE dr.id = r.draft_id)`
	publishedFrom = `
		JOIN replies r ON r.id = pub.reply_id
		JOIN cases c ON c.id = r.case_id
		JOIN departments d ON d.id = c.department_id
		JOIN proposals p ON p.id = c.proposal_id
		JOIN congress_sessions s ON s.id = p.session_id
		WHERE `
)

// publishedCommon is PublishedReplies for a common query q (held by the
// public texts of more replies than SearchCommonAt), as searchCommon is
// for staff: the title hits first, newest first, then the other matches,
// walking the published replies newest first (the index on published_at)
// and stopping at the page's end; the count stops at SearchCountCap + 1
// the same way.
func (db *DB) publishedCommon(ctx context.Context, q string, args []any, where []string, limit, offset int) ([]*PublishedReply, int, error) {
	args = append(args, q)
	p := fmt.Sprintf("$%d::tsquery", len(args))
	base := `
		FROM publications pub ` + publishedFrom + strings.Join(where, " AND ")
	title := ` AND coalesce(p.search_title @@ ` + p + `, false)`
	match := ` AND (coalesce(p.search_title @@ ` + p + `, false) OR coalesce(r.search_public @@ ` + p + `, false))`
	const order = ` ORDER BY pub.published_at DESC, pub.id DESC`
	var total int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1`+base+match+fmt.Sprintf(` LIMIT %d) x`, SearchCountCap+1), customPlan(args)...).
		Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("error counting published replies: %w", err)
	}
	page := fmt.Sprintf(` LIMIT %d OFFSET %d`, limit, offset)
	out, err := db.publishedPage(ctx, `SELECT `+publishedColumns+base+title+order+page, args)
	if err != nil || len(out) == limit {
		return out, total, err
	}
	// Title hits before this page: all offset of them when the page has
	// some, else counted (at most offset).
	titles := offset + len(out)
	if len(out) == 0 && offset > 0 {
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1`+base+title+fmt.Sprintf(` LIMIT %d) x`, offset), customPlan(args)...).
			Scan(&titles); err != nil {
			return nil, 0, fmt.Errorf("error counting published replies: %w", err)
		}
	}
	others, err := db.publishedPage(ctx, `SELECT `+publishedColumns+base+match+` AND NOT coalesce(p.search_title @@ `+p+`, false)`+order+
		fmt.Sprintf(` LIMIT %d OFFSET %d`, limit-len(out), max(offset-titles, 0)), args)
	if err != nil {
		return nil, 0, err
	}
	return append(out, others...), total, nil
}

// publishedPage runs a page query of published replies (publishedColumns).
func (db *DB) publishedPage(ctx context.Context, sql string, args []any) ([]*PublishedReply, error) {
	rows, err := db.Pool.Query(ctx, sql, customPlan(args)...)
	if err != nil {
		return nil, fmt.Errorf("error listing published replies: %w", err)
	}
	defer rows.Close()
	var out []*PublishedReply
	for rows.Next() {
		var r PublishedReply
		var class, disclosure, summary string
		var withheld []workflow.Passage
		var body []byte
		if err := rows.Scan(&r.PublicationID, &r.Title, &r.SessionShort, &r.Number, &r.ProposalTitle, &r.DepartmentName,
			&r.PublishedAt, &class, &disclosure, &summary, &withheld, &body); err != nil {
			return nil, fmt.Errorf("error reading published replies: %w", err)
		}
		r.Class = workflow.ReplyClass(class)
		if err := r.setPublicText(disclosure, summary, withheld, body); err != nil {
			return nil, err
		}
		out = append(out, &r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("error listing published replies: %w", err)
	}
	return out, nil
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

// facetsTTL is how long a process reuses the portal's facets: a session's
// or unit's first published reply appears among the filters within it
// (the list itself is always current). It is counted on the database's
// clock, the one every decision reads.
const facetsTTL = time.Minute

// facetsCache holds the portal's facets of one process.
type facetsCache struct {
	mu     sync.Mutex
	facets *PublicationFacets
	at     time.Time
}

// PublishedFacets returns the sessions and units that have published
// replies, as read at most facetsTTL ago: for each session and unit, the
// first published reply found ends its search.
func (db *DB) PublishedFacets(ctx context.Context) (*PublicationFacets, error) {
	c := &db.facets
	c.mu.Lock()
	now := db.Clock.Now()
	if c.facets != nil && now.Sub(c.at) < facetsTTL && !now.Before(c.at) {
		f := c.facets
		c.mu.Unlock()
		return f, nil
	}
	c.mu.Unlock()
	f, err := db.publishedFacets(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.facets, c.at = f, now
	c.mu.Unlock()
	return f, nil
}

func (db *DB) publishedFacets(ctx context.Context) (*PublicationFacets, error) {
	var f PublicationFacets
	rows, err := db.Pool.Query(ctx, `SELECT s.short_name FROM congress_sessions s
		CROSS JOIN LATERAL (SELECT 1 FROM proposals p JOIN cases c ON c.proposal_id = p.id JOIN replies r ON r.case_id = c.id
			JOIN publications pub ON pub.reply_id = r.id WHERE p.session_id = s.id AND pub.state = 'published' LIMIT 1) x
		ORDER BY s.opened_on DESC, s.short_name`)
	if err != nil {
		return nil, fmt.Errorf("error listing sessions with published replies: %w", err)
	}
	if f.Sessions, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return nil, fmt.Errorf("error listing sessions with published replies: %w", err)
	}
	rows, err = db.Pool.Query(ctx, `SELECT d.code, d.name FROM departments d
		CROSS JOIN LATERAL (SELECT 1 FROM cases c JOIN replies r ON r.case_id = c.id JOIN publications pub ON pub.reply_id = r.id
			WHERE c.department_id = d.id AND pub.state = 'published' LIMIT 1) x
		ORDER BY d.name`)
	if err != nil {
		return nil, fmt.Errorf("error listing units with published replies: %w", err)
	}
	f.Departments, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (PublicationUnit, error) {
		var u PublicationUnit
		err := r.Scan(&u.Code, &u.Name)
		return u, err
	})
	if err != nil {
		return nil, fmt.Errorf("error listing units with published replies: %w", err)
	}
	return &f, nil
}
