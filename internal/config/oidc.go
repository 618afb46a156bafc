package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Defaults of the login and session settings.
const (
	// DefaultSessionIdleTimeout ends a login session after 8 hours without
	// a request: a working day with its breaks.
	DefaultSessionIdleTimeout = 8 * time.Hour
	// DefaultSessionMaxAge ends every login session 12 hours after the
	// login, however busy: one working day, so each morning starts with a
	// login at the department's identity provider, which may have disabled
	// the account overnight.
	DefaultSessionMaxAge = 12 * time.Hour
)

// DefaultOIDCScopes are the scopes asked for when a provider's
// configuration names none.
var DefaultOIDCScopes = []string{"openid", "profile", "email"}

// OIDCProvider is one OpenID Connect identity provider that users log in
// with: a department's own, or one shared by several departments (one entry
// of BANLI_OIDC_PROVIDERS).
type OIDCProvider struct {
	// Name identifies the provider in URLs (/login/{name}) and in sessions:
	// lowercase letters, digits, '-' and '_'.
	Name string `json:"name"`
	// Label is what the login page shows, e.g. 武汉市统一身份认证平台
	// (default: Name).
	Label string `json:"label"`
	// Issuer is the provider's issuer URL; its discovery document is at
	// Issuer + "/.well-known/openid-configuration". It must be https, or
	// http on a loopback host (development and tests).
	Issuer string `json:"issuer"`
	// ClientID is banli's client id at the provider: the audience of its
	// ID tokens.
	ClientID string `json:"client_id"`
	// ClientSecret is banli's client secret at the provider, read from
	// "client_secret" or from the variable that "client_secret_env" names;
	// empty for a public client (PKCE alone).
	ClientSecret string `json:"-"`
	// Scopes are asked for at login; they include "openid" (default
	// openid, profile, email).
	Scopes []string `json:"scopes"`
	// Departments are the codes of the departments whose users log in
	// here. One entry fixes the department of every user of the provider;
	// several need DepartmentClaim; none lets DepartmentClaim name any
	// department, or, without it, leaves the department to an
	// administrator.
	Departments []string `json:"departments"`
	// DepartmentClaim names the ID token claim holding the user's
	// department code; required when Departments has several entries.
	DepartmentClaim string `json:"department_claim"`
	// RolesClaim names the claim holding banli roles (an array of strings,
	// or one space-separated string). Without it, roles are granted by an
	// administrator only; with it, each login replaces the user's roles
	// with the claim's when the token carries the claim.
	RolesClaim string `json:"roles_claim"`
	// AllowAdminClaim lets RolesClaim grant the admin role; otherwise an
	// admin role in the claim is ignored. The deputy role is never granted
	// from a claim.
	AllowAdminClaim bool `json:"allow_admin_claim"`
	// APIAudience is the audience that Bearer tokens of this provider must
	// carry to call banli's API (default: ClientID). Setting it keeps the
	// ID tokens of browser logins from being usable as API tokens.
	APIAudience string `json:"api_audience"`
}

// FixedDepartment returns the code of the one department the provider
// serves, and false when it serves several or any.
func (p OIDCProvider) FixedDepartment() (string, bool) {
	if len(p.Departments) == 1 {
		return p.Departments[0], true
	}
	return "", false
}

// BearerAudience is the audience a Bearer token of the provider must carry:
// APIAudience, or ClientID.
func (p OIDCProvider) BearerAudience() string {
	if p.APIAudience != "" {
		return p.APIAudience
	}
	return p.ClientID
}

// oidcProviderJSON is an entry of BANLI_OIDC_PROVIDERS as written.
type oidcProviderJSON struct {
	OIDCProvider
	ClientSecret    string `json:"client_secret"`
	ClientSecretEnv string `json:"client_secret_env"`
}

