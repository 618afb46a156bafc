package web

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/workflow"
)

// svDepartmentForm is the form that adds a department, as typed.
type svDepartmentForm struct {
	Code, Name, ShortName string
	LiaisonOffice         bool
}

// svAdminDepartments is the data of the view "admin_departments".
type svAdminDepartments struct {
	Departments []*workflow.Department
	Form        svDepartmentForm
	Errors      fieldErrors
}

// Limits of a department's fields.
const (
	svMaxCode     = 32
	svMaxDeptName = 100
)

// svCodePattern is what a department code may hold (the schema's check).
var svCodePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// adminDepartments shows GET /admin/departments (admin only): the
// departments (units and the liaison office) and the form that adds one.
func (s *server) adminDepartments(w http.ResponseWriter, r *http.Request) {
	s.renderDepartments(w, r, http.StatusOK, svDepartmentForm{}, nil)
}

func (s *server) renderDepartments(w http.ResponseWriter, r *http.Request, status int, f svDepartmentForm, errs fieldErrors) {
	depts, err := s.db.Departments(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	d := &svAdminDepartments{Departments: depts, Form: f, Errors: errs}
	s.render(w, r, status, "admin_departments", s.page(w, r, message(r, "adm.departments.title"), d))
}

// adminDepartmentCreate answers POST /admin/departments (admin only): it
// adds a unit, or the liaison office, and comes back to the list (303). A
// refused form comes back with each error beside its field.
func (s *server) adminDepartmentCreate(w http.ResponseWriter, r *http.Request) {
	f := readForm(r)
	var form svDepartmentForm
	form.Code = f.Text(field{Name: "code", ID: "department-code", Label: "adm.departments.code"}, maxField, true)
	if form.Code != "" && (len(form.Code) > svMaxCode || !svCodePattern.MatchString(form.Code)) {
		f.Add("department-code", message(r, "adm.departments.err.codeFormat", svMaxCode))
	}
	form.Name = f.Text(field{Name: "name", ID: "department-name", Label: "adm.departments.name"}, svMaxDeptName, true)
	form.ShortName = f.Text(field{Name: "short_name", ID: "department-short", Label: "adm.departments.short"}, svMaxDeptName, false)
	form.LiaisonOffice = f.Has("liaison_office")
	if !f.OK() {
		s.renderDepartments(w, r, http.StatusUnprocessableEntity, form, f.Errors)
		return
	}
	d := &workflow.Department{Code: form.Code, Name: form.Name, ShortName: form.ShortName, LiaisonOffice: form.LiaisonOffice}
	pr, _ := auth.PrincipalFrom(r.Context())
	if err := s.db.CreateDepartmentAs(r.Context(), workflow.AdminUser(pr.User), d); err != nil {
		if workflow.Code(err) != workflow.ErrConflict {
			s.writeError(w, r, err)
			return
		}
		if strings.Contains(workflow.Message(err), "departments_code_key") {
			f.Add("department-code", message(r, "adm.departments.err.codeTaken", form.Code))
		} else {
			f.Add("department-name", message(r, "adm.departments.err.nameTaken", form.Name))
		}
		s.renderDepartments(w, r, http.StatusConflict, form, f.Errors)
		return
	}
	s.redirect(w, r, "/admin/departments", flashDeptAdded)
}
