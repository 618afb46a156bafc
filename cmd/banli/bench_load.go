package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// benchUser is a user of the seeded data with a real login session, made
// as a login makes it (storage.CreateLoginSession: the cookie's token
// hashed, a CSRF token).
type benchUser struct {
	actor  workflow.Actor
	header http.Header // the session cookie, the CSRF token, Accept
}

// benchCase is a case the transition runs move: a unit asks for an
// extension (申请延期) and the liaison refuses it (不同意延期), again and
// again — two transitions that leave the case as it was, with its audit
// chain growing as in use.
type benchCase struct {
	mu       sync.Mutex
	id       int64
	version  int
	due      workflow.Date // the extension asked for
	pending  bool          // an extension is pending: refuse next
	approver *benchUser
}

// benchWorld is what the measurements use: users with sessions, the cases
// they move and the pages they read.
type benchWorld struct {
	liaison *benchUser
	drafter *benchUser
	cases   []*benchCase
	pages   []int64 // case ids for the case page
}

// prepare makes the sessions and picks the cases.
func (b *bench) prepare(ctx context.Context) (*benchWorld, error) {
	w := &benchWorld{}
	var err error
	var liaisonID int64
	if err := b.db.Pool.QueryRow(ctx, `SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE r.role = 'liaison' ORDER BY u.id LIMIT 1`).Scan(&liaisonID); err != nil {
		return nil, fmt.Errorf("error finding a liaison: %w", err)
	}
	if w.liaison, err = b.login(ctx, liaisonID); err != nil {
		return nil, err
	}
	// The drafter of the unit with the most open cases.
	var drafterID int64
	if err := b.db.Pool.QueryRow(ctx, `SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE r.role = 'drafter' AND u.department_id = (
			SELECT department_id FROM cases WHERE state NOT IN ('closed', 'returned', 'opinion_submitted')
			GROUP BY department_id ORDER BY count(*) DESC, department_id LIMIT 1)
		ORDER BY u.id LIMIT 1`).Scan(&drafterID); err != nil {
		return nil, fmt.Errorf("error finding a drafter: %w", err)
	}
	if w.drafter, err = b.login(ctx, drafterID); err != nil {
		return nil, err
	}

	// Cases for the transitions: open, replying, able to ask for an
	// extension. Each is tried once through the storage layer.
	want := 0
	for _, c := range b.opts.transitionClients {
		want = max(want, c)
	}
	rows, err := b.db.Pool.Query(ctx, `SELECT id FROM cases
		WHERE state IN ('assigned', 'drafting', 'in_review', 'awaiting_approval', 'rehandling') AND kind IN ('lead', 'separate')
		ORDER BY id LIMIT $1`, 4*want+20)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	approvers := map[int64]*benchUser{}
	for _, id := range ids {
		if len(w.cases) == want {
			break
		}
		cs, err := b.db.Case(ctx, id)
		if err != nil {
			return nil, err
		}
		ap, ok := approvers[cs.DepartmentID]
		if !ok {
			var uid int64
			if err := b.db.Pool.QueryRow(ctx, `SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id
				WHERE r.role = 'approver' AND u.department_id = $1 ORDER BY u.id LIMIT 1`, cs.DepartmentID).Scan(&uid); err != nil {
				return nil, fmt.Errorf("error finding the approver of department %d: %w", cs.DepartmentID, err)
			}
			if ap, err = b.login(ctx, uid); err != nil {
				return nil, err
			}
			approvers[cs.DepartmentID] = ap
		}
		c := &benchCase{id: id, version: cs.Version, due: cs.ReplyDue.AddDays(1), approver: ap}
		// Ask and refuse once: a case that cannot ask for an extension now
		// (one pending, the cap reached) is left out.
		var stepErr error
		for range 2 {
			if stepErr = b.floorStep(ctx, w, c); stepErr != nil {
				break
			}
		}
		if stepErr == nil {
			w.cases = append(w.cases, c)
		}
	}
	if len(w.cases) == 0 {
		return nil, fmt.Errorf("%w: no case of the seeded data can ask for an extension", errBench)
	}
	if len(w.cases) < want {
		b.notes = append(b.notes, fmt.Sprintf("only %d cases could take the transitions: clients beyond that share cases (and wait for each other)", len(w.cases)))
	}

	// Case pages: closed cases (the longest histories) and open ones.
	rows, err = b.db.Pool.Query(ctx, `(SELECT id FROM cases WHERE state = 'closed' ORDER BY id DESC LIMIT 20)
		UNION ALL (SELECT id FROM cases WHERE state <> 'closed' ORDER BY id DESC LIMIT 12)`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		w.pages = append(w.pages, id)
	}
	return w, rows.Err()
}

