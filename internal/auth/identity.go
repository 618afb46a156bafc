package auth

import (
	"fmt"
	"slices"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// Identity maps the claims of a verified ID token to the identity banli
// records (storage.UpsertOIDCUser), by the provider's configuration:
//
//   - name: the name claim, else preferred_username; email: the email claim.
//   - department: the DepartmentClaim, which must name one of the
//     provider's departments when it lists any (forbidden otherwise). A
//     provider of several departments must send it. FixedDepartmentID is
//     left to the caller, which knows the department's id.
//   - roles: the RolesClaim, when configured and present in the token (an
//     array of strings, or one string separated by spaces or commas). Values
//     that are not banli roles are ignored, and so is "deputy" (a deputy
//     never logs in) and "admin" unless the provider has AllowAdminClaim;
//     the ignored ones are logged. Without the claim, Roles is nil and the
//     roles an administrator granted stay.
func (p *Provider) Identity(idt *oidc.IDToken) (storage.OIDCIdentity, error) {
	id := storage.OIDCIdentity{Issuer: idt.Issuer, Subject: idt.Subject}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return id, unauthorized("ID 令牌无法解析 / the ID token cannot be read", err.Error())
	}
	id.Name = firstString(claims, "name", "preferred_username")
	id.Email = firstString(claims, "email")

	c := p.Config
	dept, err := p.department(claims)
	if err != nil {
		return id, err
	}
	id.DepartmentCode = dept
	if id.DepartmentCode == "" && len(c.Departments) > 1 {
		return id, workflow.Errorf(workflow.ErrForbidden,
			"ID 令牌未说明所属单位 (声明 %q) / the token names no department (claim %q)", c.DepartmentClaim, c.DepartmentClaim)
	}

	if c.RolesClaim != "" {
		if v, ok := claims[c.RolesClaim]; ok {
			roles, ignored := parseRoles(v, c.AllowAdminClaim)
			if len(ignored) > 0 {
				p.opts.Logger.Warn("roles claim: values ignored", "provider", c.Name, "subject", idt.Subject,
					"claim", c.RolesClaim, "ignored", ignored)
			}
			id.Roles = roles
		}
	}
	return id, nil
}

// TokenDepartment returns the department code that a verified token's
// department claim names, "" when the provider has no such claim or the
// token does not carry it; a department that the provider does not serve
// is forbidden. For Bearer tokens, whose user's department must agree.
func (p *Provider) TokenDepartment(idt *oidc.IDToken) (string, error) {
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return "", unauthorized("令牌无法解析 / the token cannot be read", err.Error())
	}
	return p.department(claims)
}

// Serves reports whether users of the department with that code may log in
// through the provider: one of its departments, or any when it lists none.
func (p *Provider) Serves(code string) bool {
	return len(p.Config.Departments) == 0 || slices.Contains(p.Config.Departments, code)
}

// department reads the department claim.
func (p *Provider) department(claims map[string]any) (string, error) {
	c := p.Config
	if c.DepartmentClaim == "" {
		return "", nil
	}
	v, ok := claims[c.DepartmentClaim]
	if !ok || v == nil {
		return "", nil
	}
	code, ok := v.(string)
	if !ok {
		return "", workflow.Errorf(workflow.ErrForbidden,
			"令牌的单位声明 %q 不是字符串 / the token's department claim %q is not a string", c.DepartmentClaim, c.DepartmentClaim)
	}
	code = strings.TrimSpace(code)
	if code != "" && !p.Serves(code) {
		return "", workflow.Errorf(workflow.ErrForbidden,
			"身份认证平台 %s 不服务于单位 %q / identity provider %s does not serve department %q",
			c.Label, code, c.Name, code)
	}
	return code, nil
}

// parseRoles reads a roles claim: the banli roles it grants, and the values
// it ignores. The roles are nil only when the claim is neither a string nor
// an array.
func parseRoles(v any, allowAdmin bool) (roles []workflow.Role, ignored []string) {
	var values []string
	switch v := v.(type) {
	case string:
		values = strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' })
	case []any:
		for _, e := range v {
			if s, ok := e.(string); ok {
				values = append(values, s)
			} else {
				ignored = append(ignored, fmt.Sprint(e))
			}
		}
	default:
		// Not a list of roles at all: as if absent, the roles stay.
		return nil, []string{fmt.Sprint(v)}
	}
	roles = []workflow.Role{}
	for _, s := range values {
		r := workflow.Role(strings.ToLower(strings.TrimSpace(s)))
		switch {
		case !r.Valid(), r == workflow.RoleDeputy, r == workflow.RoleAdmin && !allowAdmin:
			ignored = append(ignored, s)
		case !slices.Contains(roles, r):
			roles = append(roles, r)
		}
	}
	return roles, ignored
}

// firstString returns the first of the named claims that is a non-empty
// string.
func firstString(claims map[string]any, names ...string) string {
	for _, n := range names {
		if s, ok := claims[n].(string); ok && strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
	}
	return ""
}