var (
	providerNameRE   = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)
	departmentCodeRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`) // departments.code's CHECK
	envNameRE        = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// loadAuth reads the login and session settings into c; c.BaseURL must be
// set. It returns one error per wrong setting.
func loadAuth(c *Config, get func(string) string) []error {
	var errs []error
	c.SessionIdleTimeout = DefaultSessionIdleTimeout
	c.SessionMaxAge = DefaultSessionMaxAge
	c.CookieSecure = !strings.HasPrefix(c.BaseURL, "http://")

	if v := get("BANLI_OIDC_PROVIDERS"); v != "" {
		ps, perrs := parseOIDCProviders(v, get)
		errs = append(errs, perrs...)
		c.OIDCProviders = ps
	}
	if v := get("BANLI_COOKIE_SECURE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("BANLI_COOKIE_SECURE: %q is not true or false", v))
		} else {
			c.CookieSecure = b
		}
	}
	for _, d := range []struct {
		name string
		dst  *time.Duration
	}{
		{"BANLI_SESSION_IDLE_TIMEOUT", &c.SessionIdleTimeout},
		{"BANLI_SESSION_MAX_AGE", &c.SessionMaxAge},
	} {
		v := get(d.name)
		if v == "" {
			continue
		}
		dur, err := time.ParseDuration(v)
		if err != nil || dur < time.Minute {
			errs = append(errs, fmt.Errorf("%s: %q is not a duration of a minute or more, such as 8h", d.name, v))
			continue
		}
		*d.dst = dur
	}
	return errs
}

// parseOIDCProviders parses and checks BANLI_OIDC_PROVIDERS. Errors name
// the entry and field; no error repeats a secret.
func parseOIDCProviders(v string, get func(string) string) ([]OIDCProvider, []error) {
	const name = "BANLI_OIDC_PROVIDERS"
	dec := json.NewDecoder(bytes.NewReader([]byte(v)))
	dec.DisallowUnknownFields() // a misspelt field must not pass silently
	var raw []oidcProviderJSON
	if err := dec.Decode(&raw); err != nil {
		// encoding/json's messages name fields and types, never values.
		return nil, []error{fmt.Errorf("%s: not a JSON array of providers "+
			`[{"name": …, "issuer": …, "client_id": …}]: %v`, name, jsonError(err))}
	}
	if dec.More() {
		return nil, []error{fmt.Errorf("%s: unexpected data after the JSON array", name)}
	}
	var errs []error
	fail := func(i int, field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s[%d].%s: %s", name, i, field, fmt.Sprintf(format, args...)))
	}
	names := map[string]int{}
	issuers := map[string]int{}
	out := make([]OIDCProvider, 0, len(raw))
	for i, r := range raw {
		p := r.OIDCProvider
		p.Name = strings.TrimSpace(p.Name)
		switch {
		case p.Name == "":
			fail(i, "name", "required")
		case !providerNameRE.MatchString(p.Name):
			fail(i, "name", "%q must be lowercase letters, digits, '-' or '_' (it appears in URLs)", p.Name)
		default:
			if j, dup := names[p.Name]; dup {
				fail(i, "name", "%q is already the name of provider [%d]", p.Name, j)
			}
			names[p.Name] = i
		}
		if p.Label = strings.TrimSpace(p.Label); p.Label == "" {
			p.Label = p.Name
		}

		p.Issuer = strings.TrimSpace(p.Issuer)
		if p.Issuer == "" {
			fail(i, "issuer", "required")
		} else if err := checkIssuer(p.Issuer); err != nil {
			fail(i, "issuer", "%q %v", p.Issuer, err)
		} else {
			if j, dup := issuers[p.Issuer]; dup {
				fail(i, "issuer", "%q is already the issuer of provider [%d]; "+
					"list several departments under one provider, with department_claim", p.Issuer, j)
			}
			issuers[p.Issuer] = i
		}

		if p.ClientID = strings.TrimSpace(p.ClientID); p.ClientID == "" {
			fail(i, "client_id", "required")
		}
		switch {
		case r.ClientSecret != "" && r.ClientSecretEnv != "":
			fail(i, "client_secret", "set client_secret or client_secret_env, not both")
		case r.ClientSecretEnv != "":
			if !envNameRE.MatchString(r.ClientSecretEnv) {
				// Not shown: a mistaken value here is often the secret itself.
				fail(i, "client_secret_env", "not an environment variable name (A-Z, 0-9, _); the value is not shown")
			} else if p.ClientSecret = get(r.ClientSecretEnv); p.ClientSecret == "" {
				fail(i, "client_secret_env", "the variable %s it names is unset or empty", r.ClientSecretEnv)
			}
		default:
			p.ClientSecret = r.ClientSecret
		}

		if len(p.Scopes) == 0 {
			p.Scopes = slices.Clone(DefaultOIDCScopes)
		} else if !slices.Contains(p.Scopes, "openid") {
			fail(i, "scopes", "must include \"openid\"")
		}

		seen := map[string]bool{}
		for j, d := range p.Departments {
			switch {
			case !departmentCodeRE.MatchString(d):
				fail(i, fmt.Sprintf("departments[%d]", j), "%q is not a department code", d)
			case seen[d]:
				fail(i, fmt.Sprintf("departments[%d]", j), "%q is listed twice", d)
			}
			seen[d] = true
		}
		p.DepartmentClaim = strings.TrimSpace(p.DepartmentClaim)
		if len(p.Departments) > 1 && p.DepartmentClaim == "" {
			fail(i, "department_claim", "required when several departments share the provider")
		}
		p.RolesClaim = strings.TrimSpace(p.RolesClaim)
		if p.AllowAdminClaim && p.RolesClaim == "" {
			fail(i, "allow_admin_claim", "needs roles_claim")
		}
		p.APIAudience = strings.TrimSpace(p.APIAudience)
		out = append(out, p)
	}
	return out, errs
}

// checkIssuer accepts an absolute https URL without query or fragment, or
// an http one on a loopback host.
func checkIssuer(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return errors.New("is not an absolute URL without query")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
			return nil
		}
		return errors.New("must be https (http only on a loopback host, for development)")
	default:
		return errors.New("must be an https URL")
	}
}

// jsonError shortens encoding/json's errors to what helps fix the value.
func jsonError(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}
