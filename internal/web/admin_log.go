package web

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// admLogPerPage is how many records a page of the administration log shows.
const admLogPerPage = 50

// admLogLine is a record of the administration log as a page shows it: a
// sentence, and the kind of change (for the page's styles and tests).
type admLogLine struct {
	Change workflow.AdminChange
	Text   template.HTML
}

// svAdminLog is the data of the view "admin_log".
type svAdminLog struct {
	Lines []admLogLine
	Total int
	Pager ui.Pager
}

// adminLog shows GET /admin/log (admin only): the administration log
// (管理日志), newest first, paged — every grant, revocation, move,
// disabling and enabling of a user and every new department, in words.
func (s *server) adminLog(w http.ResponseWriter, r *http.Request) {
	lines, total, pager, ok := s.admLogPage(w, r, 0)
	if !ok {
		return
	}
	d := &svAdminLog{Lines: lines, Total: total, Pager: pager}
	s.render(w, r, http.StatusOK, "admin_log", s.page(w, r, message(r, "adm.log.title"), d))
}

// admLogPage reads the page of the query's page parameter of the
// administration log, of one user when userID is not 0; on a bad request
// it answers it and returns false.
func (s *server) admLogPage(w http.ResponseWriter, r *http.Request, userID int64) ([]admLogLine, int, ui.Pager, bool) {
	page := 1
	if v := r.URL.Query().Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100000 {
			s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "%s", message(r, "sv.err.param", "page", v)))
			return nil, 0, ui.Pager{}, false
		}
		page = n
	}
	events, total, err := s.db.AdminEvents(r.Context(), storage.AdminEventQuery{UserID: userID, Limit: admLogPerPage, Offset: (page - 1) * admLogPerPage})
	if err != nil {
		s.writeError(w, r, err)
		return nil, 0, ui.Pager{}, false
	}
	lang := ui.LangOf(r)
	lines := make([]admLogLine, len(events))
	for i, e := range events {
		lines[i] = admLogLine{Change: e.Change, Text: admEventText(lang, e)}
	}
	pager := ui.NewPager(page, admLogPerPage, total, func(n int) string {
		u := *r.URL
		v := u.Query()
		v.Set("page", strconv.Itoa(n))
		u.RawQuery = v.Encode()
		return u.RequestURI()
	})
	return lines, total, pager, true
}

// admEventText says a record of the administration log in words, e.g.
// "系统管理员 王某 于 2026-12-02 14:03 授予 张三 签发人（武汉市市场监督管理局）":
// who, when, what, to whom — names only, never an id.
func admEventText(lang string, e *workflow.AdminEvent) template.HTML {
	msg := func(key string, args ...any) template.HTML { return ui.MessageHTML(lang, key, args...) }
	var who template.HTML
	switch e.Actor.Kind {
	case workflow.AdminByUser:
		who = msg("adm.log.by.user", ui.Zh(e.Actor.Name))
	case workflow.AdminByCLI:
		who = msg("adm.log.by.cli", ui.Zh(e.Actor.Name))
	case workflow.AdminByLogin:
		who = msg("adm.log.by.login")
	default:
		who = msg("adm.log.by.system")
	}
	when := ui.FormatDateTime(e.At)
	user, dept, prev := ui.Zh(e.UserName), ui.Zh(e.Department), ui.Zh(e.PreviousDepartment)
	var role template.HTML
	if e.Role != "" {
		role = template.HTML(template.HTMLEscapeString(ui.Label(lang, e.Role)))
		if e.Department != "" {
			role = msg("adm.log.inDept", role, dept)
		}
	}
	switch e.Change {
	case workflow.ChangeUserCreate:
		name := user
		if e.Department != "" {
			name = msg("adm.log.inDept", name, dept)
		}
		return msg("adm.log.user_create", who, when, name)
	case workflow.ChangeRoleGrant:
		return msg("adm.log.role_grant", who, when, user, role)
	case workflow.ChangeRoleRevoke:
		return msg("adm.log.role_revoke", who, when, user, role)
	case workflow.ChangeUserDepartment:
		if e.PreviousDepartment == "" {
			return msg("adm.log.user_department_first", who, when, user, dept)
		}
		return msg("adm.log.user_department", who, when, user, dept, prev)
	case workflow.ChangeUserDisable:
		return msg("adm.log.user_disable", who, when, user)
	case workflow.ChangeUserEnable:
		return msg("adm.log.user_enable", who, when, user)
	case workflow.ChangeDepartmentCreate:
		return msg("adm.log.department_create", who, when, dept)
	case workflow.ChangeSupervisorLabel:
		return msg("adm.log.supervisor_label", who, when, ui.Zh(e.Value), ui.Zh(e.PreviousValue))
	case workflow.ChangePrincipalSet:
		return msg("adm.log.principal_set", who, when, user)
	case workflow.ChangePrincipalUnset:
		return msg("adm.log.principal_unset", who, when, user)
	case workflow.ChangeSessionLetter:
		return msg("adm.log.session_letter", who, when, ui.Zh(e.Session))
	}
	return msg("adm.log.other", who, when)
}