// login starts a login session for user id as the login callback does.
func (b *bench) login(ctx context.Context, id int64) (*benchUser, error) {
	u, err := b.db.User(ctx, id)
	if err != nil {
		return nil, err
	}
	token, csrf := auth.NewToken(), auth.NewToken()
	if _, err := b.db.CreateLoginSession(ctx, storage.CreateLoginSessionCmd{UserID: id, TokenHash: auth.HashToken(token),
		CSRFToken: csrf, Provider: "bench", At: time.Now(), MaxAge: 12 * time.Hour}); err != nil {
		return nil, err
	}
	h := http.Header{}
	h.Set("Cookie", (&http.Cookie{Name: "banli_session", Value: token}).String())
	h.Set(auth.CSRFHeader, csrf)
	return &benchUser{actor: workflow.Actor{UserID: u.ID, DepartmentID: u.DepartmentID, Roles: u.Roles}, header: h}, nil
}

// next returns the case's next action and its actor.
func (c *benchCase) next(w *benchWorld) (workflow.Action, *benchUser, workflow.Input) {
	if c.pending {
		return workflow.ActionRefuseExtension, w.liaison, workflow.Input{Comment: "不同意延期，请按期答复。"}
	}
	return workflow.ActionRequestExtension, c.approver, workflow.Input{Comment: "需进一步调研，申请延期。", Due: c.due}
}

// floorStep makes the case's next transition through the storage layer:
// the database work of a transition without HTTP.
func (b *bench) floorStep(ctx context.Context, w *benchWorld, c *benchCase) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	action, u, in := c.next(w)
	cs, err := b.db.Transition(ctx, storage.TransitionCmd{CaseID: c.id, Action: action, Actor: u.actor,
		ExpectedVersion: c.version, Input: in})
	if err != nil {
		return err
	}
	c.version, c.pending = cs.Version, !c.pending
	return nil
}

