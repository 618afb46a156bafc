package auth_test

import (
	"bytes"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

func TestIdentity(t *testing.T) {
	t.Parallel()
	m := startIDP(t, nil, false, nil)
	var logs bytes.Buffer
	ps := auth.NewProviders([]config.OIDCProvider{
		m.config("fixed", func(c *config.OIDCProvider) {
			c.Departments, c.DepartmentClaim, c.RolesClaim = []string{"scjg"}, "department", "roles"
		}),
		m.config("shared", func(c *config.OIDCProvider) {
			c.Departments, c.DepartmentClaim = []string{"scjg", "kcj"}, "dept"
			c.RolesClaim, c.AllowAdminClaim = "groups", true
		}),
		m.config("any", func(c *config.OIDCProvider) { c.DepartmentClaim = "department" }),
		m.config("bare", nil),
	}, "http://127.0.0.1:8080", auth.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})

	fixed, _ := ps.Get("fixed")
	// The token of each case is issued by m for provider "fixed", whose
	// verification all cases share; Identity is then asked of the provider
	// the case names.
	roles := func(r ...workflow.Role) []workflow.Role { return append([]workflow.Role{}, r...) }
	tests := []struct {
		name     string
		provider string
		claims   map[string]any
		want     storage.OIDCIdentity // Issuer and Subject are filled in
		code     workflow.ErrorCode
	}{
		{"fixed, claim agrees", "fixed", map[string]any{"name": "王小明", "department": "scjg", "roles": []string{"drafter", "reviewer"}},
			storage.OIDCIdentity{Name: "王小明", DepartmentCode: "scjg", Roles: roles("drafter", "reviewer")}, ""},
		{"fixed, no claims", "fixed", nil,
			storage.OIDCIdentity{Name: "u"}, ""},
		{"fixed, another department", "fixed", map[string]any{"department": "kcj"}, storage.OIDCIdentity{}, workflow.ErrForbidden},
		{"fixed, department not a string", "fixed", map[string]any{"department": []string{"scjg"}}, storage.OIDCIdentity{}, workflow.ErrForbidden},
		{"roles as a string", "fixed", map[string]any{"roles": "approver, drafter approver"},
			storage.OIDCIdentity{Name: "u", Roles: roles("approver", "drafter")}, ""},
		{"empty roles: awaiting one", "fixed", map[string]any{"roles": []string{}},
			storage.OIDCIdentity{Name: "u", Roles: roles()}, ""},
		{"admin and deputy not granted, unknown ignored", "fixed", map[string]any{"roles": []any{"admin", "deputy", "Drafter", "mayor", 7}},
			storage.OIDCIdentity{Name: "u", Roles: roles("drafter")}, ""},
		{"roles claim of another type", "fixed", map[string]any{"roles": 7},
			storage.OIDCIdentity{Name: "u"}, ""},
		{"shared, department claimed", "shared", map[string]any{"dept": "kcj", "groups": []string{"admin", "approver"}},
			storage.OIDCIdentity{Name: "u", DepartmentCode: "kcj", Roles: roles("admin", "approver")}, ""},
		{"shared, no department", "shared", nil, storage.OIDCIdentity{}, workflow.ErrForbidden},
		{"shared, unserved department", "shared", map[string]any{"dept": "jyj"}, storage.OIDCIdentity{}, workflow.ErrForbidden},
		{"any department", "any", map[string]any{"department": "jyj", "roles": []string{"drafter"}},
			storage.OIDCIdentity{Name: "u", DepartmentCode: "jyj"}, ""},
		{"no claims configured", "bare", map[string]any{"department": "jyj", "roles": []string{"drafter"}},
			storage.OIDCIdentity{Name: "u"}, ""},
	}
	for i, tt := range tests {
		sub := "u"
		if tt.claims["name"] == nil {
			tt.want.Name = sub
		}
		l, err := login(t, m, fixed, user(sub, tt.claims))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		p, _ := ps.Get(tt.provider)
		got, err := p.Identity(l.IDToken)
		if tt.code != "" {
			if workflow.Code(err) != tt.code {
				t.Errorf("%d %s: error %v, want %s", i, tt.name, err, tt.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("%d %s: %v", i, tt.name, err)
			continue
		}
		tt.want.Issuer, tt.want.Subject, tt.want.Email = m.Issuer(), sub, sub+"@example.gov.cn"
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%d %s: Identity =\n%+v\nwant\n%+v", i, tt.name, got, tt.want)
		}
	}
	if !strings.Contains(logs.String(), "mayor") || !strings.Contains(logs.String(), "deputy") {
		t.Errorf("ignored roles are not logged:\n%s", logs.String())
	}

	// The department of a Bearer token, and which departments a provider serves.
	l, err := login(t, m, fixed, user("svc", map[string]any{"department": "scjg"}))
	if err != nil {
		t.Fatal(err)
	}
	if d, err := fixed.TokenDepartment(l.IDToken); err != nil || d != "scjg" {
		t.Errorf("TokenDepartment = %q, %v", d, err)
	}
	if !fixed.Serves("scjg") || fixed.Serves("kcj") {
		t.Error("Serves of a fixed provider")
	}
	if anyp, _ := ps.Get("any"); !anyp.Serves("kcj") {
		t.Error("a provider without departments does not serve all")
	}
}
