package web_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"
	"golang.org/x/oauth2"

	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/internal/web"
	"github.com/banli-gov/banli/workflow"
)

// The login tests drive banli's real handler over HTTP, against real OpenID
// providers: mockoidc servers in the test process, one per department
// (provider "a" serves department scjg, provider "b" department kcj). Each
// test has its own providers and database. mockoidc's stores are not safe
// for concurrent requests, so a test's requests to its providers are made
// one at a time (and loginIDP serializes them for the race detector).

// idpUser is a user of a mockoidc provider, with banli's claims. mutate,
// when set, changes the ID token's standard claims before it is signed: the
// way to make the provider issue a token for another audience, from
// another issuer, expired, or with another nonce.
type idpUser struct {
	*mockoidc.MockUser
	Name       string
	Department string
	Roles      []string
	mutate     func(*mockoidc.IDTokenClaims)
}

// idpClaims are the claims of an idpUser's ID token.
type idpClaims struct {
	*mockoidc.IDTokenClaims
	Name       string   `json:"name,omitempty"`
	Email      string   `json:"email,omitempty"`
	Department string   `json:"department,omitempty"`
	Roles      []string `json:"roles,omitempty"`
}

// Claims implements mockoidc.User.
func (u *idpUser) Claims(_ []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	if u.mutate != nil {
		u.mutate(base)
	}
	return &idpClaims{IDTokenClaims: base, Name: u.Name, Email: u.Email, Department: u.Department, Roles: u.Roles}, nil
}

func newIDPUser(sub, name, dept string, roles ...string) *idpUser {
	return &idpUser{MockUser: &mockoidc.MockUser{Subject: sub, Email: sub + "@example.gov.cn"}, Name: name, Department: dept, Roles: roles}
}

var (
	keysOnce sync.Once
	keys     [2]*rsa.PrivateKey
	keysErr  error
)

// idpKey returns one of two RSA keys made once per test process: each
// test's two providers sign with different keys.
func idpKey(t *testing.T, i int) *rsa.PrivateKey {
	t.Helper()
	keysOnce.Do(func() {
		for j := range keys {
			if keys[j], keysErr = rsa.GenerateKey(rand.Reader, 2048); keysErr != nil {
				return
			}
		}
	})
	if keysErr != nil {
		t.Fatal(keysErr)
	}
	return keys[i]
}

// startIDP starts a mockoidc provider signing with key i. With endSession,
// its discovery document also names an end_session_endpoint, which
// mockoidc does not have: a middleware adds it.
func startIDP(t *testing.T, i int, endSession bool) *mockoidc.MockOIDC {
	t.Helper()
	m, err := mockoidc.NewServer(idpKey(t, i))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Keypair.KeyID(); err != nil { // computed lazily otherwise, racing
		t.Fatal(err)
	}
	var mu sync.Mutex
	mustOK(t, m.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock() // mockoidc's session store is a plain map
			defer mu.Unlock()
			if !endSession || r.URL.Path != mockoidc.DiscoveryEndpoint {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var doc map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			doc["end_session_endpoint"] = m.Issuer() + "/logout"
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(doc)
		})
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mustOK(t, m.Start(ln, nil))
	t.Cleanup(func() { _ = m.Shutdown() })
	return m
}

