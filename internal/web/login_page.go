package web

import (
	"net/http"
	"net/url"
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
	// The layout shows a user already logged in, with the logout form. Its
	// language switch comes back with the checked next only.
	page := s.page(w, r, "登录", data)
	page.URL = "/login"
	if next != "/" {
		page.URL += "?next=" + url.QueryEscape(next)
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "login", page)
}