// httpStep makes the case's next transition over the JSON API.
func (b *bench) httpStep(ctx context.Context, s *benchServer, w *benchWorld, c *benchCase) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	action, u, in := c.next(w)
	body, err := json.Marshal(map[string]any{"version": c.version, "comment": in.Comment, "due": in.Due})
	if in.Due.IsZero() {
		body, err = json.Marshal(map[string]any{"version": c.version, "comment": in.Comment})
	}
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		fmt.Sprintf("%s/api/cases/%d/actions/%s", s.base, c.id, action), bytes.NewReader(body))
	if err != nil {
		return err
	}
	maps(req.Header, u.header)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var out struct {
		Case struct {
			Version int `json:"version"`
		} `json:"case"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s case %d: %s (%v)", action, c.id, resp.Status, err)
	}
	c.version, c.pending = out.Case.Version, !c.pending
	return nil
}

// runFor runs clients goroutines, each calling step again and again for d,
// and records the time of each call.
func runFor(ctx context.Context, clients int, d time.Duration, step func(ctx context.Context, client int) error) *latencies {
	var mu sync.Mutex
	l := &latencies{}
	var firstErr atomic.Value
	begin := time.Now()
	end := begin.Add(d)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			var mine []time.Duration
			errs := 0
			for time.Now().Before(end) && ctx.Err() == nil {
				t := time.Now()
				if err := step(ctx, i); err != nil {
					errs++
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			l.times = append(l.times, mine...)
			l.errors += errs
			mu.Unlock()
		})
	}
	wg.Wait()
	l.wall = time.Since(begin)
	if e := firstErr.Load(); e != nil {
		l.firstErr = e.(string)
	}
	return l
}

// runN makes n calls of step over clients goroutines and records the time
// of each.
func runN(ctx context.Context, clients, n int, step func(ctx context.Context, i int) error) *latencies {
	var mu sync.Mutex
	l := &latencies{}
	var next atomic.Int64
	var firstErr atomic.Value
	begin := time.Now()
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			var mine []time.Duration
			errs := 0
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					break
				}
				t := time.Now()
				if err := step(ctx, i); err != nil {
					errs++
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			l.times = append(l.times, mine...)
			l.errors += errs
			mu.Unlock()
		})
	}
	wg.Wait()
	l.wall = time.Since(begin)
	if e := firstErr.Load(); e != nil {
		l.firstErr = e.(string)
	}
	return l
}

// measureTransitions runs the transitions over HTTP and through the
// storage layer at each concurrency, one after the other.
func (b *bench) measureTransitions(ctx context.Context, s *benchServer, w *benchWorld) error {
	top := b.opts.transitionClients[len(b.opts.transitionClients)-1]
	for _, clients := range b.opts.transitionClients {
		b.say("transitions over HTTP, %d clients, %v", clients, b.opts.duration)
		app := runFor(ctx, clients, b.opts.duration, func(ctx context.Context, i int) error {
			return b.httpStep(ctx, s, w, w.cases[i%len(w.cases)])
		})
		b.say("transitions through storage (the floor), %d clients, %v", clients, b.opts.duration)
		floor := runFor(ctx, clients, b.opts.duration, func(ctx context.Context, i int) error {
			return b.floorStep(ctx, w, w.cases[i%len(w.cases)])
		})
		if err := s.exited(); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		for _, l := range []*latencies{app, floor} {
			if len(l.times) == 0 {
				return fmt.Errorf("%w: no transition succeeded at %d clients: %s", errBench, clients, l.firstErr)
			}
		}
		var ratioT, p99T *target
		if clients == 32 || (clients == top && top >= 32) {
			ratio := app.perSecond() / floor.perSecond()
			ratioT = &target{text: "≥ 0.7", ok: ratio >= 0.7}
			p99T = below(app.percentile(99), 50*time.Millisecond)
		}
		b.addRow(
			benchRow{fmt.Sprintf("transitions over HTTP, %s: per s; p50 / p95 / p99", clientsWord(clients)), transitionFigure(app), p99T},
			benchRow{fmt.Sprintf("floor (storage.Transition, no HTTP), %s", clientsWord(clients)), transitionFigure(floor), nil},
			benchRow{fmt.Sprintf("app / floor, %s", clientsWord(clients)), fmt.Sprintf("%.2f", app.perSecond()/floor.perSecond()), ratioT})
	}
	return nil
}

// transitionFigure reads "312/s; 2.1 / 5.0 / 9.3 ms", and the failures.
func transitionFigure(l *latencies) string {
	f := fmt.Sprintf("%.0f/s; %s / %s / %s ms", l.perSecond(), ms(l.percentile(50)), ms(l.percentile(95)), ms(l.percentile(99)))
	if l.errors > 0 {
		f += fmt.Sprintf(" (%d failed)", l.errors)
	}
	return f
}

// benchPage is a page measured at each concurrency.
type benchPage struct {
	what  string
	path  func(i int) string
	user  *benchUser // nil: anonymous
	limit time.Duration
}

// measurePages reads each page requests times at each concurrency, after
// three warm-up reads.
func (b *bench) measurePages(ctx context.Context, s *benchServer, w *benchWorld) error {
	fixed := func(p string) func(int) string { return func(int) string { return p } }
	q := url.QueryEscape
	pages := []benchPage{
		{"workbench, liaison (`/`)", fixed("/"), w.liaison, 50 * time.Millisecond},
		{"workbench, drafter of the busiest unit (`/`)", fixed("/"), w.drafter, 50 * time.Millisecond},
		{"case page (`/cases/{id}`, liaison)", func(i int) string { return fmt.Sprintf("/cases/%d", w.pages[i%len(w.pages)]) }, w.liaison, 50 * time.Millisecond},
		{"督办 dashboard (`/supervision`)", fixed("/supervision"), w.liaison, 50 * time.Millisecond},
		{"filtered list (`/supervision/cases?measure=replied`)", fixed("/supervision/cases?measure=replied"), w.liaison, 0},
		{"staff search 食品, liaison (`/api/search?q=食品`)", fixed("/api/search?q=" + q("食品")), w.liaison, 100 * time.Millisecond},
		{"staff search 监管 (in most suggestions), liaison", fixed("/api/search?q=" + q("监管")), w.liaison, 100 * time.Millisecond},
		{"staff search 食品, drafter", fixed("/api/search?q=" + q("食品")), w.drafter, 100 * time.Millisecond},
		{"portal search 食品 (`/public?q=食品`)", fixed("/public?q=" + q("食品")), nil, 100 * time.Millisecond},
		{"portal search 专利转化", fixed("/public?q=" + q("专利转化")), nil, 100 * time.Millisecond},
		{"Atom feed (`/public/feed.atom`)", fixed("/public/feed.atom"), nil, 0},
	}
	top := b.opts.pageClients[len(b.opts.pageClients)-1]
	for _, p := range pages {
		var h http.Header
		if p.user != nil {
			h = p.user.header
		}
		step := func(ctx context.Context, i int) error {
			code, _, err := s.get(ctx, p.path(i), h)
			if err == nil && code != http.StatusOK {
				err = fmt.Errorf("GET %s: %d", p.path(i), code)
			}
			return err
		}
		for i := range 3 {
			if err := step(ctx, i); err != nil {
				return fmt.Errorf("%w: %s: %v", errBench, p.what, err)
			}
		}
		var figs []string
		var t *target
		for _, clients := range b.opts.pageClients {
			b.say("%s, %d clients", p.what, clients)
			l := runN(ctx, clients, b.opts.requests, step)
			if len(l.times) == 0 {
				return fmt.Errorf("%w: %s: every request failed: %s", errBench, p.what, l.firstErr)
			}
			f := fmt.Sprintf("%d: %s / %s", clients, ms(l.percentile(50)), ms(l.percentile(95)))
			if l.errors > 0 {
				f += fmt.Sprintf(" (%d failed)", l.errors)
			}
			figs = append(figs, f)
			if clients == top && p.limit > 0 && top >= 16 {
				t = below(l.percentile(95), p.limit)
				t.text = "p95 " + t.text + fmt.Sprintf(" at %d", top)
			}
		}
		b.addRow(benchRow{p.what + ": clients: p50 / p95 ms", joinFigs(figs), t})
	}
	return nil
}

// clientsWord reads "1 client", "8 clients".
func clientsWord(n int) string {
	if n == 1 {
		return "1 client"
	}
	return fmt.Sprintf("%d clients", n)
}

// joinFigs joins the figures of the concurrencies of one page.
func joinFigs(f []string) string {
	out := ""
	for i, s := range f {
		if i > 0 {
			out += "; "
		}
		out += s
	}
	return out
}