func mustOK(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// loginEnv is a banli server with two identity providers and three
// departments.
type loginEnv struct {
	db      *storage.DB
	ctx     context.Context
	base    string // banli's URL
	idpA    *mockoidc.MockOIDC
	idpB    *mockoidc.MockOIDC
	scjg    *workflow.Department // provider a's
	kcj     *workflow.Department // provider b's
	office  *workflow.Department
	logs    *syncBuffer
	cfg     *config.Config
	handler http.Handler
}

type loginOpts struct {
	env        map[string]string // more configuration
	extra      string            // more providers: JSON objects, each followed by a comma
	endSession bool              // provider a has an end_session_endpoint
}

func setupLogin(t *testing.T, o loginOpts) *loginEnv {
	t.Helper()
	e := &loginEnv{db: testdb.NewDB(t), ctx: context.Background(), logs: &syncBuffer{}}
	e.scjg = &workflow.Department{Code: "scjg", Name: "武汉市市场监督管理局"}
	e.kcj = &workflow.Department{Code: "kcj", Name: "武汉市科技创新局"}
	e.office = &workflow.Department{Code: "dcs", Name: "市政府办公厅督查室", LiaisonOffice: true}
	for _, d := range []*workflow.Department{e.scjg, e.kcj, e.office} {
		mustOK(t, e.db.CreateDepartment(e.ctx, d))
	}
	e.idpA = startIDP(t, 0, o.endSession)
	e.idpB = startIDP(t, 1, false)

	srv := httptest.NewUnstartedServer(nil)
	e.base = "http://" + srv.Listener.Addr().String()
	env := map[string]string{
		"BANLI_BASE_URL": e.base,
		"BANLI_OIDC_PROVIDERS": fmt.Sprintf(`[%s
			{"name": "a", "label": "市场监管局统一认证", "issuer": %q, "client_id": %q, "client_secret_env": "IDP_A_SECRET",
			 "departments": ["scjg"], "department_claim": "department", "roles_claim": "roles"},
			{"name": "b", "label": "科技局统一认证", "issuer": %q, "client_id": %q, "client_secret": %q,
			 "departments": ["kcj"], "department_claim": "department", "roles_claim": "roles"}]`,
			o.extra, e.idpA.Issuer(), e.idpA.ClientID, e.idpB.Issuer(), e.idpB.ClientID, e.idpB.ClientSecret),
		"IDP_A_SECRET": e.idpA.ClientSecret,
	}
	for k, v := range o.env {
		env[k] = v
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	mustOK(t, err)
	e.cfg = cfg
	logger := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.handler = web.NewServer(cfg, e.db, logger)
	srv.Config.Handler = e.handler
	srv.Start()
	t.Cleanup(srv.Close)
	return e
}

// browser returns an HTTP client with a cookie jar that does not follow
// redirects, so that each step of a login can be looked at.
func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	mustOK(t, err)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// sent is a response with its body read.
type sent struct {
	*http.Response
	body string
}

func send(t *testing.T, c *http.Client, method, target string, header http.Header, body io.Reader) *sent {
	t.Helper()
	req, err := http.NewRequest(method, target, body)
	mustOK(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	mustOK(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	mustOK(t, err)
	return &sent{resp, string(b)}
}

func wantStatus(t *testing.T, r *sent, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s = %d, want %d\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, status, r.body)
	}
}

// startLogin asks banli to start a login at provider and returns where it
// sends the browser: the provider's authorization endpoint.
func (e *loginEnv) startLogin(t *testing.T, c *http.Client, provider, next string) *url.URL {
	t.Helper()
	target := e.base + "/login/" + provider
	if next != "" {
		target += "?next=" + url.QueryEscape(next)
	}
	r := send(t, c, http.MethodGet, target, nil, nil)
	wantStatus(t, r, http.StatusSeeOther)
	loc, err := r.Location()
	mustOK(t, err)
	return loc
}

// authorize has the provider log user in at the authorization URL and
// returns the callback URL it sends the browser back to.
func authorize(t *testing.T, c *http.Client, idp *mockoidc.MockOIDC, user mockoidc.User, authURL *url.URL) *url.URL {
	t.Helper()
	idp.QueueUser(user)
	r := send(t, c, http.MethodGet, authURL.String(), nil, nil)
	wantStatus(t, r, http.StatusFound)
	loc, err := r.Location()
	mustOK(t, err)
	return loc
}

// login goes through a whole login at provider and returns the callback's
// response.
func (e *loginEnv) login(t *testing.T, c *http.Client, provider string, user mockoidc.User, next string) *sent {
	t.Helper()
	idp := map[string]*mockoidc.MockOIDC{"a": e.idpA, "b": e.idpB}[provider]
	cb := authorize(t, c, idp, user, e.startLogin(t, c, provider, next))
	return send(t, c, http.MethodGet, cb.String(), nil, nil)
}

// mustLogin logs user in at provider and returns the session cookie.
func (e *loginEnv) mustLogin(t *testing.T, c *http.Client, provider string, user mockoidc.User) *http.Cookie {
	t.Helper()
	r := e.login(t, c, provider, user, "")
	wantStatus(t, r, http.StatusSeeOther)
	return sessionCookieOf(t, r)
}

func sessionCookieOf(t *testing.T, r *sent) *http.Cookie {
	t.Helper()
	for _, c := range r.Cookies() {
		if c.Name == "banli_session" && c.Value != "" {
			return c
		}
	}
	t.Fatalf("no session cookie in %v", r.Header["Set-Cookie"])
	return nil
}

// meJSON is GET /me's answer.
type meJSON struct {
	ID         int64
	Name       string
	Email      string
	Department *struct {
		ID   int64
		Code string
		Name string
	}
	Roles  []string
	Bearer bool
}

var jsonHeader = http.Header{"Accept": {"application/json"}}

// me asks GET /me as an API client; it returns the status and the user.
func (e *loginEnv) me(t *testing.T, c *http.Client, header http.Header) (int, *meJSON) {
	t.Helper()
	h := http.Header{"Accept": {"application/json"}}
	for k, v := range header {
		h[k] = v
	}
	r := send(t, c, http.MethodGet, e.base+"/me", h, nil)
	if r.StatusCode != http.StatusOK {
		return r.StatusCode, nil
	}
	var m meJSON
	if err := json.Unmarshal([]byte(r.body), &m); err != nil {
		t.Fatalf("GET /me: %v\n%s", err, r.body)
	}
	return r.StatusCode, &m
}

func (e *loginEnv) sessions(t *testing.T) int {
	t.Helper()
	var n int
	mustOK(t, e.db.Pool.QueryRow(e.ctx, `SELECT count(*) FROM login_sessions`).Scan(&n))
	return n
}

func (e *loginEnv) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	// now() in a test's SQL is the clock's now, not the database server's.
	if strings.Contains(sql, "now()") {
		sql = strings.ReplaceAll(sql, "now()", fmt.Sprintf("$%d::timestamptz", len(args)+1))
		args = append(args, e.db.Clock.Now())
	}
	if _, err := e.db.Pool.Exec(e.ctx, sql, args...); err != nil {
		t.Fatal(err)
	}
}

func TestLogin(t *testing.T) {
	t.Parallel()
	e := setupLogin(t, loginOpts{})
	c := browser(t)
	user := newIDPUser("u-1001", "王小明", "scjg", "drafter", "reviewer")

	auth := e.startLogin(t, c, "a", "/me?tab=roles")
	if got := auth.Scheme + "://" + auth.Host + auth.Path; got != e.idpA.AuthorizationEndpoint() {
		t.Fatalf("login goes to %s, want provider a's authorization endpoint", got)
	}
	q := auth.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") == "" ||
		len(q.Get("state")) < 43 || q.Get("client_id") != e.idpA.ClientID || q.Get("redirect_uri") != e.base+"/auth/a/callback" {
		t.Errorf("authorization request lacks PKCE, nonce, state or the right client: %v", q)
	}
	cb := authorize(t, c, e.idpA, user, auth)
	r := send(t, c, http.MethodGet, cb.String(), nil, nil)
	wantStatus(t, r, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); loc != "/me?tab=roles" {
		t.Errorf("after login, to %q; want the page asked for", loc)
	}
	cookie := sessionCookieOf(t, r)
	if !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Secure || cookie.Path != "/" || cookie.MaxAge != 0 {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, not Secure on http, Path=/, a browser-session cookie", cookie)
	}

	status, me := e.me(t, c, nil)
	if status != http.StatusOK {
		t.Fatalf("GET /me = %d", status)
	}
	if me.Name != "王小明" || me.Email != "u-1001@example.gov.cn" || me.Department == nil || me.Department.Code != "scjg" ||
		!slices.Equal(me.Roles, []string{"drafter", "reviewer"}) || me.Bearer {
		t.Errorf("GET /me = %+v", me)
	}
	u, err := e.db.UserByOIDC(e.ctx, e.idpA.Issuer(), "u-1001")
	mustOK(t, err)
	if u.ID != me.ID || u.DepartmentID != e.scjg.ID {
		t.Errorf("user row %+v, /me %+v", u, me)
	}
	var logins int
	mustOK(t, e.db.Pool.QueryRow(e.ctx, `SELECT count(*) FROM oidc_logins`).Scan(&logins))
	if logins != 0 || e.sessions(t) != 1 {
		t.Errorf("%d logins in progress and %d sessions after a login, want 0 and 1", logins, e.sessions(t))
	}

	// Neither the code, the state, the session token nor the client secret
	// reaches the log.
	logs := e.logs.String()
	for what, secret := range map[string]string{"code": cb.Query().Get("code"), "state": cb.Query().Get("state"),
		"session token": cookie.Value, "client secret": e.idpA.ClientSecret} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log shows the %s:\n%s", what, logs)
		}
	}
	if !strings.Contains(logs, "msg=login") {
		t.Errorf("the login is not logged:\n%s", logs)
	}
}

