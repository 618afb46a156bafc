package notify_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/banli-gov/banli/internal/notify"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/workflow"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// baseURL is banli's public URL in these tests.
const baseURL = "https://banli.example.gov.cn"

// bundle is what the tests start from: a database with the liaison office,
// a unit, a case of the unit, and an insert-only River client (jobs are
// recorded, not worked, unless a test starts a client of its own).
type bundle struct {
	ctx     context.Context
	db      *storage.DB
	ins     *river.Client[pgx.Tx]
	office  *workflow.Department
	unit    *workflow.Department
	liaison workflow.Actor
	caseID  int64
}

func setup(t *testing.T) *bundle {
	t.Helper()
	ctx := context.Background()
	db := testdb.NewDB(t)
	bn := &bundle{ctx: ctx, db: db}
	var err error
	bn.ins, err = river.NewClient(riverpgxv5.New(db.Pool), &river.Config{})
	must(t, err)
	bn.office = &workflow.Department{Code: "dcs", Name: "武汉市人民政府办公厅督查室", LiaisonOffice: true}
	bn.unit = &workflow.Department{Code: "scjg", Name: "武汉市市场监督管理局"}
	for _, d := range []*workflow.Department{bn.office, bn.unit} {
		must(t, db.CreateDepartment(ctx, d))
	}
	l := bn.user(t, bn.office.ID, "李红梅", "", workflow.RoleLiaison)
	bn.liaison = workflow.Actor{UserID: l.ID, DepartmentID: l.DepartmentID, Roles: l.Roles}
	session := &workflow.CongressSession{Name: "武汉市第十五届人民代表大会第三次会议", ShortName: "市十五届人大三次会议",
		OpenedOn: workflow.DateOf(time.Now().AddDate(0, -1, 0))}
	must(t, db.CreateSession(ctx, session))
	dep := &workflow.Deputy{Name: "陈代表"}
	must(t, db.CreateDeputy(ctx, dep))
	p := &workflow.Proposal{SessionID: session.ID, Number: "20240294", Title: "关于加快推进科技成果转化的建议",
		SubmittedOn: session.OpenedOn, DeputyIDs: []int64{dep.ID}}
	must(t, db.CreateProposal(ctx, p))
	c, err := db.Assign(ctx, storage.AssignCmd{ProposalID: p.ID, DepartmentID: bn.unit.ID, Kind: workflow.KindLead, Actor: bn.liaison})
	must(t, err)
	bn.caseID = c.ID
	return bn
}

func (bn *bundle) user(t *testing.T, dept int64, name, email string, roles ...workflow.Role) *workflow.User {
	t.Helper()
	if len(roles) == 0 {
		roles = []workflow.Role{workflow.RoleDrafter}
	}
	u := &workflow.User{DepartmentID: dept, Name: name, Email: email, Roles: roles}
	must(t, bn.db.CreateUser(bn.ctx, u))
	return u
}

// enqueue runs notify.Enqueue in a transaction of its own and commits.
func (bn *bundle) enqueue(t *testing.T, ins notify.Inserter, m notify.Message) (int, error) {
	t.Helper()
	tx, err := bn.db.Pool.Begin(bn.ctx)
	must(t, err)
	defer tx.Rollback(bn.ctx)
	n, err := notify.Enqueue(bn.ctx, tx, ins, m)
	if err != nil {
		return n, err
	}
	return n, tx.Commit(bn.ctx)
}

// deliveryRow is a row of deliveries, as tests check it.
type deliveryRow struct {
	ID        int64
	Channel   string
	Target    string
	State     string
	Attempts  int
	LastError string
	Sent      bool
}

func (bn *bundle) deliveries(t *testing.T) []deliveryRow {
	t.Helper()
	rows, err := bn.db.Pool.Query(bn.ctx, `SELECT id, channel, target, state, attempts, last_error, sent_at IS NOT NULL
		FROM deliveries ORDER BY id`)
	must(t, err)
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[deliveryRow])
	must(t, err)
	return out
}

// jobs counts River's jobs of a kind.
func (bn *bundle) jobs(t *testing.T, kind string) int {
	t.Helper()
	var n int
	must(t, bn.db.Pool.QueryRow(bn.ctx, `SELECT count(*) FROM river_job WHERE kind = $1`, kind).Scan(&n))
	return n
}

// robot is a local HTTP server standing in for a group robot's endpoint:
// it records each post and answers with answer.
type robot struct {
	*httptest.Server
	mu     sync.Mutex
	posts  []post
	status int
	answer string
}

type post struct {
	Query url.Values
	Body  []byte
	Type  string
}

func newRobot(t *testing.T) *robot {
	t.Helper()
	r := &robot{status: http.StatusOK, answer: `{"errcode":0,"errmsg":"ok"}`}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if req.Method != http.MethodPost {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		r.posts = append(r.posts, post{Query: req.URL.Query(), Body: body, Type: req.Header.Get("Content-Type")})
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(r.status)
		_, _ = io.WriteString(w, r.answer)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *robot) answerWith(status int, answer string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status, r.answer = status, answer
}

func (r *robot) received() []post {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]post(nil), r.posts...)
}

// job is a River job of a delivery as a worker gets it, at that attempt.
func emailJob(id int64, attempt int) *river.Job[notify.EmailArgs] {
	return &river.Job[notify.EmailArgs]{JobRow: &rivertype.JobRow{ID: id, Attempt: attempt, MaxAttempts: notify.MaxAttempts},
		Args: notify.EmailArgs{DeliveryID: id}}
}

func webhookJob(id int64, attempt int) *river.Job[notify.WebhookArgs] {
	return &river.Job[notify.WebhookArgs]{JobRow: &rivertype.JobRow{ID: id, Attempt: attempt, MaxAttempts: notify.MaxAttempts},
		Args: notify.WebhookArgs{DeliveryID: id}}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// isCancel reports whether err cancels its River job (no retry).
func isCancel(err error) bool {
	var ce *river.JobCancelError
	return errors.As(err, &ce)
}

// syncBuffer collects log output from the workers' goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  []byte
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b = append(s.b, p...)
	return len(p), nil
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return string(s.b)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
