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
	Errors      svErrors
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

func (s *server) renderDepartments(w http.ResponseWriter, r *http.Request, status int, f svDepartmentForm, errs svErrors) {
	depts, err := s.db.Departments(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	d := &svAdminDepartments{Departments: depts, Form: f, Errors: errs}
	s.render(w, r, status, "admin_departments", s.page(w, r, svMsg(r, "adm.departments.title"), d))
}

// adminDepartmentCreate answers POST /admin/departments (admin only): it
// adds a unit, or the liaison office, and comes back to the list (303). A
// refused form comes back with each error beside its field.
func (s *server) adminDepartmentCreate(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, svMaxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "%s", svMsg(r, "sv.err.form")))
		return
	}
	f := svDepartmentForm{Code: svTrim(r, "code"), Name: svTrim(r, "name"), ShortName: svTrim(r, "short_name"),
		LiaisonOffice: r.PostFormValue("liaison_office") != ""}
	var errs svErrors
	switch {
	case f.Code == "":
		errs.add("department-code", svMsg(r, "adm.departments.err.codeRequired"))
	case len(f.Code) > svMaxCode || !svCodePattern.MatchString(f.Code):
		errs.add("department-code", svMsg(r, "adm.departments.err.codeFormat", svMaxCode))
	}
	switch {
	case f.Name == "":
		errs.add("department-name", svMsg(r, "adm.departments.err.nameRequired"))
	case svRunes(f.Name) > svMaxDeptName:
		errs.add("department-name", svMsg(r, "adm.err.tooLong", svMsg(r, "adm.departments.name"), svMaxDeptName))
	}
	if svRunes(f.ShortName) > svMaxDeptName {
		errs.add("department-short", svMsg(r, "adm.err.tooLong", svMsg(r, "adm.departments.short"), svMaxDeptName))
	}
	if len(errs) > 0 {
		s.renderDepartments(w, r, http.StatusUnprocessableEntity, f, errs)
		return
	}
	d := &workflow.Department{Code: f.Code, Name: f.Name, ShortName: f.ShortName, LiaisonOffice: f.LiaisonOffice}
	pr, _ := auth.PrincipalFrom(r.Context())
	if err := s.db.CreateDepartmentAs(r.Context(), workflow.AdminUser(pr.User), d); err != nil {
		if workflow.Code(err) != workflow.ErrConflict {
			s.writeError(w, r, err)
			return
		}
		if strings.Contains(workflow.Message(err), "departments_code_key") {
			errs.add("department-code", svMsg(r, "adm.departments.err.codeTaken", f.Code))
		} else {
			errs.add("department-name", svMsg(r, "adm.departments.err.nameTaken", f.Name))
		}
		s.renderDepartments(w, r, http.StatusConflict, f, errs)
		return
	}
	s.redirect(w, r, "/admin/departments", flashDeptAdded)
}