func TestLoginSecureCookie(t *testing.T) {
	t.Parallel()
	e := setupLogin(t, loginOpts{env: map[string]string{"BANLI_COOKIE_SECURE": "true"}})
	r := e.login(t, browser(t), "b", newIDPUser("u-1", "李华", "kcj", "approver"), "")
	wantStatus(t, r, http.StatusSeeOther)
	if c := sessionCookieOf(t, r); !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
		t.Errorf("session cookie %+v: want Secure, HttpOnly, SameSite=Lax", c)
	}
}

func TestLoginPage(t *testing.T) {
	t.Parallel()
	e := setupLogin(t, loginOpts{})
	r := send(t, browser(t), http.MethodGet, e.base+"/login?next=%2Fcases%2F7", nil, nil)
	wantStatus(t, r, http.StatusOK)
	for _, want := range []string{"市场监管局统一认证", "武汉市市场监督管理局", "科技局统一认证", "武汉市科技创新局",
		`href="/login/a?next=%2fcases%2f7"`, `href="/login/b?next=%2fcases%2f7"`, "Log in"} {
		if !strings.Contains(strings.ToLower(r.body), strings.ToLower(want)) {
			t.Errorf("login page lacks %q:\n%s", want, r.body)
		}
	}
	// An open redirect is not carried on.
	r = send(t, browser(t), http.MethodGet, e.base+"/login?next=https%3A%2F%2Fevil.example%2F", nil, nil)
	if strings.Contains(r.body, "evil") {
		t.Errorf("login page carries a foreign next:\n%s", r.body)
	}
}

func TestLoginNextIsSameOrigin(t *testing.T) {
	t.Parallel()
	e := setupLogin(t, loginOpts{})
	for i, next := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "/login/a", "/logout"} {
		r := e.login(t, browser(t), "a", newIDPUser(fmt.Sprintf("u-%d", i), "张三", "scjg", "drafter"), next)
		wantStatus(t, r, http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != "/" {
			t.Errorf("next %q: after login to %q, want /", next, loc)
		}
	}
}

