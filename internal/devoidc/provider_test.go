package devoidc

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-chi/chi/v5"
	"golang.org/x/oauth2"
)

const (
	testClientID     = "banli"
	testClientSecret = "banli-test-secret"
)

var testUsers = []User{
	{Subject: "scjg.drafter", Name: "王晓燕", Email: "scjg.drafter@example.org", Department: "scjg", DepartmentName: "武汉市市场监督管理局", Roles: []string{"drafter"}},
	{Subject: "scjg.reviewer", Name: "陈志强", Email: "scjg.reviewer@example.org", Department: "scjg", DepartmentName: "武汉市市场监督管理局", Roles: []string{"reviewer"}},
	{Subject: "kcj.approver", Name: "周永红", Email: "kcj.approver@example.org", Department: "kcj", DepartmentName: "武汉市科技创新局", Roles: []string{"approver"}},
	{Subject: "dcs.liaison", Name: "李红梅", Email: "dcs.liaison@example.org", Department: "dcs", DepartmentName: "武汉市人民政府办公厅督查室", Roles: []string{"liaison", "admin"}},
}

// bundle is one provider behind a test server, and a relying party for it.
type bundle struct {
	provider    *Provider
	server      *httptest.Server
	issuer      string
	redirectURI string
	logoutURI   string
	rp          *oidc.Provider
	http        *http.Client // follows no redirects
}

