// Package demo loads banli's demonstration data: the session
// 武汉市第十五届人民代表大会第三次会议 with proposal No. 20240294 walked
// through the whole workflow to its publication on 2024-09-30 18:35, the
// current session with dozens of proposals in every state over several units,
// and users for every role. Deputies and staff are fictitious; the reply to
// No. 20240294 is the text the Wuhan Market Supervision Bureau published.
// Its steps are a backfill of history: they notify no one (hand-offs start
// with the first step taken in the running system).
package demo

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

//go:embed reply-20240294.txt
var reply20240294 string

// Session names of the demo.
const (
	SessionName       = "武汉市第十五届人民代表大会第三次会议"
	SessionShort      = "市十五届人大三次会议"
	FixtureNumber     = "20240294"
	FixtureDepartment = "武汉市市场监督管理局"
	currentName       = "武汉市第十五届人民代表大会第五次会议"
	currentShort      = "市十五届人大五次会议"
)

// FixtureSections is the reply to No. 20240294 as sections: a line such as
// 一、工作开展情况 opens a section; the paragraphs under it are its body,
// separated by blank lines.
func FixtureSections() []workflow.Section {
	return ParseSections(reply20240294)
}

// ParseSections splits a reply text into sections at headings of the form
// 一、… (a Chinese numeral followed by 、).
func ParseSections(text string) []workflow.Section {
	var out []workflow.Section
	var paras []string
	flush := func() {
		if len(out) > 0 {
			out[len(out)-1].Body = strings.Join(paras, "\n\n")
		}
		paras = nil
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case isHeading(line):
			flush()
			out = append(out, workflow.Section{Heading: line})
		default:
			if len(out) == 0 {
				out = append(out, workflow.Section{})
			}
			paras = append(paras, line)
		}
	}
	flush()
	return out
}

func isHeading(line string) bool {
	for _, n := range []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"} {
		if strings.HasPrefix(line, n+"、") && len([]rune(line)) < 40 {
			return true
		}
	}
	return false
}

// Loaded reports whether the demo is fully loaded. A session without the
// published reply to No. 20240294 means an earlier load broke off: that is
// an error, since loading again would duplicate the session.
func Loaded(ctx context.Context, db *storage.DB) (bool, error) {
	_, err := db.SessionByShortName(ctx, SessionShort)
	if workflow.Code(err) == workflow.ErrNotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if _, err := db.PublicationIDByNumber(ctx, SessionShort, FixtureNumber); err != nil {
		if workflow.Code(err) == workflow.ErrNotFound {
			return false, errors.New("the demo session exists but its load did not finish: start from an empty database (for banli dev, remove its data directory)")
		}
		return false, err
	}
	return true, nil
}

// Options tunes Load.
type Options struct {
	// Now anchors the current session's dates; zero means now on db.Clock.
	Now time.Time
	// Issuer, when set, gives every demo user the OpenID identity (Issuer,
	// login name): banli dev's provider logs them in as themselves.
	Issuer string
	Logger *slog.Logger
}

// Load loads the demo unless it is already loaded; it reports whether it
// loaded now.
func Load(ctx context.Context, db *storage.DB, opts Options) (bool, error) {
	done, err := Loaded(ctx, db)
	if err != nil || done {
		return false, err
	}
	if opts.Now.IsZero() {
		opts.Now = db.Clock.Now()
	}
	l := &loader{db: db, log: opts.Logger, now: opts.Now, issuer: opts.Issuer, users: map[string]workflow.Actor{}, depts: map[string]int64{}}
	if err := l.load(ctx); err != nil {
		return false, fmt.Errorf("error loading demo: %w", err)
	}
	return true, nil
}

type loader struct {
	db     *storage.DB
	issuer string
	log    *slog.Logger
	now    time.Time
	users  map[string]workflow.Actor // by login name, e.g. "scjg.drafter"
	depts  map[string]int64          // by code
	count  map[workflow.State]int
	cal    *workflow.Calendar // work is dated on working days only
}

// Unit is a demo department.
type Unit struct {
	Code, Name, Short string
	Liaison           bool
}

// Units are the demo's departments: the units the fixture mentions, three
// more, and the liaison office.
var Units = []Unit{
	{"scjg", "武汉市市场监督管理局", "市市场监管局", false},
	{"kcj", "武汉市科技创新局", "市科创局", false},
	{"zy", "武汉市中级人民法院", "市中院", false},
	{"jyj", "武汉市教育局", "市教育局", false},
	{"jtj", "武汉市交通运输局", "市交通运输局", false},
	{"sthj", "武汉市生态环境局", "市生态环境局", false},
	{"dcs", "武汉市人民政府办公厅督查室", "市政府督查室", true},
}

// Person is a demo user: login name, display name, unit code, roles.
type Person struct {
	Login, Name, Unit string
	Roles             []workflow.Role
}

// People are the demo users: drafter, reviewer and approver in every unit,
// two liaison officers and an administrator.
func People() []Person {
	names := map[string][3]string{
		"scjg": {"王晓燕", "陈志强", "刘建国"},
		"kcj":  {"赵丽娟", "孙海涛", "周永红"},
		"zy":   {"吴静", "郑文斌", "冯立新"},
		"jyj":  {"黄敏", "何俊", "林国平"},
		"jtj":  {"徐婷", "马骏", "朱卫东"},
		"sthj": {"胡雪梅", "高翔", "罗振华"},
	}
	var out []Person
	for _, u := range Units {
		if u.Liaison {
			continue
		}
		n := names[u.Code]
		out = append(out,
			Person{u.Code + ".drafter", n[0], u.Code, []workflow.Role{workflow.RoleDrafter}},
			Person{u.Code + ".reviewer", n[1], u.Code, []workflow.Role{workflow.RoleReviewer}},
			Person{u.Code + ".approver", n[2], u.Code, []workflow.Role{workflow.RoleApprover}},
		)
	}
	return append(out,
		Person{"dcs.liaison", "李红梅", "dcs", []workflow.Role{workflow.RoleLiaison}},
		Person{"dcs.liaison2", "张伟", "dcs", []workflow.Role{workflow.RoleLiaison}},
		Person{"admin", "系统管理员", "dcs", []workflow.Role{workflow.RoleAdmin}},
	)
}