// TestLoginRefused covers the logins banli refuses: each answers with the
// status and a page naming what failed, and creates no session. The
// subtests share the providers, so they run one after the other.
func TestLoginRefused(t *testing.T) {
	t.Parallel()
	e := setupLogin(t, loginOpts{})
	disabled := newIDPUser("gone", "离职人员", "scjg", "drafter")
	e.mustLogin(t, browser(t), "a", disabled)
	e.exec(t, `UPDATE users SET disabled_at = now() WHERE oidc_subject = 'gone'`)
	e.exec(t, `DELETE FROM login_sessions`)

	mutated := func(f func(*mockoidc.IDTokenClaims)) *idpUser {
		u := newIDPUser("u-1", "王小明", "scjg", "drafter")
		u.mutate = f
		return u
	}
	tests := []struct {
		name     string
		provider string
		user     *idpUser
		status   int
		want     string
	}{
		{"wrong audience", "a", mutated(func(c *mockoidc.IDTokenClaims) { c.Audience = jwt.ClaimStrings{"another-app"} }),
			http.StatusUnauthorized, "audience"},
		{"wrong issuer", "a", mutated(func(c *mockoidc.IDTokenClaims) { c.Issuer = "https://idp.evil.example" }),
			http.StatusUnauthorized, "issuer"},
		{"expired", "a", mutated(func(c *mockoidc.IDTokenClaims) {
			c.IssuedAt = jwt.NewNumericDate(time.Now().Add(-2 * time.Hour))
			c.NotBefore = c.IssuedAt
			c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-time.Hour))
		}), http.StatusUnauthorized, "expired"},
		{"wrong nonce", "a", mutated(func(c *mockoidc.IDTokenClaims) { c.Nonce = "a-nonce-of-another-login" }),
			http.StatusUnauthorized, "nonce"},
		{"no nonce", "a", mutated(func(c *mockoidc.IDTokenClaims) { c.Nonce = "" }),
			http.StatusUnauthorized, "nonce"},
		{"another department's provider", "b", newIDPUser("u-2", "王小明", "scjg", "drafter"),
			http.StatusForbidden, `identity provider b does not serve department &#34;scjg&#34;`},
		{"unknown department", "b", newIDPUser("u-3", "王小明", "nosuch", "drafter"),
			http.StatusForbidden, "does not serve department"},
		{"disabled account", "a", disabled, http.StatusForbidden, "account disabled"},
		{"liaison role from a unit's provider", "a", newIDPUser("u-4", "王小明", "scjg", "liaison"),
			http.StatusForbidden, "liaison"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.login(t, browser(t), tt.provider, tt.user, "")
			if r.StatusCode != tt.status || !strings.Contains(r.body, tt.want) {
				t.Errorf("callback = %d, want %d with %q\n%s", r.StatusCode, tt.status, tt.want, r.body)
			}
			for _, c := range r.Cookies() {
				if c.Name == "banli_session" && c.Value != "" {
					t.Errorf("a refused login set a session cookie")
				}
			}
			if n := e.sessions(t); n != 0 {
				t.Errorf("%d sessions after a refused login", n)
			}
		})
	}
	if _, err := e.db.UserByOIDC(e.ctx, e.idpB.Issuer(), "u-2"); workflow.Code(err) != workflow.ErrNotFound {
		t.Errorf("a refused login created a user: %v", err)
	}
	if !strings.Contains(e.logs.String(), "login refused") {
		t.Error("refusals are not logged")
	}
}