func setup(t *testing.T) *bundle {
	t.Helper()
	server := httptest.NewUnstartedServer(nil)
	base := "http://" + server.Listener.Addr().String()
	b := &bundle{
		server:      server,
		issuer:      base + "/devoidc",
		redirectURI: base + "/auth/dev/callback",
		logoutURI:   base + "/login",
		http: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}},
	}
	p, err := New(Options{
		Issuer: b.issuer,
		Users:  testUsers,
		Clients: []Client{{
			ID:                     testClientID,
			Secret:                 testClientSecret,
			RedirectURIs:           []string{b.redirectURI},
			PostLogoutRedirectURIs: []string{b.logoutURI},
		}},
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	b.provider = p
	router := chi.NewRouter()
	router.Mount("/devoidc", p.Handler())
	server.Config.Handler = router
	server.Start()
	t.Cleanup(server.Close)

	b.rp, err = oidc.NewProvider(t.Context(), b.issuer)
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	return b
}

func (b *bundle) oauth2Config(style oauth2.AuthStyle, secret string) *oauth2.Config {
	endpoint := b.rp.Endpoint()
	endpoint.AuthStyle = style
	return &oauth2.Config{
		ClientID:     testClientID,
		ClientSecret: secret,
		Endpoint:     endpoint,
		RedirectURL:  b.redirectURI,
		Scopes:       []string{oidc.ScopeOpenID, "profile", "email"},
	}
}

func randomString(t *testing.T) string {
	t.Helper()
	buf := make([]byte, 16)
	if _, err := rand.Read(buf); err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(buf)
}

// get fetches a URL without following redirects.
func (b *bundle) get(t *testing.T, u string) (*http.Response, string) {
	t.Helper()
	resp, err := b.http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	return readBody(t, resp)
}

func (b *bundle) postForm(t *testing.T, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := b.http.PostForm(u, form)
	if err != nil {
		t.Fatalf("POST %s: %v", u, err)
	}
	return readBody(t, resp)
}

func readBody(t *testing.T, resp *http.Response) (*http.Response, string) {
	t.Helper()
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func location(t *testing.T, resp *http.Response, wantStatus int) *url.URL {
	t.Helper()
	if resp.StatusCode != wantStatus {
		t.Fatalf("status %d, want %d", resp.StatusCode, wantStatus)
	}
	u, err := resp.Location()
	if err != nil {
		t.Fatalf("Location: %v", err)
	}
	return u
}

// login is a browser's part: from the authorization URL through the login page to the
// redirect back to the client. It returns the redirect URI's query.
func (b *bundle) login(t *testing.T, authURL, subject string) url.Values {
	t.Helper()
	loginURL := location(t, first(b.get(t, authURL)), http.StatusFound)
	if got := loginURL.Scheme + "://" + loginURL.Host + loginURL.Path; got != b.issuer+"/login" {
		t.Fatalf("authorization endpoint redirects to %s, want the login page", loginURL)
	}
	resp, page := b.get(t, loginURL.String())
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login page: status %d: %s", resp.StatusCode, page)
	}
	callback := location(t, first(b.postForm(t, b.issuer+"/login", url.Values{
		"authRequestID": {loginURL.Query().Get("authRequestID")},
		"user":          {subject},
	})), http.StatusSeeOther)
	back := location(t, first(b.get(t, callback.String())), http.StatusFound)
	if got := back.Scheme + "://" + back.Host + back.Path; got != b.redirectURI {
		t.Fatalf("redirected to %s, want %s", back, b.redirectURI)
	}
	return back.Query()
}

func first(resp *http.Response, _ string) *http.Response { return resp }

type claims struct {
	Name              string   `json:"name"`
	PreferredUsername string   `json:"preferred_username"`
	Email             string   `json:"email"`
	Department        string   `json:"department"`
	Roles             []string `json:"roles"`
}

func TestLogin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		style oauth2.AuthStyle
		user  User
	}{
		{"client_secret_basic", oauth2.AuthStyleInHeader, testUsers[0]},
		{"client_secret_post", oauth2.AuthStyleInParams, testUsers[3]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			ctx := t.Context()
			cfg := b.oauth2Config(tt.style, testClientSecret)
			state, nonce, verifier := randomString(t), randomString(t), oauth2.GenerateVerifier()
			authURL := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce))

			back := b.login(t, authURL, tt.user.Subject)
			if back.Get("state") != state {
				t.Fatalf("state %q, want %q", back.Get("state"), state)
			}
			code := back.Get("code")
			if code == "" {
				t.Fatalf("no code in %v", back)
			}

			token, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
			if err != nil {
				t.Fatalf("Exchange: %v", err)
			}
			rawIDToken, _ := token.Extra("id_token").(string)
			idToken, err := b.rp.Verifier(&oidc.Config{ClientID: testClientID}).Verify(ctx, rawIDToken)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if idToken.Issuer != b.issuer || !slices.Contains(idToken.Audience, testClientID) {
				t.Errorf("iss %q aud %v, want %q and %q", idToken.Issuer, idToken.Audience, b.issuer, testClientID)
			}
			if idToken.Subject != tt.user.Subject {
				t.Errorf("sub %q, want %q", idToken.Subject, tt.user.Subject)
			}
			if idToken.Nonce != nonce { // go-oidc leaves the nonce to the relying party
				t.Errorf("nonce %q, want %q", idToken.Nonce, nonce)
			}
			if err := idToken.VerifyAccessToken(token.AccessToken); err != nil {
				t.Errorf("at_hash: %v", err)
			}
			alg, err := jwtAlg(rawIDToken)
			if err != nil || alg != "RS256" {
				t.Errorf("alg %q (%v), want RS256", alg, err)
			}
			var got claims
			if err := idToken.Claims(&got); err != nil {
				t.Fatal(err)
			}
			want := claims{tt.user.Name, tt.user.Subject, tt.user.Email, tt.user.Department, tt.user.Roles}
			if !equalClaims(got, want) {
				t.Errorf("ID token claims %+v, want %+v", got, want)
			}

			info, err := b.rp.UserInfo(ctx, oauth2.StaticTokenSource(token))
			if err != nil {
				t.Fatalf("UserInfo: %v", err)
			}
			var gotInfo claims
			if err := info.Claims(&gotInfo); err != nil {
				t.Fatal(err)
			}
			if info.Subject != tt.user.Subject || !equalClaims(gotInfo, want) {
				t.Errorf("userinfo sub %q claims %+v, want %q %+v", info.Subject, gotInfo, tt.user.Subject, want)
			}

			// The code is single-use.
			_, err = cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
			assertOAuthError(t, err, "invalid_grant")
		})
	}
}

