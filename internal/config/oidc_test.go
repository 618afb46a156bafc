package config_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/config"
)

func TestLoadOIDCProviders(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(map[string]string{
		"BANLI_BASE_URL": "https://banli.example.gov.cn",
		"BANLI_OIDC_PROVIDERS": `[
			{"name": "wuhan-idp", "label": "武汉市统一身份认证平台", "issuer": "https://idp.wuhan.gov.cn/realms/gov",
			 "client_id": "banli", "client_secret_env": "WUHAN_IDP_SECRET",
			 "departments": ["scjg", "kcj"], "department_claim": "department", "roles_claim": "roles", "allow_admin_claim": true},
			{"name": "scjg", "issuer": "http://127.0.0.1:9000/oidc", "client_id": "banli-scjg", "client_secret": "s3cret",
			 "scopes": ["openid", "email"], "departments": ["scjg"], "api_audience": "banli-api"},
			{"name": "public", "issuer": "https://id.example.com", "client_id": "banli-public"}
		]`,
		"WUHAN_IDP_SECRET": "env-s3cret",
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := []config.OIDCProvider{
		{Name: "wuhan-idp", Label: "武汉市统一身份认证平台", Issuer: "https://idp.wuhan.gov.cn/realms/gov",
			ClientID: "banli", ClientSecret: "env-s3cret", Scopes: []string{"openid", "profile", "email"},
			Departments: []string{"scjg", "kcj"}, DepartmentClaim: "department", RolesClaim: "roles", AllowAdminClaim: true},
		{Name: "scjg", Label: "scjg", Issuer: "http://127.0.0.1:9000/oidc", ClientID: "banli-scjg", ClientSecret: "s3cret",
			Scopes: []string{"openid", "email"}, Departments: []string{"scjg"}, APIAudience: "banli-api"},
		{Name: "public", Label: "public", Issuer: "https://id.example.com", ClientID: "banli-public",
			Scopes: []string{"openid", "profile", "email"}},
	}
	if !reflect.DeepEqual(c.OIDCProviders, want) {
		t.Errorf("OIDCProviders =\n%+v\nwant\n%+v", c.OIDCProviders, want)
	}
	if d, ok := c.OIDCProviders[1].FixedDepartment(); !ok || d != "scjg" {
		t.Errorf("FixedDepartment of [1] = %q, %v; want scjg, true", d, ok)
	}
	if _, ok := c.OIDCProviders[0].FixedDepartment(); ok {
		t.Error("a provider of two departments has a fixed department")
	}
	if a := c.OIDCProviders[0].BearerAudience(); a != "banli" {
		t.Errorf("BearerAudience without api_audience = %q, want the client id", a)
	}
	if a := c.OIDCProviders[1].BearerAudience(); a != "banli-api" {
		t.Errorf("BearerAudience = %q, want banli-api", a)
	}
	if !c.CookieSecure {
		t.Error("CookieSecure = false behind an https base URL")
	}
}

func TestLoadSessionSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		env        map[string]string
		secure     bool
		idle, max_ time.Duration
	}{
		{"defaults on http", nil, false, 8 * time.Hour, 12 * time.Hour},
		{"defaults on https", map[string]string{"BANLI_BASE_URL": "https://banli.example.gov.cn"}, true, 8 * time.Hour, 12 * time.Hour},
		{"secure forced on http", map[string]string{"BANLI_COOKIE_SECURE": "true"}, true, 8 * time.Hour, 12 * time.Hour},
		{"secure off behind https", map[string]string{"BANLI_BASE_URL": "https://x.example", "BANLI_COOKIE_SECURE": "false"}, false, 8 * time.Hour, 12 * time.Hour},
		{"timeouts", map[string]string{"BANLI_SESSION_IDLE_TIMEOUT": "30m", "BANLI_SESSION_MAX_AGE": "24h"}, false, 30 * time.Minute, 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := config.Load(env(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if c.CookieSecure != tt.secure || c.SessionIdleTimeout != tt.idle || c.SessionMaxAge != tt.max_ {
				t.Errorf("CookieSecure, SessionIdleTimeout, SessionMaxAge = %v, %v, %v; want %v, %v, %v",
					c.CookieSecure, c.SessionIdleTimeout, c.SessionMaxAge, tt.secure, tt.idle, tt.max_)
			}
		})
	}
}

func TestLoadOIDCErrors(t *testing.T) {
	t.Parallel()
	// provider returns one JSON entry with the given fields on top of a valid one.
	provider := func(fields string) string {
		base := `"name": "p", "issuer": "https://idp.example.gov.cn", "client_id": "banli", "client_secret": "s3cret"`
		if fields != "" {
			base = fields
		}
		return "[{" + base + "}]"
	}
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"not JSON", map[string]string{"BANLI_OIDC_PROVIDERS": `{s3cret`}, "BANLI_OIDC_PROVIDERS: not a JSON array"},
		{"an object, not an array", map[string]string{"BANLI_OIDC_PROVIDERS": `{"name": "p"}`}, "BANLI_OIDC_PROVIDERS: not a JSON array"},
		{"trailing data", map[string]string{"BANLI_OIDC_PROVIDERS": `[] []`}, "BANLI_OIDC_PROVIDERS: unexpected data"},
		{"misspelt field", map[string]string{"BANLI_OIDC_PROVIDERS": `[{"name": "p", "client_secert": "s3cret"}]`},
			`BANLI_OIDC_PROVIDERS: not a JSON array of providers [{"name": …, "issuer": …, "client_id": …}]: unknown field "client_secert"`},
		{"wrong type", map[string]string{"BANLI_OIDC_PROVIDERS": `[{"name": "p", "departments": "scjg"}]`}, "departments"},
		{"name missing", map[string]string{"BANLI_OIDC_PROVIDERS": provider(
			`"issuer": "https://idp.example.gov.cn", "client_id": "banli"`)}, "BANLI_OIDC_PROVIDERS[0].name: required"},
		{"name not for URLs", map[string]string{"BANLI_OIDC_PROVIDERS": provider(
			`"name": "Wuhan IdP", "issuer": "https://idp.example.gov.cn", "client_id": "banli"`)}, `BANLI_OIDC_PROVIDERS[0].name: "Wuhan IdP" must be lowercase`},
		{"name twice", map[string]string{"BANLI_OIDC_PROVIDERS": `[
			{"name": "p", "issuer": "https://a.example", "client_id": "banli"},
			{"name": "p", "issuer": "https://b.example", "client_id": "banli"}]`}, `BANLI_OIDC_PROVIDERS[1].name: "p" is already the name of provider [0]`},
		{"issuer missing", map[string]string{"BANLI_OIDC_PROVIDERS": `[
			{"name": "a", "issuer": "https://a.example", "client_id": "banli"},
			{"name": "b", "client_id": "banli"}]`}, "BANLI_OIDC_PROVIDERS[1].issuer: required"},
		{"issuer relative", map[string]string{"BANLI_OIDC_PROVIDERS": provider(
			`"name": "p", "issuer": "/oidc", "client_id": "banli"`)}, `BANLI_OIDC_PROVIDERS[0].issuer: "/oidc" is not an absolute URL`},
		{"issuer plain http", map[string]string{"BANLI_OIDC_PROVIDERS": provider(
			`"name": "p", "issuer": "http://idp.example.gov.cn", "client_id": "banli"`)}, `BANLI_OIDC_PROVIDERS[0].issuer: "http://idp.example.gov.cn" must be https`},
		{"issuer with query", map[string]string{"BANLI_OIDC_PROVIDERS": provider(
			`"name": "p", "issuer": "https://idp.example.gov.cn/?tenant=1", "client_id": "banli"`)}, `BANLI_OIDC_PROVIDERS[0].issuer:`},
		{"issuer twice", map[string]string{"BANLI_OIDC_PROVIDERS": `[
			{"name": "a", "issuer": "https://a.example", "client_id": "banli", "departments": ["scjg"]},
			{"name": "b", "issuer": "https://a.example", "client_id": "banli2", "departments": ["kcj"]}]`},
			`BANLI_OIDC_PROVIDERS[1].issuer: "https://a.example" is already the issuer of provider [0]`},
		{"client id missing", map[string]string{"BANLI_OIDC_PROVIDERS": provider(
			`"name": "p", "issuer": "https://idp.example.gov.cn"`)}, "BANLI_OIDC_PROVIDERS[0].client_id: required"},
		{"both secrets", map[string]string{"BANLI_OIDC_PROVIDERS": provider(
			`"name": "p", "issuer": "https://idp.example.gov.cn", "client_id": "banli", "client_secret": "s3cret", "client_secret_env": "X"`)},
			"BANLI_OIDC_PROVIDERS[0].client_secret: set client_secret or client_secret_env, not both"},
		{"secret variable unset", map[string]string{"BANLI_OIDC_PROVIDERS": provider(
			`"name": "p", "issuer": "https://idp.example.gov.cn", "client_id": "banli", "client_secret_env": "P_SECRET"`)},
			"BANLI_OIDC_PROVIDERS[0].client_secret_env: the variable P_SECRET it names is unset or empty"},
		{"secret variable name", map[string]string{"BANLI_OIDC_PROVIDERS": provider(
			`"name": "p", "issuer": "https://idp.example.gov.cn", "client_id": "banli", "client_secret_env": "s3cret value"`)},
			"BANLI_OIDC_PROVIDERS[0].client_secret_env: "},
		{"scopes without openid", map[string]string{"BANLI_OIDC_PROVIDERS": provider(
			`"name": "p", "issuer": "https://idp.example.gov.cn", "client_id": "banli", "scopes": ["profile"]`)},
			`BANLI_OIDC_PROVIDERS[0].scopes: must include "openid"`},
		{"bad department code", map[string]string{"BANLI_OIDC_PROVIDERS": provider(
			`"name": "p", "issuer": "https://idp.example.gov.cn", "client_id": "banli", "departments": ["scjg", "市场监管局"]`)},
			`BANLI_OIDC_PROVIDERS[0].departments[1]: "市场监管局" is not a department code`},
		{"department twice", map[string]string{"BANLI_OIDC_PROVIDERS": provider(
			`"name": "p", "issuer": "https://idp.example.gov.cn", "client_id": "banli", "departments": ["scjg", "scjg"], "department_claim": "d"`)},
			`BANLI_OIDC_PROVIDERS[0].departments[1]: "scjg" is listed twice`},
		{"shared without claim", map[string]string{"BANLI_OIDC_PROVIDERS": provider(
			`"name": "p", "issuer": "https://idp.example.gov.cn", "client_id": "banli", "departments": ["scjg", "kcj"]`)},
			"BANLI_OIDC_PROVIDERS[0].department_claim: required when several departments share the provider"},
		{"admin without roles claim", map[string]string{"BANLI_OIDC_PROVIDERS": provider(
			`"name": "p", "issuer": "https://idp.example.gov.cn", "client_id": "banli", "allow_admin_claim": true`)},
			"BANLI_OIDC_PROVIDERS[0].allow_admin_claim: needs roles_claim"},
		{"cookie secure", map[string]string{"BANLI_COOKIE_SECURE": "yes please"}, `BANLI_COOKIE_SECURE: "yes please" is not true or false`},
		{"idle timeout", map[string]string{"BANLI_SESSION_IDLE_TIMEOUT": "8"}, `BANLI_SESSION_IDLE_TIMEOUT: "8" is not a duration`},
		{"idle timeout too short", map[string]string{"BANLI_SESSION_IDLE_TIMEOUT": "10s"}, `BANLI_SESSION_IDLE_TIMEOUT: "10s"`},
		{"max age", map[string]string{"BANLI_SESSION_MAX_AGE": "-1h"}, `BANLI_SESSION_MAX_AGE: "-1h"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := config.Load(env(tt.env))
			if err == nil {
				t.Fatalf("Load succeeded, want error %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q shows a secret", err)
			}
		})
	}
}

func TestLoadOIDCReportsEveryProviderError(t *testing.T) {
	t.Parallel()
	_, err := config.Load(env(map[string]string{"BANLI_OIDC_PROVIDERS": `[
		{"name": "a", "client_id": "banli"},
		{"name": "b", "issuer": "https://b.example"}]`}))
	if err == nil {
		t.Fatal("Load succeeded")
	}
	for _, want := range []string{"BANLI_OIDC_PROVIDERS[0].issuer: required", "BANLI_OIDC_PROVIDERS[1].client_id: required"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error = %q, want it to contain %q", err, want)
		}
	}
}
