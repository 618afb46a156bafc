package storage

import (
	"context"
	"fmt"
	"sync"

	"github.com/banli-gov/banli/workflow"
)

// A process keeps the working-day calendar (built-in schedules with the
// holiday overrides) and each session's rules and reminder policy in
// memory: building the calendar was a tenth of a transition's CPU. Whether
// they are still current is one small query: the table cache_versions
// holds a counter per kind that triggers bump in every transaction that
// changes holiday_overrides ('calendar') or deadline_rules and
// congress_sessions ('rules') — in this process or any other — so an
// admin's holiday override is used by the next due date counted anywhere,
// with no time-to-live to wait out. The version is read before the data,
// so a cached value is never labelled newer than it is.

// configCache is a DB's cache of the calendar and the session rules.
type configCache struct {
	mu           sync.Mutex
	calVersion   int64
	cal          *workflow.Calendar
	rulesVersion int64
	sessions     map[int64]*workflow.CongressSession
}

// cacheVersions reads the current versions of the calendar and the rules.
func cacheVersions(ctx context.Context, q querier) (cal, rules int64, err error) {
	err = q.QueryRow(ctx, `SELECT (SELECT version FROM cache_versions WHERE name = 'calendar'),
		(SELECT version FROM cache_versions WHERE name = 'rules')`).Scan(&cal, &rules)
	if err != nil {
		return 0, 0, fmt.Errorf("error reading cache versions: %w", err)
	}
	return cal, rules, nil
}

// calendar returns the calendar as q sees it, from the cache when current.
func (db *DB) calendar(ctx context.Context, q querier) (*workflow.Calendar, error) {
	v, _, err := cacheVersions(ctx, q)
	if err != nil {
		return nil, err
	}
	return db.calendarAt(ctx, q, v)
}

func (db *DB) calendarAt(ctx context.Context, q querier, v int64) (*workflow.Calendar, error) {
	c := &db.cache
	c.mu.Lock()
	if c.cal != nil && c.calVersion == v {
		cal := c.cal
		c.mu.Unlock()
		return cal, nil
	}
	c.mu.Unlock()
	cal, err := calendar(ctx, q)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if v >= c.calVersion {
		c.cal, c.calVersion = cal, v
	}
	c.mu.Unlock()
	return cal, nil
}

// session returns a session with its rules and reminder policy as q sees
// it, from the cache when current. The caller must not change it.
func (db *DB) session(ctx context.Context, q querier, id int64, v int64) (*workflow.CongressSession, error) {
	c := &db.cache
	c.mu.Lock()
	if s, ok := c.sessions[id]; ok && c.rulesVersion == v {
		c.mu.Unlock()
		return s, nil
	}
	c.mu.Unlock()
	s, err := getSession(ctx, q, `id = $1`, id)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if v > c.rulesVersion || c.sessions == nil {
		c.sessions, c.rulesVersion = map[int64]*workflow.CongressSession{}, v
	}
	if v == c.rulesVersion {
		c.sessions[id] = s
	}
	c.mu.Unlock()
	return s, nil
}

// loadDeadlines returns the rules, reminder policy and calendar of a
// session, as q sees them.
func (db *DB) loadDeadlines(ctx context.Context, q querier, sessionID int64) (*deadlines, error) {
	calV, rulesV, err := cacheVersions(ctx, q)
	if err != nil {
		return nil, err
	}
	s, err := db.session(ctx, q, sessionID, rulesV)
	if err != nil {
		return nil, err
	}
	cal, err := db.calendarAt(ctx, q, calV)
	if err != nil {
		return nil, err
	}
	return &deadlines{rules: s.Rules, policy: s.Reminders, cal: cal}, nil
}

// loadCaseDeadlines loads the rules, calendar and reminder policy of a
// proposal's session.
func (db *DB) loadCaseDeadlines(ctx context.Context, q querier, proposalID int64) (*deadlines, error) {
	var sessionID int64
	if err := q.QueryRow(ctx, `SELECT session_id FROM proposals WHERE id = $1`, proposalID).Scan(&sessionID); err != nil {
		return nil, dbError(err, fmt.Sprintf("proposal %d", proposalID))
	}
	return db.loadDeadlines(ctx, q, sessionID)
}
