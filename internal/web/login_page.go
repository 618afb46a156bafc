package web

import (
	"html/template"
	"net/http"
	"net/url"

	"github.com/banli-gov/banli/internal/auth"
)

// loginPage shows GET /login: every configured identity provider with the
// departments that log in through it, each a link that starts its login
// (GET /login/{provider}) and comes back to ?next= afterwards.
func (s *server) loginPage(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	names := map[string]string{}
	if s.db != nil {
		depts, err := s.db.Departments(r.Context())
		if err != nil {
			// The page still works without the names.
			s.logger.WarnContext(r.Context(), "login page: cannot list departments", "err", err)
		}
		for _, d := range depts {
			names[d.Code] = d.Name
		}
	}
	type providerView struct {
		Label       string
		URL         string
		Departments []string
	}
	var data struct {
		Providers []providerView
		User      string
		CSRFToken string
	}
	for _, p := range s.providers.List() {
		v := providerView{Label: p.Config.Label, URL: "/login/" + url.PathEscape(p.Config.Name)}
		if next != "/" {
			v.URL += "?next=" + url.QueryEscape(next)
		}
		for _, code := range p.Config.Departments {
			if n, ok := names[code]; ok {
				v.Departments = append(v.Departments, n)
			} else {
				v.Departments = append(v.Departments, code)
			}
		}
		data.Providers = append(data.Providers, v)
	}
	if p, ok := auth.PrincipalFrom(r.Context()); ok && !p.Bearer {
		data.User = p.User.Name
		data.CSRFToken = auth.CSRFToken(r.Context())
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := loginTemplate.Execute(w, data); err != nil {
		s.logger.ErrorContext(r.Context(), "login page", "err", err)
	}
}

// loginTemplate is the login page: plain HTML, no script, zh-CN first.
var loginTemplate = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录 · banli</title></head>
<body><main>
<h1>登录 <small lang="en">Log in</small></h1>
{{if .User}}<p>当前已登录：{{.User}} <span lang="en">(logged in as {{.User}})</span></p>
<form method="post" action="/logout"><input type="hidden" name="csrf_token" value="{{.CSRFToken}}"><button type="submit">退出登录 <span lang="en">Log out</span></button></form>
{{end}}
{{if .Providers}}<p>请选择您所在单位的身份认证平台。<br><span lang="en">Choose the identity provider of your department.</span></p>
<ul>
{{range .Providers}}<li><a href="{{.URL}}">{{.Label}}</a>{{if .Departments}}<br><small>适用单位 <span lang="en">for</span>：{{range $i, $d := .Departments}}{{if $i}}、{{end}}{{$d}}{{end}}</small>{{end}}</li>
{{end}}</ul>
{{else}}<p>尚未配置身份认证平台，请联系系统管理员（BANLI_OIDC_PROVIDERS）。<br><span lang="en">No identity provider is configured: ask an administrator (BANLI_OIDC_PROVIDERS).</span></p>
{{end}}
</main></body></html>
`))

// loginErrorPage tells why a login failed, with a way back to the login
// page.
var loginErrorPage = template.Must(template.New("login-error").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{.Status}} {{.Title}} · banli</title></head>
<body><main><h1>登录失败 <small lang="en">Login failed</small></h1>
<p>{{.Detail}}</p>
<p><a href="/login">重新登录 <span lang="en">Log in again</span></a></p></main></body></html>
`))
