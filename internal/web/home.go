package web

import (
	"html/template"
	"net/http"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// home shows GET /: who is logged in, and the cases they may see counted by
// state. The workbench of the UI work replaces it.
func (s *server) home(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	var data struct {
		User       *workflow.User
		Department string
		Roles      []string
		States     []stateCount
		Total      int
		CSRFToken  string
	}
	data.User, data.CSRFToken = p.User, auth.CSRFToken(r.Context())
	if p.User.DepartmentID != 0 {
		d, err := s.db.Department(r.Context(), p.User.DepartmentID)
		if err != nil {
			writeError(w, r, s.logger, err)
			return
		}
		data.Department = d.Name
	}
	for _, role := range p.User.Roles {
		data.Roles = append(data.Roles, role.LabelZH())
	}
	cases, err := s.db.CasesVisibleTo(r.Context(), p.Actor, storage.CaseFilter{Limit: 5000})
	if err != nil {
		writeError(w, r, s.logger, err)
		return
	}
	counts := map[workflow.State]int{}
	for _, c := range cases {
		counts[c.State]++
	}
	for _, st := range workflow.CaseStates() {
		if counts[st] > 0 {
			data.States = append(data.States, stateCount{st.LabelZH(), string(st), counts[st]})
		}
	}
	data.Total = len(cases)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := homeTemplate.Execute(w, data); err != nil {
		s.logger.ErrorContext(r.Context(), "home page", "err", err)
	}
}

type stateCount struct {
	Label, State string
	N            int
}

var homeTemplate = template.Must(template.New("home").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>banli 办理</title></head>
<body><main>
<h1>人大代表建议办理 <small lang="en">banli</small></h1>
<p>{{.User.Name}}{{if .Department}}（{{.Department}}）{{end}}{{range .Roles}} · {{.}}{{end}}</p>
<form method="post" action="/logout"><input type="hidden" name="csrf_token" value="{{.CSRFToken}}"><button type="submit">退出登录 <span lang="en">Log out</span></button></form>
<h2>可见案件 <small lang="en">Cases you can see</small>：{{.Total}}</h2>
<table><thead><tr><th scope="col">状态 <span lang="en">State</span></th><th scope="col">件数 <span lang="en">Count</span></th></tr></thead>
<tbody>{{range .States}}<tr><td><a href="/api/cases?state={{.State}}">{{.Label}}</a></td><td>{{.N}}</td></tr>{{end}}</tbody></table>
</main></body></html>
`))