var shanghai = workflow.Zone()

// at is a time in Asia/Shanghai.
func at(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, shanghai)
}

// The record of the past session: the 3rd session of the 15th Wuhan
// People's Congress met from 2024-01-18 to 2024-01-21; its suggestions were
// assigned together at the 交办 meeting (pastAssigned), 20240294 with them.
var (
	pastOpened   = workflow.Date{Year: 2024, Month: 1, Day: 18}
	pastAssigned = at(2024, 3, 7, 10, 0)
)

// Current session: its suggestions were assigned together at a 交办 meeting
// currentBatchDays before now, six weeks after the session closed; a
// proposal assigned later is one a deputy submitted between sessions
// (闭会期间建议), a fortnight before its assignment.
const (
	currentBatchDays = 140
	sessionDays      = 4
	meetingAfter     = 42 // days from the session's close to the 交办 meeting
	recessLead       = 14 // days from a recess suggestion to its assignment
)

// currentMeeting is the current session's 交办 meeting, at 10:00.
func (l *loader) currentMeeting() time.Time {
	t := l.now.In(shanghai).AddDate(0, 0, -currentBatchDays)
	return l.workday(time.Date(t.Year(), t.Month(), t.Day(), 10, 0, 0, 0, shanghai))
}

// currentOpened is the day the current session opened: sessionDays long,
// closing meetingAfter days before the 交办 meeting.
func (l *loader) currentOpened() workflow.Date {
	return workflow.DateOf(l.currentMeeting()).AddDays(-meetingAfter - (sessionDays - 1))
}

// workday returns t if its day is a working day, else the same time on the
// next working day: demo work is never dated on a weekend or holiday that
// is not a make-up working day.
func (l *loader) workday(t time.Time) time.Time {
	t = t.In(shanghai)
	d, err := l.cal.NextWorkday(workflow.DateOf(t))
	if err != nil {
		return t
	}
	return time.Date(d.Year, d.Month, d.Day, t.Hour(), t.Minute(), 0, 0, shanghai)
}

// workdayBefore returns t if its day is a working day, else the same time on
// the last working day before it.
func (l *loader) workdayBefore(t time.Time) time.Time {
	t = t.In(shanghai)
	for range 30 {
		ok, _, err := l.cal.Workday(workflow.DateOf(t))
		if err != nil || ok {
			return t
		}
		t = t.AddDate(0, 0, -1)
	}
	return t
}

func (l *loader) load(ctx context.Context) error {
	for _, u := range Units {
		d := &workflow.Department{Code: u.Code, Name: u.Name, ShortName: u.Short, LiaisonOffice: u.Liaison}
		if err := l.db.CreateDepartment(ctx, d); err != nil {
			return err
		}
		l.depts[u.Code] = d.ID
	}
	for _, p := range People() {
		u := &workflow.User{DepartmentID: l.depts[p.Unit], Name: p.Name, Email: p.Login + "@banli.example", Roles: p.Roles}
		if l.issuer != "" {
			u.Issuer, u.Subject = l.issuer, p.Login
		}
		if err := l.db.CreateUser(ctx, u); err != nil {
			return err
		}
		l.users[p.Login] = workflow.Actor{UserID: u.ID, DepartmentID: u.DepartmentID, Roles: u.Roles}
	}
	cal, err := l.db.Calendar(ctx)
	if err != nil {
		return err
	}
	l.cal = cal
	past := &workflow.CongressSession{Name: SessionName, ShortName: SessionShort, OpenedOn: pastOpened}
	if err := l.db.CreateSession(ctx, past); err != nil {
		return err
	}
	cur := &workflow.CongressSession{Name: currentName, ShortName: currentShort, OpenedOn: l.currentOpened()}
	if err := l.db.CreateSession(ctx, cur); err != nil {
		return err
	}
	l.count = map[workflow.State]int{}
	if err := l.loadOthers(ctx, past, cur); err != nil {
		return err
	}
	if err := l.loadKeyMerge(ctx, cur); err != nil {
		return err
	}
	// The fixture goes last: its publication marks the load as complete.
	if err := l.loadFixture(ctx, past); err != nil {
		return err
	}
	if l.log != nil {
		l.log.Info("demo loaded", "departments", len(Units), "users", len(People()), "cases_by_state", fmt.Sprint(l.count))
	}
	return nil
}

// SharedFixtureParagraphs reads the reply's headings and paragraphs from
// the shared fixture file at path (the published page as scraped): the
// first copy of the article, from 一、工作开展情况 to the site chrome
// 扫码查看手机版. Tests hold the demo's copy and the pages against it.
func SharedFixtureParagraphs(path string) ([]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("the shared fixture must sit beside the checkout: %w", err)
	}
	text := string(raw)
	start := strings.Index(text, "一、工作开展情况")
	end := strings.Index(text, "扫码查看手机版")
	if start < 0 || end < start {
		return nil, fmt.Errorf("%s: the fixture's layout changed", path)
	}
	var out []string
	for _, line := range strings.Split(text[start:end], "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out, nil
}