// TestLoginState covers the state of the callback: missing, unknown, of
// another browser, expired, of another provider, replayed; and a replayed
// code. Each fails without a session.
func TestLoginState(t *testing.T) {
	t.Parallel()
	e := setupLogin(t, loginOpts{})
	user := func() *idpUser { return newIDPUser("u-1", "王小明", "scjg", "drafter") }
	// callback calls the callback URL cb with its query changed by q and
	// the login cookie set to cookie ("" for none), from a browser without
	// other cookies.
	callback := func(t *testing.T, cb *url.URL, cookie string, q func(url.Values)) *sent {
		t.Helper()
		u := *cb
		v := u.Query()
		if q != nil {
			q(v)
		}
		u.RawQuery = v.Encode()
		h := http.Header{}
		if cookie != "" {
			h.Set("Cookie", "banli_login="+cookie)
		}
		return send(t, browser(t), http.MethodGet, u.String(), h, nil)
	}
	refused := func(t *testing.T, r *sent, status int, want string) {
		t.Helper()
		if r.StatusCode != status || !strings.Contains(r.body, want) {
			t.Errorf("callback = %d, want %d with %q\n%s", r.StatusCode, status, want, r.body)
		}
		if n := e.sessions(t); n != 0 {
			t.Errorf("%d sessions after a refused callback", n)
		}
	}
	// fresh starts a login at provider a and returns its callback URL and state.
	fresh := func(t *testing.T) (*url.URL, string) {
		t.Helper()
		cb := authorize(t, browser(t), e.idpA, user(), e.startLogin(t, browser(t), "a", ""))
		return cb, cb.Query().Get("state")
	}

	t.Run("missing state", func(t *testing.T) {
		cb, state := fresh(t)
		refused(t, callback(t, cb, state, func(v url.Values) { v.Del("state") }), http.StatusBadRequest, "no state")
	})
	t.Run("no login cookie", func(t *testing.T) {
		cb, _ := fresh(t)
		refused(t, callback(t, cb, "", nil), http.StatusBadRequest, "not started in this browser")
	})
	t.Run("state of another browser", func(t *testing.T) {
		cb, _ := fresh(t)
		_, other := fresh(t)
		refused(t, callback(t, cb, other, nil), http.StatusBadRequest, "not started in this browser")
	})
	t.Run("unknown state", func(t *testing.T) {
		cb, _ := fresh(t)
		forged := "forged-state-forged-state-forged-state-0000"
		refused(t, callback(t, cb, forged, func(v url.Values) { v.Set("state", forged) }), http.StatusBadRequest, "unknown or already used")
	})
	t.Run("expired state", func(t *testing.T) {
		cb, state := fresh(t)
		e.exec(t, `UPDATE oidc_logins SET created_at = created_at - interval '11 minutes'`)
		refused(t, callback(t, cb, state, nil), http.StatusBadRequest, "login expired")
	})
	t.Run("state of another provider", func(t *testing.T) {
		cb, state := fresh(t)
		other := *cb
		other.Path = "/auth/b/callback"
		refused(t, callback(t, &other, state, nil), http.StatusBadRequest, "another identity provider")
	})
	t.Run("provider error", func(t *testing.T) {
		cb, state := fresh(t)
		refused(t, callback(t, cb, state, func(v url.Values) { v.Del("code"); v.Set("error", "access_denied") }),
			http.StatusUnauthorized, "access_denied")
	})
	t.Run("replayed callback", func(t *testing.T) {
		cb, state := fresh(t)
		wantStatus(t, callback(t, cb, state, nil), http.StatusSeeOther)
		e.exec(t, `DELETE FROM login_sessions`)
		// The same state and code again, even with the login cookie.
		refused(t, callback(t, cb, state, nil), http.StatusBadRequest, "unknown or already used")
	})
	t.Run("replayed code", func(t *testing.T) {
		cb1, state1 := fresh(t)
		_, state2 := fresh(t)
		wantStatus(t, callback(t, cb1, state1, nil), http.StatusSeeOther)
		e.exec(t, `DELETE FROM login_sessions`)
		// A good state of another login, with the code already used.
		refused(t, callback(t, cb1, state2, func(v url.Values) { v.Set("state", state2) }),
			http.StatusUnauthorized, "did not accept the login code")
	})
	t.Run("unknown provider", func(t *testing.T) {
		cb, state := fresh(t)
		other := *cb
		other.Path = "/auth/nosuch/callback"
		refused(t, callback(t, &other, state, nil), http.StatusNotFound, "no identity provider")
	})

	if strings.Contains(e.logs.String(), "forged-state") {
		t.Error("the log shows a state value")
	}
}

func TestProviderDown(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	mustOK(t, err)
	down := "http://" + ln.Addr().String() + "/oidc"
	ln.Close() // nothing listens there now
	e := setupLogin(t, loginOpts{extra: fmt.Sprintf(`{"name": "down", "label": "停机的平台", "issuer": %q, "client_id": "banli"},`, down)})

	r := send(t, browser(t), http.MethodGet, e.base+"/login", nil, nil)
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.body, "停机的平台") || !strings.Contains(r.body, "市场监管局统一认证") {
		t.Errorf("login page lacks a provider:\n%s", r.body)
	}
	r = send(t, browser(t), http.MethodGet, e.base+"/login/down", nil, nil)
	if r.StatusCode != http.StatusServiceUnavailable || !strings.Contains(r.body, "cannot be reached") {
		t.Errorf("GET /login/down = %d, want 503 saying the provider cannot be reached\n%s", r.StatusCode, r.body)
	}
	// The others keep working.
	c := browser(t)
	e.mustLogin(t, c, "a", newIDPUser("u-1", "王小明", "scjg", "drafter"))
	if status, _ := e.me(t, c, nil); status != http.StatusOK {
		t.Errorf("GET /me after a login at a working provider = %d", status)
	}
}

func TestSessionIdleAndAbsoluteExpiry(t *testing.T) {
	t.Parallel()
	e := setupLogin(t, loginOpts{})
	user := newIDPUser("u-1", "王小明", "scjg", "drafter")

	c := browser(t)
	e.mustLogin(t, c, "a", user)
	// Idle for longer than the timeout (8h by default).
	e.exec(t, `UPDATE login_sessions SET last_seen_at = now() - interval '8 hours 1 minute',
		created_at = now() - interval '9 hours'`)
	if status, _ := e.me(t, c, nil); status != http.StatusUnauthorized {
		t.Errorf("GET /me after 8h idle = %d, want 401", status)
	}
	if n := e.sessions(t); n != 0 {
		t.Errorf("%d sessions left after the idle timeout", n)
	}

	c = browser(t)
	e.mustLogin(t, c, "a", user)
	// Busy, but past the absolute end.
	e.exec(t, `UPDATE login_sessions SET created_at = now() - interval '12 hours', expires_at = now() - interval '1 second',
		last_seen_at = now() - interval '1 minute'`)
	r := send(t, c, http.MethodGet, e.base+"/me", nil, nil)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login?next=%2Fme" {
		t.Errorf("a browser's GET /me after the absolute end = %d to %q, want 303 to the login page", r.StatusCode, r.Header.Get("Location"))
	}
	cleared := false
	for _, ck := range r.Cookies() {
		cleared = cleared || (ck.Name == "banli_session" && ck.MaxAge < 0)
	}
	if !cleared {
		t.Errorf("the ended session's cookie is not cleared: %v", r.Header["Set-Cookie"])
	}
}