func equalClaims(a, b claims) bool {
	return a.Name == b.Name && a.PreferredUsername == b.PreferredUsername && a.Email == b.Email &&
		a.Department == b.Department && slices.Equal(a.Roles, b.Roles)
}

func jwtAlg(raw string) (string, error) {
	header, _, ok := strings.Cut(raw, ".")
	if !ok {
		return "", errors.New("not a JWT")
	}
	b, err := base64.RawURLEncoding.DecodeString(header)
	if err != nil {
		return "", err
	}
	_, rest, ok := strings.Cut(string(b), `"alg":"`)
	if !ok {
		return "", errors.New("no alg")
	}
	alg, _, _ := strings.Cut(rest, `"`)
	return alg, nil
}

func assertOAuthError(t *testing.T, err error, code string) {
	t.Helper()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		t.Fatalf("error %v, want an OAuth error %q", err, code)
	}
	if re.ErrorCode != code {
		t.Fatalf("error code %q (%v), want %q", re.ErrorCode, err, code)
	}
}

func TestLoginPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	cfg := b.oauth2Config(oauth2.AuthStyleInHeader, testClientSecret)
	authURL := cfg.AuthCodeURL("state", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))
	loginURL := location(t, first(b.get(t, authURL)), http.StatusFound)
	resp, page := b.get(t, loginURL.String())
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{
		`lang="zh-CN"`, "开发用身份提供方", "Development identity provider", "127.0.0.1",
		"武汉市市场监督管理局", "武汉市科技创新局", "武汉市人民政府办公厅督查室",
		"王晓燕", "陈志强", "周永红", "李红梅", "scjg.drafter", "dcs.liaison",
		"承办人", "审核人", "签发人", "督办人员", "系统管理员",
		`name="authRequestID" value="` + loginURL.Query().Get("authRequestID") + `"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("login page lacks %q", want)
		}
	}
	// Users are grouped by unit, in the given order.
	if i, j := strings.Index(page, "武汉市市场监督管理局"), strings.Index(page, "武汉市科技创新局"); i > j {
		t.Errorf("units out of order")
	}
	if strings.Count(page, "武汉市市场监督管理局") != 1 {
		t.Errorf("the unit scjg is listed more than once")
	}
	if got := resp.Header.Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("X-Frame-Options %q", got)
	}

	id := loginURL.Query().Get("authRequestID")
	if resp, _ := b.postForm(t, b.issuer+"/login", url.Values{"authRequestID": {id}, "user": {"nobody"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown user: status %d", resp.StatusCode)
	}
	if resp, _ := b.postForm(t, b.issuer+"/login", url.Values{"authRequestID": {"forged"}, "user": {"scjg.drafter"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown auth request: status %d", resp.StatusCode)
	}
	if resp, _ := b.postForm(t, b.issuer+"/login", url.Values{"authRequestID": {id}, "user": {"scjg.drafter"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: status %d", resp.StatusCode)
	}
	// The auth request is single-use: neither the page nor a second login works again.
	if resp, _ := b.postForm(t, b.issuer+"/login", url.Values{"authRequestID": {id}, "user": {"kcj.approver"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("second login: status %d", resp.StatusCode)
	}
	if resp, _ := b.get(t, loginURL.String()); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("page of a used request: status %d", resp.StatusCode)
	}
}

func TestTokenRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		secret   string
		verifier func(string) string
		want     string
	}{
		{"wrong client secret", "wrong", func(v string) string { return v }, "invalid_client"},
		{"wrong PKCE verifier", testClientSecret, func(string) string { return oauth2.GenerateVerifier() }, "invalid_grant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			verifier := oauth2.GenerateVerifier()
			good := b.oauth2Config(oauth2.AuthStyleInHeader, testClientSecret)
			back := b.login(t, good.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)), "scjg.drafter")
			cfg := b.oauth2Config(oauth2.AuthStyleInHeader, tt.secret)
			_, err := cfg.Exchange(t.Context(), back.Get("code"), oauth2.VerifierOption(tt.verifier(verifier)))
			assertOAuthError(t, err, tt.want)
		})
	}
}

func TestAuthorizeRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	challenge := oauth2.S256ChallengeFromVerifier(oauth2.GenerateVerifier())
	authURL := func(edit func(url.Values)) string {
		q := url.Values{
			"client_id":             {testClientID},
			"redirect_uri":          {b.redirectURI},
			"response_type":         {"code"},
			"scope":                 {"openid profile"},
			"state":                 {"st"},
			"code_challenge":        {challenge},
			"code_challenge_method": {"S256"},
		}
		edit(q)
		return b.rp.Endpoint().AuthURL + "?" + q.Encode()
	}

	// Refused without a redirect: the redirect URI cannot be trusted.
	for name, edit := range map[string]func(url.Values){
		"unregistered redirect_uri":  func(q url.Values) { q.Set("redirect_uri", "http://evil.example/callback") },
		"redirect_uri with a suffix": func(q url.Values) { q.Set("redirect_uri", b.redirectURI+"/more") },
		"unknown client":             func(q url.Values) { q.Set("client_id", "someone") },
		"implicit flow over http":    func(q url.Values) { q.Set("response_type", "id_token") },
	} {
		resp, _ := b.get(t, authURL(edit))
		if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
			t.Errorf("%s: status %d, Location %q; want 400 and no redirect", name, resp.StatusCode, resp.Header.Get("Location"))
		}
	}

	// Refused with an error sent back to the (registered) redirect URI.
	for name, edit := range map[string]func(url.Values){
		"no PKCE":     func(q url.Values) { q.Del("code_challenge"); q.Del("code_challenge_method") },
		"plain PKCE":  func(q url.Values) { q.Set("code_challenge_method", "plain") },
		"prompt none": func(q url.Values) { q.Set("prompt", "none") },
	} {
		resp, _ := b.get(t, authURL(edit))
		u := location(t, resp, http.StatusFound)
		if !strings.HasPrefix(u.String(), b.redirectURI+"?") || u.Query().Get("error") == "" || u.Query().Get("state") != "st" {
			t.Errorf("%s: redirected to %s, want an error at the redirect URI", name, u)
		}
	}
}

func TestEndSession(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	cfg := b.oauth2Config(oauth2.AuthStyleInHeader, testClientSecret)
	verifier := oauth2.GenerateVerifier()
	back := b.login(t, cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)), "kcj.approver")
	token, err := cfg.Exchange(ctx, back.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	rawIDToken, _ := token.Extra("id_token").(string)

	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := b.rp.Claims(&meta); err != nil || meta.EndSession != b.issuer+"/end_session" {
		t.Fatalf("end_session_endpoint %q (%v)", meta.EndSession, err)
	}
	endSession := func(postLogout string) *http.Response {
		q := url.Values{"id_token_hint": {rawIDToken}, "post_logout_redirect_uri": {postLogout}, "state": {"bye"}}
		resp, _ := b.get(t, meta.EndSession+"?"+q.Encode())
		return resp
	}

	if resp := endSession("http://evil.example/"); resp.StatusCode == http.StatusFound {
		t.Errorf("unregistered post_logout_redirect_uri: redirected to %s", resp.Header.Get("Location"))
	}
	u := location(t, endSession(b.logoutURI), http.StatusFound)
	if u.String() != b.logoutURI+"?state=bye" {
		t.Errorf("end_session redirects to %s, want %s?state=bye", u, b.logoutURI)
	}
	// The session's access token is revoked.
	if _, err := b.rp.UserInfo(ctx, oauth2.StaticTokenSource(token)); err == nil {
		t.Errorf("userinfo still answers after end_session")
	}
}

func TestDiscovery(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var meta struct {
		Issuer          string   `json:"issuer"`
		JWKS            string   `json:"jwks_uri"`
		Userinfo        string   `json:"userinfo_endpoint"`
		AuthMethods     []string `json:"token_endpoint_auth_methods_supported"`
		PKCEMethods     []string `json:"code_challenge_methods_supported"`
		SigningAlgs     []string `json:"id_token_signing_alg_values_supported"`
		ClaimsSupported []string `json:"claims_supported"`
	}
	if err := b.rp.Claims(&meta); err != nil {
		t.Fatal(err)
	}
	if meta.Issuer != b.issuer || meta.JWKS != b.issuer+"/keys" || meta.Userinfo != b.issuer+"/userinfo" {
		t.Errorf("endpoints %+v", meta)
	}
	for _, c := range []struct {
		list []string
		want string
	}{
		{meta.AuthMethods, "client_secret_basic"}, {meta.AuthMethods, "client_secret_post"},
		{meta.PKCEMethods, "S256"}, {meta.SigningAlgs, "RS256"},
		{meta.ClaimsSupported, "department"}, {meta.ClaimsSupported, "roles"},
	} {
		if !slices.Contains(c.list, c.want) {
			t.Errorf("discovery lacks %q in %v", c.want, c.list)
		}
	}
}

// TestHandlerMounts serves the provider in the ways Handler documents.
func TestHandlerMounts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		path  string // the issuer's path
		mount func(http.Handler) http.Handler
	}{
		{"chi Mount", "/devoidc", func(h http.Handler) http.Handler {
			r := chi.NewRouter()
			r.Mount("/devoidc", h)
			return r
		}},
		{"StripPrefix", "/devoidc", func(h http.Handler) http.Handler {
			mux := http.NewServeMux()
			mux.Handle("/devoidc/", http.StripPrefix("/devoidc", h))
			return mux
		}},
		{"own server", "/devoidc", func(h http.Handler) http.Handler { return h }},
		{"root issuer", "", func(h http.Handler) http.Handler { return h }},
		{"nested chi", "/dev/oidc", func(h http.Handler) http.Handler {
			r := chi.NewRouter()
			r.Route("/dev", func(r chi.Router) { r.Mount("/oidc", h) })
			return r
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			server := httptest.NewUnstartedServer(nil)
			issuer := "http://" + server.Listener.Addr().String() + tt.path
			p, err := New(Options{Issuer: issuer + "/", Users: testUsers, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			if p.Issuer() != issuer {
				t.Errorf("Issuer() = %q, want %q", p.Issuer(), issuer)
			}
			server.Config.Handler = tt.mount(p.Handler())
			server.Start()
			defer server.Close()
			rp, err := oidc.NewProvider(context.Background(), issuer)
			if err != nil {
				t.Fatalf("discovery: %v", err)
			}
			resp, err := http.Get(rp.Endpoint().AuthURL + "?client_id=x")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest { // routed to the provider, which refuses it
				t.Errorf("authorization endpoint: status %d", resp.StatusCode)
			}
			resp, err = http.Get(issuer + "/keys")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("keys: status %d", resp.StatusCode)
			}
		})
	}
}

func TestNewRefuses(t *testing.T) {
	t.Parallel()
	good := Client{ID: "banli", Secret: "s", RedirectURIs: []string{"http://127.0.0.1:8080/cb"}}
	tests := []struct {
		name string
		opts Options
	}{
		{"no issuer", Options{}},
		{"relative issuer", Options{Issuer: "/devoidc"}},
		{"ftp issuer", Options{Issuer: "ftp://127.0.0.1/devoidc"}},
		{"issuer with a query", Options{Issuer: "http://127.0.0.1/devoidc?x=1"}},
		{"user without subject", Options{Issuer: "http://127.0.0.1", Users: []User{{Name: "x"}}}},
		{"user twice", Options{Issuer: "http://127.0.0.1", Users: []User{{Subject: "a"}, {Subject: "a"}}}},
		{"client without ID", Options{Issuer: "http://127.0.0.1", Clients: []Client{{Secret: "s", RedirectURIs: good.RedirectURIs}}}},
		{"client without secret", Options{Issuer: "http://127.0.0.1", Clients: []Client{{ID: "c", RedirectURIs: good.RedirectURIs}}}},
		{"client without redirect URI", Options{Issuer: "http://127.0.0.1", Clients: []Client{{ID: "c", Secret: "s"}}}},
		{"relative redirect URI", Options{Issuer: "http://127.0.0.1", Clients: []Client{{ID: "c", Secret: "s", RedirectURIs: []string{"/cb"}}}}},
		{"client twice", Options{Issuer: "http://127.0.0.1", Clients: []Client{good, good}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.opts.Logger = slog.New(slog.DiscardHandler)
			if _, err := New(tt.opts); err == nil {
				t.Errorf("New accepted %+v", tt.opts)
			}
		})
	}
}

func TestIntrospectAndRevoke(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	cfg := b.oauth2Config(oauth2.AuthStyleInHeader, testClientSecret)
	verifier := oauth2.GenerateVerifier()
	back := b.login(t, cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)), "dcs.liaison")
	token, err := cfg.Exchange(ctx, back.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	post := func(endpoint string) (*http.Response, string) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint,
			strings.NewReader(url.Values{"token": {token.AccessToken}}.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(testClientID, testClientSecret)
		resp, err := b.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return readBody(t, resp)
	}

	resp, body := post(b.issuer + "/oauth/introspect")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"active":true`) || !strings.Contains(body, `"department":"dcs"`) {
		t.Errorf("introspection: status %d: %s", resp.StatusCode, body)
	}
	if resp, body := post(b.issuer + "/revoke"); resp.StatusCode != http.StatusOK {
		t.Errorf("revocation: status %d: %s", resp.StatusCode, body)
	}
	if _, err := b.rp.UserInfo(ctx, oauth2.StaticTokenSource(token)); err == nil {
		t.Errorf("userinfo answers for a revoked token")
	}
	if _, body := post(b.issuer + "/oauth/introspect"); !strings.Contains(body, `"active":false`) {
		t.Errorf("introspection of a revoked token: %s", body)
	}
}

