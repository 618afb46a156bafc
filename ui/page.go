package ui

import (
	"net/http"
	"slices"
	"strings"

	"github.com/banli-gov/banli/workflow"
)

// Page is what every view is executed with: the fields the layout needs and
// the view's own Data. Handlers fill what they know (the web package's
// page helper fills the logged-in user's fields); Render fills Lang, URL and
// Nav when they are empty.
type Page struct {
	// Title is the page's title: in <title> (before the application's name)
	// and, by convention, the view's <h1>.
	Title string
	// User is the logged-in user; nil on public pages, which then show a
	// login link instead of the user and the logout form.
	User *workflow.User
	// Roles are the user's roles; they choose the navigation links.
	Roles []workflow.Role
	// Department is the name of the user's unit, shown beside their name.
	Department string
	// CSRFToken is the session's CSRF token, which every form that POSTs
	// carries in the field csrf_token (the layout's logout form does).
	CSRFToken string
	// Lang is the page's language, LangZH or LangEN: the <html lang>, and
	// the language of the template function t. Render sets it from the
	// request (LangOf) when empty.
	Lang string
	// URL is the path and query of the page, which the language switch comes
	// back to. Render sets it from the request when empty.
	URL string
	// Nav are the navigation links. Render sets them with NavFor when nil.
	Nav []NavItem
	// Unread is the user's unread-inbox count (站内通知), shown in the
	// header when positive.
	Unread int
	// Queue is the number of cases waiting for the user (待我办理), shown
	// in the navigation beside its link when positive.
	Queue int
	// Flash is a one-time message shown above the content, or nil.
	Flash *Flash
	// Session is when the user's login ends, for the script's warning a
	// few minutes before; nil without a browser session.
	Session *SessionTimes
	// Supervisor is the name the supervising role goes by in this
	// deployment (workflow.DefaultSupervisorLabel, 督办人员, when empty):
	// a Chinese page says it wherever its own words name the role
	// (supervisorWords).
	Supervisor string
	// Data is the view's own data: .Data in its templates.
	Data any
}

// SessionTimes are the ends of a login session as the page is served:
// IdleSeconds after the last request (each request of the page's script
// counts), and AbsoluteSeconds from now at the latest.
type SessionTimes struct {
	IdleSeconds     int
	AbsoluteSeconds int
}

// NavItem is a link of the navigation.
type NavItem struct {
	// Label is a key of the message catalogue, e.g. "nav.workbench".
	Label string
	// Href is the link's target, a path of banli.
	Href string
	// Current marks the link of the page being shown (aria-current="page").
	Current bool
}

// Flash is a one-time message about what the last action did.
type Flash struct {
	// Kind is FlashOK, FlashInfo or FlashError: its colour and icon.
	Kind string
	// Message is the text shown.
	Message string
}

// Kinds of Flash.
const (
	// FlashOK says an action succeeded.
	FlashOK = "ok"
	// FlashInfo tells something neutral.
	FlashInfo = "info"
	// FlashError says an action failed and why.
	FlashError = "error"
)

// Languages of the pages.
const (
	// LangZH is Simplified Chinese, the default.
	LangZH = "zh-CN"
	// LangEN is English.
	LangEN = "en"
)

// LangCookie is the cookie that keeps a browser's choice of language
// (GET /lang?to=en&next=… sets it).
const LangCookie = "banli_lang"

// Langs lists the page languages, the default first.
func Langs() []string { return []string{LangZH, LangEN} }

// normalizeLang returns lang when it is a page language, and LangZH
// otherwise.
func normalizeLang(lang string) string {
	if slices.Contains(Langs(), lang) {
		return lang
	}
	return LangZH
}

// ParseLang returns the page language named by s ("en", "zh-CN", "zh"; any
// case), and false for anything else.
func ParseLang(s string) (string, bool) {
	switch strings.ToLower(s) {
	case "en":
		return LangEN, true
	case "zh-cn", "zh", "zh-hans":
		return LangZH, true
	}
	return "", false
}

// LangOf returns the language of r's page: that of the banli_lang cookie,
// else LangZH.
func LangOf(r *http.Request) string {
	if c, err := r.Cookie(LangCookie); err == nil {
		if lang, ok := ParseLang(c.Value); ok {
			return lang
		}
	}
	return LangZH
}

// NavFor returns the navigation of a user with roles (loggedIn false: a
// visitor of the public portal) on the page at path: 工作台 for every
// logged-in user, 督办 for liaisons, 管理 for admins, and 公开答复 for
// everyone.
func NavFor(loggedIn bool, roles []workflow.Role, path string) []NavItem {
	var nav []NavItem
	if loggedIn {
		nav = append(nav, NavItem{Label: "nav.workbench", Href: "/"})
		if slices.Contains(roles, workflow.RoleLiaison) {
			nav = append(nav, NavItem{Label: "nav.supervision", Href: "/supervision"})
		}
		if slices.Contains(roles, workflow.RoleAdmin) {
			nav = append(nav, NavItem{Label: "nav.admin", Href: "/admin"})
		}
	}
	nav = append(nav, NavItem{Label: "nav.public", Href: "/public"})
	for i := range nav {
		h := nav[i].Href
		nav[i].Current = path == h || (h != "/" && strings.HasPrefix(path, h+"/"))
	}
	return nav
}

// fill sets what Render knows of the page from the request.
func (p *Page) fill(r *http.Request) {
	if p.Lang == "" {
		p.Lang = LangOf(r)
	}
	p.Lang = normalizeLang(p.Lang)
	if p.URL == "" {
		p.URL = r.URL.RequestURI()
	}
	if p.Roles == nil && p.User != nil {
		p.Roles = p.User.Roles
	}
	if p.Nav == nil {
		p.Nav = NavFor(p.User != nil, p.Roles, r.URL.Path)
	}
}
