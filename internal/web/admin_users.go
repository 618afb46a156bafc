package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// Statuses of a user on the users' page.
const (
	svUserActive   = "active"
	svUserAwaiting = "awaiting" // logged in, no role yet (awaiting role)
	svUserDisabled = "disabled"
)

// svUserRow is a user's line on the users' page.
type svUserRow struct {
	User           *workflow.User
	Department     string // the unit's name, "" when none
	DepartmentCode string
	Status         string
	// Grantable are the roles the user does not hold yet and may be
	// granted (the admin role stays alone: workflow.CheckRoles).
	Grantable []workflow.Role
	// Self marks the administrator looking at the page, who changes
	// nothing of their own account (workflow.CheckUserChange).
	Self bool
	// Open keeps the row's forms open: its form was just refused.
	Open bool
}

// svAdminUsers is the data of the view "admin_users".
type svAdminUsers struct {
	Users       []svUserRow
	Departments []*workflow.Department
}

// svGrantable are the roles an administrator grants (a deputy is no user).
func svGrantable() []workflow.Role {
	return []workflow.Role{workflow.RoleDrafter, workflow.RoleReviewer, workflow.RoleApprover, workflow.RoleLiaison, workflow.RoleAdmin}
}

// adminUsers shows GET /admin/users (admin only): every user with their
// unit, roles and status (active, awaiting role, disabled), and for each
// the forms that grant or revoke a role, set the unit, disable or enable.
func (s *server) adminUsers(w http.ResponseWriter, r *http.Request) {
	s.renderUsers(w, r, http.StatusOK, nil, 0)
}

// renderUsers answers with the users' page; flash, when set, says why the
// form of user failed (whose row stays open).
func (s *server) renderUsers(w http.ResponseWriter, r *http.Request, status int, flash *ui.Flash, failed int64) {
	ctx := r.Context()
	users, err := s.db.Users(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	depts, err := s.db.Departments(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	names := map[int64]*workflow.Department{}
	for _, d := range depts {
		names[d.ID] = d
	}
	pr, _ := auth.PrincipalFrom(ctx)
	d := &svAdminUsers{Departments: depts}
	for _, u := range users {
		row := svUserRow{User: u, Status: svUserActive, Self: u.ID == pr.User.ID, Open: u.ID == failed}
		if dep := names[u.DepartmentID]; dep != nil {
			row.Department, row.DepartmentCode = dep.Name, dep.Code
		}
		switch {
		case u.Disabled:
			row.Status = svUserDisabled
		case len(u.Roles) == 0:
			row.Status = svUserAwaiting
		}
		for _, role := range svGrantable() {
			if !slices.Contains(u.Roles, role) && workflow.CheckRoles(append(slices.Clone(u.Roles), role)) == nil {
				row.Grantable = append(row.Grantable, role)
			}
		}
		d.Users = append(d.Users, row)
	}
	p := s.page(w, r, message(r, "adm.users.title"), d)
	if flash != nil {
		p.Flash = flash
	}
	s.render(w, r, status, "admin_users", p)
}

// svUserChange is one change a form of the users' page makes to user u as
// the administrator by, reading the form f, returning the flash of its
// success; its refusals are domain errors whose message names the field or
// the rule.
type svUserChange func(ctx context.Context, f *form, u *workflow.User, by workflow.AdminActor) (flash string, err error)

// adminUserChange answers a POST of a form of the users' page: it reads the
// user of the path, makes the change and comes back to the list (303, to
// the user's row); a refused change shows the list again with the error.
func (s *server) adminUserChange(w http.ResponseWriter, r *http.Request, change svUserChange) {
	ctx := r.Context()
	u, err := s.userOf(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	pr, _ := auth.PrincipalFrom(ctx)
	flash, err := change(ctx, readForm(r), u, workflow.AdminUser(pr.User))
	if err != nil {
		s.refuse(w, r, err, func(status int) {
			s.renderUsers(w, r, status, &ui.Flash{Kind: ui.FlashError, Message: message(r, "adm.users.refused", u.Name, admRefusal(r, err))}, u.ID)
		})
		return
	}
	s.redirect(w, r, fmt.Sprintf("/admin/users#user-%d", u.ID), flash)
}

// svFormRole reads the role field of a users' form.
func svFormRole(f *form) (workflow.Role, error) {
	role := workflow.Role(f.Value("role"))
	if !slices.Contains(svGrantable(), role) {
		return "", workflow.Errorf(workflow.ErrInvalid, "%s", message(f.r, "adm.users.err.role", string(role)))
	}
	return role, nil
}

// admRuleKeys are the catalogue's words for the rules of administration
// (workflow.CheckUserChange), so that a refusal reads in the page's
// language.
var admRuleKeys = map[string]string{
	workflow.RuleAdminOnly:     "adm.rule.adminOnly",
	workflow.RuleNoSelfChange:  "adm.rule.noSelfChange",
	workflow.RuleNoSelfDisable: "adm.rule.noSelfDisable",
	workflow.RuleAdminAlone:    "adm.rule.adminAlone",
}

// admRefusal is what a page says of a refused administrative change: the
// rule in the page's language, or the error's own message.
func admRefusal(r *http.Request, err error) string {
	var de *workflow.Error
	if errors.As(err, &de) {
		if key, ok := admRuleKeys[de.Guard]; ok {
			return message(r, key)
		}
	}
	return workflow.Message(err)
}