func TestExpiry(t *testing.T) {
	t.Parallel()
	b := setup(t)
	cfg := b.oauth2Config(oauth2.AuthStyleInHeader, testClientSecret)
	loginURL := location(t, first(b.get(t, cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))), http.StatusFound)
	id := loginURL.Query().Get("authRequestID")

	store := b.provider.store
	store.mu.Lock()
	store.authRequests[id].created = time.Now().Add(-authRequestLifetime - time.Second)
	store.mu.Unlock()
	if resp, _ := b.get(t, loginURL.String()); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("page of an expired request: status %d", resp.StatusCode)
	}
	// The next request sweeps the expired one away.
	b.get(t, cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
	store.mu.Lock()
	_, kept := store.authRequests[id]
	store.mu.Unlock()
	if kept {
		t.Errorf("an expired auth request was kept")
	}
}

func TestLoggedOutPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	// Without a client, end_session goes to the provider's own page.
	u := location(t, first(b.get(t, b.issuer+"/end_session")), http.StatusFound)
	resp, page := b.get(t, u.String())
	if u.String() != b.issuer+"/logged-out" || resp.StatusCode != http.StatusOK || !strings.Contains(page, "已退出登录") {
		t.Errorf("end_session without a client: %s, status %d", u, resp.StatusCode)
	}
}
