package devoidc

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/zitadel/oidc/v3/pkg/op"
)

//go:embed login.html
var loginHTML string

// roleLabels are the Chinese names of banli's roles, as the login page shows them.
var roleLabels = map[string]string{
	"drafter":  "承办人",
	"reviewer": "审核人",
	"approver": "签发人",
	"liaison":  "督办人员",
	"admin":    "系统管理员",
}

// loginPage is the user list the authorization endpoint sends the browser to.
type loginPage struct {
	action   string // {issuer}/login
	store    *storage
	callback func(context.Context, string) string
	issuer   string
	logger   *slog.Logger
	tmpl     *template.Template
	units    []unitView // every user, by unit, in the order of Options.Users
}

type unitView struct {
	Code  string
	Name  string
	Users []userView
}

type userView struct {
	Subject string
	Name    string
	Roles   []roleView
}

type roleView struct {
	Code  string
	Label string
}

type pageData struct {
	Action        string
	AuthRequestID string
	ClientID      string
	Units         []unitView
	Error         string
}

func newLoginPage(issuer string, store *storage, callback func(context.Context, string) string, logger *slog.Logger) (*loginPage, error) {
	tmpl, err := template.New("login").Parse(loginHTML)
	if err != nil {
		return nil, fmt.Errorf("error parsing the login page: %w", err)
	}
	return &loginPage{
		action:   issuer + "/login",
		store:    store,
		callback: callback,
		issuer:   issuer,
		logger:   logger,
		tmpl:     tmpl,
		units:    groupUsers(store.users, store.order),
	}, nil
}

// groupUsers lists the users by unit, units and users in the order they were given.
func groupUsers(users map[string]*User, order []string) []unitView {
	var units []unitView
	index := map[string]int{}
	for _, subject := range order {
		u := users[subject]
		i, ok := index[u.Department]
		if !ok {
			name := u.DepartmentName
			if name == "" {
				name = u.Department
			}
			if name == "" {
				name = "未分配单位 / No unit"
			}
			i = len(units)
			index[u.Department] = i
			units = append(units, unitView{Code: u.Department, Name: name})
		}
		v := userView{Subject: u.Subject, Name: u.Name}
		if v.Name == "" {
			v.Name = u.Subject
		}
		for _, r := range u.Roles {
			label, ok := roleLabels[r]
			if !ok {
				label = r
			}
			v.Roles = append(v.Roles, roleView{Code: r, Label: label})
		}
		units[i].Users = append(units[i].Users, v)
	}
	return units
}

// show renders the user list for a pending auth request.
func (l *loginPage) show(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("authRequestID")
	a, err := l.store.pendingAuthRequest(id)
	if err != nil {
		l.render(w, http.StatusBadRequest, pageData{Error: "expired"})
		return
	}
	l.render(w, http.StatusOK, pageData{
		Action:        l.action,
		AuthRequestID: a.id,
		ClientID:      a.clientID,
		Units:         l.units,
	})
}

// choose logs in as the chosen user and hands the browser to zitadel's callback, which
// issues the code and redirects to the client. The auth request's ID is random and
// single-use, which is CSRF protection enough for a development tool.
func (l *loginPage) choose(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		l.render(w, http.StatusBadRequest, pageData{Error: "form"})
		return
	}
	id, subject := r.PostForm.Get("authRequestID"), r.PostForm.Get("user")
	a, err := l.store.login(id, subject)
	if err != nil {
		l.logger.InfoContext(r.Context(), "devoidc: login refused", "user", subject, "error", err)
		code := "expired"
		if errors.Is(err, errUnknownUser) {
			code = "user"
		}
		l.render(w, http.StatusBadRequest, pageData{Error: code})
		return
	}
	l.logger.InfoContext(r.Context(), "devoidc: logged in", "user", subject, "client_id", a.clientID)
	ctx := op.ContextWithIssuer(r.Context(), l.issuer)
	http.Redirect(w, r, l.callback(ctx, id), http.StatusSeeOther)
}

// loggedOut is where end_session goes when the client named no post-logout URI.
func (l *loginPage) loggedOut(w http.ResponseWriter, _ *http.Request) {
	l.render(w, http.StatusOK, pageData{Error: "logged-out"})
}

func (l *loginPage) render(w http.ResponseWriter, status int, data pageData) {
	var buf bytes.Buffer
	if err := l.tmpl.Execute(&buf, data); err != nil {
		l.logger.Error("devoidc: error rendering the login page", "error", err)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