func TestSessionConfiguredTimeouts(t *testing.T) {
	t.Parallel()
	e := setupLogin(t, loginOpts{env: map[string]string{"BANLI_SESSION_IDLE_TIMEOUT": "5m", "BANLI_SESSION_MAX_AGE": "1h"}})
	c := browser(t)
	e.mustLogin(t, c, "a", newIDPUser("u-1", "王小明", "scjg", "drafter"))
	var maxAge time.Duration
	mustOK(t, e.db.Pool.QueryRow(e.ctx, `SELECT extract(epoch FROM expires_at - created_at)::bigint * 1000000000 FROM login_sessions`).Scan(&maxAge))
	if maxAge != time.Hour {
		t.Errorf("session lasts %v, want the configured 1h", maxAge)
	}
	e.exec(t, `UPDATE login_sessions SET last_seen_at = now() - interval '4 minutes', created_at = now() - interval '10 minutes'`)
	if status, _ := e.me(t, c, nil); status != http.StatusOK {
		t.Errorf("GET /me after 4 of 5 idle minutes = %d", status)
	}
	e.exec(t, `UPDATE login_sessions SET last_seen_at = now() - interval '6 minutes'`)
	if status, _ := e.me(t, c, nil); status != http.StatusUnauthorized {
		t.Errorf("GET /me after 6 idle minutes = %d, want 401", status)
	}
}

func TestSessionRotatesAtLogin(t *testing.T) {
	t.Parallel()
	e := setupLogin(t, loginOpts{})
	c := browser(t)
	user := newIDPUser("u-1", "王小明", "scjg", "drafter")
	old := e.mustLogin(t, c, "a", user)
	fresh := e.mustLogin(t, c, "a", user) // the browser comes with the old cookie
	if fresh.Value == old.Value {
		t.Fatal("the session token did not change at login")
	}
	if n := e.sessions(t); n != 1 {
		t.Errorf("%d sessions, want the old one ended", n)
	}
	if status, _ := e.me(t, http.DefaultClient, http.Header{"Cookie": {"banli_session=" + old.Value}}); status != http.StatusUnauthorized {
		t.Errorf("GET /me with the old cookie = %d, want 401", status)
	}
	if status, _ := e.me(t, http.DefaultClient, http.Header{"Cookie": {"banli_session=" + fresh.Value}}); status != http.StatusOK {
		t.Errorf("GET /me with the new cookie = %d", status)
	}
}

func TestSessionOfDisabledUser(t *testing.T) {
	t.Parallel()
	e := setupLogin(t, loginOpts{})
	c := browser(t)
	e.mustLogin(t, c, "a", newIDPUser("u-1", "王小明", "scjg", "drafter"))
	if status, _ := e.me(t, c, nil); status != http.StatusOK {
		t.Fatalf("GET /me = %d", status)
	}
	e.exec(t, `UPDATE users SET disabled_at = now() WHERE oidc_subject = 'u-1'`)
	if status, _ := e.me(t, c, nil); status != http.StatusUnauthorized {
		t.Errorf("GET /me of a disabled user = %d, want 401", status)
	}
}

func TestRequireLogin(t *testing.T) {
	t.Parallel()
	e := setupLogin(t, loginOpts{})
	r := send(t, browser(t), http.MethodGet, e.base+"/me", nil, nil)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login?next=%2Fme" {
		t.Errorf("a browser's GET /me without login = %d to %q, want 303 to /login?next=%%2Fme", r.StatusCode, r.Header.Get("Location"))
	}
	r = send(t, browser(t), http.MethodGet, e.base+"/me", jsonHeader, nil)
	if r.StatusCode != http.StatusUnauthorized || r.Header.Get("Content-Type") != "application/problem+json" ||
		!strings.Contains(r.body, `"code":"unauthorized"`) {
		t.Errorf("an API client's GET /me without login = %d %s %s, want 401 problem+json", r.StatusCode, r.Header.Get("Content-Type"), r.body)
	}

	// Logged in, no roles: awaiting one.
	c := browser(t)
	e.mustLogin(t, c, "a", newIDPUser("u-1", "新同事", "scjg"))
	r = send(t, c, http.MethodGet, e.base+"/me", nil, nil)
	if r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "awaiting a role") {
		t.Errorf("GET /me without roles = %d, want 403 awaiting a role\n%s", r.StatusCode, r.body)
	}
	// An administrator grants one.
	e.exec(t, `INSERT INTO user_roles (user_id, role) SELECT id, 'drafter' FROM users WHERE oidc_subject = 'u-1'`)
	if status, _ := e.me(t, c, nil); status != http.StatusOK {
		t.Errorf("GET /me after a role was granted = %d", status)
	}
}

var csrfFieldRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func TestCSRF(t *testing.T) {
	t.Parallel()
	e := setupLogin(t, loginOpts{})
	c := browser(t)
	e.mustLogin(t, c, "a", newIDPUser("u-1", "王小明", "scjg", "drafter"))
	page := send(t, c, http.MethodGet, e.base+"/login", nil, nil)
	m := csrfFieldRE.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("the login page of a logged-in user has no logout form with the CSRF token:\n%s", page.body)
	}
	token := m[1]
	form := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}

	r := send(t, c, http.MethodPost, e.base+"/logout", form, strings.NewReader(""))
	if r.StatusCode != http.StatusForbidden || !strings.Contains(r.body, "CSRF") {
		t.Errorf("POST /logout without token = %d, want 403 naming CSRF\n%s", r.StatusCode, r.body)
	}
	r = send(t, c, http.MethodPost, e.base+"/logout", form, strings.NewReader("csrf_token=not-"+token))
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("POST /logout with a wrong token = %d, want 403", r.StatusCode)
	}
	r = send(t, c, http.MethodPost, e.base+"/logout", http.Header{"X-Csrf-Token": {token + "x"}}, nil)
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("POST /logout with a wrong header = %d, want 403", r.StatusCode)
	}
	if n := e.sessions(t); n != 1 {
		t.Fatalf("%d sessions after refused logouts, want 1", n)
	}
	r = send(t, c, http.MethodPost, e.base+"/logout", form, strings.NewReader(url.Values{"csrf_token": {token}}.Encode()))
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Errorf("POST /logout with the token = %d to %q, want 303 to /login", r.StatusCode, r.Header.Get("Location"))
	}
	if n := e.sessions(t); n != 0 {
		t.Errorf("%d sessions after logout", n)
	}
	if status, _ := e.me(t, c, nil); status != http.StatusUnauthorized {
		t.Errorf("GET /me after logout = %d, want 401", status)
	}

	// The header works as well as the field.
	c = browser(t)
	e.mustLogin(t, c, "a", newIDPUser("u-1", "王小明", "scjg", "drafter"))
	var csrf string
	mustOK(t, e.db.Pool.QueryRow(e.ctx, `SELECT csrf_token FROM login_sessions`).Scan(&csrf))
	r = send(t, c, http.MethodPost, e.base+"/logout", http.Header{"X-CSRF-Token": {csrf}}, nil)
	if r.StatusCode != http.StatusSeeOther || e.sessions(t) != 0 {
		t.Errorf("POST /logout with the X-CSRF-Token header = %d, %d sessions left", r.StatusCode, e.sessions(t))
	}
}

func TestLogoutAtProvider(t *testing.T) {
	t.Parallel()
	e := setupLogin(t, loginOpts{endSession: true})
	c := browser(t)
	e.mustLogin(t, c, "a", newIDPUser("u-1", "王小明", "scjg", "drafter"))
	var idToken, csrf string
	mustOK(t, e.db.Pool.QueryRow(e.ctx, `SELECT id_token, csrf_token FROM login_sessions`).Scan(&idToken, &csrf))
	if idToken == "" {
		t.Fatal("the ID token is not kept for a provider with an end_session_endpoint")
	}
	r := send(t, c, http.MethodPost, e.base+"/logout", http.Header{"X-CSRF-Token": {csrf}}, nil)
	wantStatus(t, r, http.StatusSeeOther)
	loc, err := r.Location()
	mustOK(t, err)
	q := loc.Query()
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != e.idpA.Issuer()+"/logout" ||
		q.Get("id_token_hint") != idToken || q.Get("post_logout_redirect_uri") != e.base+"/login" || q.Get("client_id") != e.idpA.ClientID {
		t.Errorf("logout goes to %s", loc)
	}
	if e.sessions(t) != 0 {
		t.Error("the session outlived the logout")
	}
	csp := r.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "form-action 'self' "+strings.TrimSuffix(e.idpA.Addr(), "/")) {
		t.Errorf("CSP %q does not let the logout form redirect to the provider", csp)
	}

	// Provider b has none: its ID tokens are not kept.
	c = browser(t)
	e.mustLogin(t, c, "b", newIDPUser("u-2", "李华", "kcj", "drafter"))
	mustOK(t, e.db.Pool.QueryRow(e.ctx, `SELECT id_token FROM login_sessions`).Scan(&idToken))
	if idToken != "" {
		t.Error("the ID token is kept for a provider without end_session_endpoint")
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	e := setupLogin(t, loginOpts{})
	for _, path := range []string{"/login", "/healthz", "/me", "/no-such-page"} {
		r := send(t, browser(t), http.MethodGet, e.base+path, nil, nil)
		h := r.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", path, h)
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS on http", path)
		}
	}

	cfg, err := config.Load(func(k string) string {
		return map[string]string{"BANLI_BASE_URL": "https://banli.example.gov.cn"}[k]
	})
	mustOK(t, err)
	rec := httptest.NewRecorder()
	web.NewServer(cfg, nil, nil).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if hsts := rec.Header().Get("Strict-Transport-Security"); !strings.HasPrefix(hsts, "max-age=") {
		t.Errorf("HSTS behind https = %q", hsts)
	}
}

// tokenFrom has idp issue tokens for user to its own client, as a machine
// client would get them, and returns the ID token and the access token.
func tokenFrom(t *testing.T, idp *mockoidc.MockOIDC, user mockoidc.User) (idToken, accessToken string) {
	t.Helper()
	cfg := oauth2.Config{ClientID: idp.ClientID, ClientSecret: idp.ClientSecret, RedirectURL: "http://127.0.0.1/callback",
		Endpoint: oauth2.Endpoint{AuthURL: idp.AuthorizationEndpoint(), TokenURL: idp.TokenEndpoint(), AuthStyle: oauth2.AuthStyleInParams},
		Scopes:   []string{"openid", "email", "profile"}}
	cb := authorize(t, browser(t), idp, user, mustParse(t, cfg.AuthCodeURL("state-of-the-machine-client")))
	tok, err := cfg.Exchange(context.Background(), cb.Query().Get("code"))
	mustOK(t, err)
	idToken, _ = tok.Extra("id_token").(string)
	return idToken, tok.AccessToken
}

func mustParse(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	mustOK(t, err)
	return u
}

func bearerHeader(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }

func TestBearer(t *testing.T) {
	t.Parallel()
	e := setupLogin(t, loginOpts{})
	// Service accounts are users an administrator created with the issuer
	// and subject of the machine client.
	svc := &workflow.User{Name: "交办系统接口", DepartmentID: e.scjg.ID, Issuer: e.idpA.Issuer(), Subject: "svc-1",
		Roles: []workflow.Role{workflow.RoleDrafter}}
	mustOK(t, e.db.CreateUser(e.ctx, svc))
	// A user of department scjg with an identity at provider b (kcj's).
	stray := &workflow.User{Name: "错配账号", DepartmentID: e.scjg.ID, Issuer: e.idpB.Issuer(), Subject: "svc-2",
		Roles: []workflow.Role{workflow.RoleDrafter}}
	mustOK(t, e.db.CreateUser(e.ctx, stray))

	idTok, accessTok := tokenFrom(t, e.idpA, newIDPUser("svc-1", "", ""))
	for name, tok := range map[string]string{"access token": accessTok, "ID token": idTok} {
		status, me := e.me(t, http.DefaultClient, bearerHeader(tok))
		if status != http.StatusOK || me.ID != svc.ID || !me.Bearer || me.Department == nil || me.Department.Code != "scjg" {
			t.Errorf("GET /me with the %s = %d %+v", name, status, me)
		}
	}
	// Bearer requests need no CSRF token, and have no session to end.
	r := send(t, browser(t), http.MethodPost, e.base+"/logout", bearerHeader(accessTok), nil)
	if r.StatusCode != http.StatusSeeOther {
		t.Errorf("POST /logout with a Bearer token = %d, want 303", r.StatusCode)
	}

	mutated := func(sub string, f func(*mockoidc.IDTokenClaims)) string {
		u := newIDPUser(sub, "", "")
		u.mutate = f
		tok, _ := tokenFrom(t, e.idpA, u)
		return tok
	}
	_, unknown := tokenFrom(t, e.idpA, newIDPUser("nobody", "", ""))
	_, strayTok := tokenFrom(t, e.idpB, newIDPUser("svc-2", "", ""))
	_, otherIssuerSameSub := tokenFrom(t, e.idpB, newIDPUser("svc-1", "", ""))
	// A token claiming provider a's issuer, signed with provider b's key.
	forged, err := e.idpB.Keypair.SignJWT(&jwt.RegisteredClaims{Issuer: e.idpA.Issuer(), Subject: "svc-1",
		Audience: jwt.ClaimStrings{e.idpA.ClientID}, ExpiresAt: jwt.NewNumericDate(time.Now().Add(time.Hour)),
		IssuedAt: jwt.NewNumericDate(time.Now())})
	mustOK(t, err)
	refusals := map[string]string{
		"unknown user":                         unknown,
		"user of another department":           strayTok,
		"same subject at another provider":     otherIssuerSameSub,
		"signed by another provider's key":     forged,
		"wrong audience":                       mutated("svc-1", func(c *mockoidc.IDTokenClaims) { c.Audience = jwt.ClaimStrings{"another-app"} }),
		"expired":                              mutated("svc-1", func(c *mockoidc.IDTokenClaims) { c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-time.Minute)) }),
		"issuer of no configured provider":     mutated("svc-1", func(c *mockoidc.IDTokenClaims) { c.Issuer = "https://idp.evil.example" }),
		"not a JWT":                            "not-a-jwt",
		"department claim of another provider": "",
	}
	u := newIDPUser("svc-1", "", "kcj") // provider a does not serve kcj
	refusals["department claim of another provider"], _ = tokenFrom(t, e.idpA, u)
	for name, tok := range refusals {
		r := send(t, http.DefaultClient, http.MethodGet, e.base+"/me", bearerHeader(tok), nil)
		if r.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s: GET /me = %d (WWW-Authenticate %q), want 401", name, r.StatusCode, r.Header.Get("WWW-Authenticate"))
		}
	}

	// A disabled service account.
	e.exec(t, `UPDATE users SET disabled_at = now() WHERE id = $1`, svc.ID)
	if status, _ := e.me(t, http.DefaultClient, bearerHeader(accessTok)); status != http.StatusUnauthorized {
		t.Errorf("GET /me as a disabled service account = %d, want 401", status)
	}
	if n := e.sessions(t); n != 0 {
		t.Errorf("Bearer requests made %d sessions", n)
	}
	if strings.Contains(e.logs.String(), accessTok) {
		t.Error("the log shows a Bearer token")
	}
}
