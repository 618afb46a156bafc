package auth_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/workflow"
)

// idp is a mockoidc provider in the test process, counting the requests
// for its discovery document.
type idp struct {
	*mockoidc.MockOIDC
	discoveries atomic.Int32
}

// otherKey is a signing key other than mockoidc's default, made once.
var otherKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

// startIDP starts a provider on ln (a new listener when nil), signing with
// key (nil: mockoidc's default key). With endSession, its discovery
// document names an end_session_endpoint, which mockoidc lacks: a
// middleware adds it.
func startIDP(t *testing.T, ln net.Listener, endSession bool, key *rsa.PrivateKey) *idp {
	t.Helper()
	m, err := mockoidc.NewServer(key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Keypair.KeyID(); err != nil { // computed lazily otherwise, racing
		t.Fatal(err)
	}
	p := &idp{MockOIDC: m}
	var mu sync.Mutex
	err = m.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock() // mockoidc's session store is a plain map
			defer mu.Unlock()
			if r.URL.Path != mockoidc.DiscoveryEndpoint {
				next.ServeHTTP(w, r)
				return
			}
			p.discoveries.Add(1)
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var doc map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			if endSession {
				doc["end_session_endpoint"] = m.Issuer() + "/logout?realm=gov"
			}
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(doc)
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if ln == nil {
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	return p
}

// config returns the configuration of a banli provider named name for
// the mockoidc provider, changed by f.
func (p *idp) config(name string, f func(*config.OIDCProvider)) config.OIDCProvider {
	c := config.OIDCProvider{Name: name, Label: name, Issuer: p.Issuer(), ClientID: p.ClientID, ClientSecret: p.ClientSecret,
		Scopes: config.DefaultOIDCScopes}
	if f != nil {
		f(&c)
	}
	return c
}

// claimsUser is a mockoidc user whose ID token carries extra claims;
// mutate, when set, changes the standard claims first.
type claimsUser struct {
	*mockoidc.MockUser
	extra  map[string]any
	mutate func(*mockoidc.IDTokenClaims)
}

func (u *claimsUser) Claims(scopes []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	if u.mutate != nil {
		u.mutate(base)
	}
	std, err := u.MockUser.Claims(scopes, base)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(std)
	if err != nil {
		return nil, err
	}
	var out jwt.MapClaims
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	for k, v := range u.extra {
		out[k] = v
	}
	return out, nil
}

func user(sub string, extra map[string]any) *claimsUser {
	return &claimsUser{MockUser: &mockoidc.MockUser{Subject: sub, Email: sub + "@example.gov.cn", PreferredUsername: sub}, extra: extra}
}

var noRedirect = &http.Client{Timeout: 10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// login goes through a login at provider p of idp m as u, the way banli's
// handlers do, and returns the verified login.
func login(t *testing.T, m *idp, p *auth.Provider, u mockoidc.User) (*auth.Login, error) {
	t.Helper()
	ctx := context.Background()
	state, nonce, verifier := auth.NewToken(), auth.NewToken(), auth.NewVerifier()
	target, err := p.AuthCodeURL(ctx, state, nonce, verifier)
	if err != nil {
		t.Fatal(err)
	}
	m.QueueUser(u)
	resp, err := noRedirect.Get(target)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		t.Fatalf("authorization: %d, %v", resp.StatusCode, err)
	}
	if loc.Query().Get("state") != state || !strings.HasPrefix(loc.String(), p.RedirectURL()) {
		t.Fatalf("provider came back to %s", loc)
	}
	return p.Exchange(ctx, loc.Query().Get("code"), verifier, nonce)
}

func wantCode(t *testing.T, err error, code workflow.ErrorCode) {
	t.Helper()
	if workflow.Code(err) != code {
		t.Fatalf("error %v, want %s", err, code)
	}
}

func TestDiscoveryIsLazyAndCached(t *testing.T) {
	t.Parallel()
	m := startIDP(t, nil, false, nil)
	ps := auth.NewProviders([]config.OIDCProvider{m.config("a", nil)}, "https://banli.example.gov.cn/", auth.Options{})
	p, ok := ps.Get("a")
	if !ok || len(ps.List()) != 1 {
		t.Fatal("provider a not found")
	}
	if p.RedirectURL() != "https://banli.example.gov.cn/auth/a/callback" {
		t.Errorf("RedirectURL = %s", p.RedirectURL())
	}
	if n := m.discoveries.Load(); n != 0 {
		t.Errorf("%d discoveries before the first use", n)
	}
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			if _, err := p.AuthCodeURL(context.Background(), "s", "n", auth.NewVerifier()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if _, err := login(t, m, p, user("u", nil)); err != nil {
		t.Fatal(err)
	}
	if n := m.discoveries.Load(); n != 1 {
		t.Errorf("%d discoveries, want 1", n)
	}
}

func TestDiscoveryTimeout(t *testing.T) {
	t.Parallel()
	// A provider that accepts connections and never answers.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var held []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	})
	ps := auth.NewProviders([]config.OIDCProvider{{Name: "hung", Issuer: "http://" + ln.Addr().String(), ClientID: "banli"}},
		"http://127.0.0.1:8080", auth.Options{DiscoveryTimeout: 200 * time.Millisecond})
	p, _ := ps.Get("hung")
	begin := time.Now()
	_, err = p.AuthCodeURL(context.Background(), "s", "n", auth.NewVerifier())
	if !errors.Is(err, auth.ErrProviderUnavailable) {
		t.Errorf("error %v, want ErrProviderUnavailable", err)
	}
	if d := time.Since(begin); d > 5*time.Second {
		t.Errorf("discovery of a hung provider took %v", d)
	}
	if p.HasEndSession(context.Background()) {
		t.Error("HasEndSession of an unreachable provider")
	}
	if _, ok := p.EndSessionURL(context.Background(), "", "http://127.0.0.1:8080/login"); ok {
		t.Error("EndSessionURL of an unreachable provider")
	}
}

func TestDiscoveryRetriesAfterFailure(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // down for now
	cfg := config.OIDCProvider{Name: "late", Issuer: "http://" + addr + "/oidc", ClientID: "x", Scopes: config.DefaultOIDCScopes}
	ps := auth.NewProviders([]config.OIDCProvider{cfg}, "http://127.0.0.1:8080", auth.Options{})
	p, _ := ps.Get("late")
	if _, err := p.AuthCodeURL(context.Background(), "s", "n", auth.NewVerifier()); !errors.Is(err, auth.ErrProviderUnavailable) {
		t.Fatalf("error %v, want ErrProviderUnavailable", err)
	}
	// The provider comes up at the same address.
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("the port was taken meanwhile: %v", err)
	}
	m := startIDP(t, ln, false, nil)
	if _, err := p.AuthCodeURL(context.Background(), "s", "n", auth.NewVerifier()); err != nil {
		t.Errorf("after the provider came up: %v", err)
	}
	if m.discoveries.Load() != 1 {
		t.Errorf("%d discoveries", m.discoveries.Load())
	}
}

func TestExchange(t *testing.T) {
	t.Parallel()
	m := startIDP(t, nil, false, nil)
	ps := auth.NewProviders([]config.OIDCProvider{m.config("a", nil)}, "http://127.0.0.1:8080", auth.Options{})
	p, _ := ps.Get("a")

	l, err := login(t, m, p, user("u-1", nil))
	if err != nil {
		t.Fatal(err)
	}
	if l.IDToken.Subject != "u-1" || l.IDToken.Issuer != m.Issuer() || l.RawIDToken == "" {
		t.Errorf("login = %+v", l.IDToken)
	}

	mutated := func(f func(*mockoidc.IDTokenClaims)) *claimsUser {
		u := user("u-1", nil)
		u.mutate = f
		return u
	}
	for name, tt := range map[string]struct {
		user *claimsUser
		want string
	}{
		"audience": {mutated(func(c *mockoidc.IDTokenClaims) { c.Audience = jwt.ClaimStrings{"x"} }), "audience"},
		"issuer":   {mutated(func(c *mockoidc.IDTokenClaims) { c.Issuer = "https://evil.example" }), "issuer"},
		"expired":  {mutated(func(c *mockoidc.IDTokenClaims) { c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-time.Second)) }), "expired"},
		"nonce":    {mutated(func(c *mockoidc.IDTokenClaims) { c.Nonce = "other" }), "nonce"},
	} {
		_, err := login(t, m, p, tt.user)
		if workflow.Code(err) != workflow.ErrUnauthorized || !strings.Contains(workflow.Message(err), tt.want) {
			t.Errorf("%s: error %v, want unauthorized naming %s", name, err, tt.want)
		}
	}

	// A code that the provider refuses; its body, which echoes the code,
	// stays out of the error.
	_, err = p.Exchange(context.Background(), "a-code-the-provider-never-issued", auth.NewVerifier(), "n")
	wantCode(t, err, workflow.ErrUnauthorized)
	if strings.Contains(err.Error(), "a-code-the-provider-never-issued") {
		t.Errorf("error %q shows the code", err)
	}
}

func TestVerifyBearer(t *testing.T) {
	t.Parallel()
	key, err := otherKey()
	if err != nil {
		t.Fatal(err)
	}
	a, b := startIDP(t, nil, false, nil), startIDP(t, nil, false, key)
	ps := auth.NewProviders([]config.OIDCProvider{
		a.config("a", nil),
		b.config("b", func(c *config.OIDCProvider) { c.APIAudience = "banli-api" }),
	}, "http://127.0.0.1:8080", auth.Options{})
	pa, _ := ps.Get("a")

	l, err := login(t, a, pa, user("svc", nil))
	if err != nil {
		t.Fatal(err)
	}
	got, err := ps.VerifyBearer(context.Background(), l.RawIDToken)
	if err != nil {
		t.Fatal(err)
	}
	if got.Provider.Config.Name != "a" || got.Token.Subject != "svc" {
		t.Errorf("VerifyBearer = %s, %s", got.Provider.Config.Name, got.Token.Subject)
	}

	sign := func(m *idp, claims jwt.MapClaims) string {
		t.Helper()
		tok, err := m.Keypair.SignJWT(claims)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	now := time.Now()
	claims := func(iss, aud string) jwt.MapClaims {
		return jwt.MapClaims{"iss": iss, "sub": "svc", "aud": aud, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
	}
	// Provider b's tokens need its API audience, not its client id.
	if _, err := ps.VerifyBearer(context.Background(), sign(b, claims(b.Issuer(), "banli-api"))); err != nil {
		t.Errorf("b's token for the API audience: %v", err)
	}
	for name, tok := range map[string]string{
		"client id instead of the API audience": sign(b, claims(b.Issuer(), b.ClientID)),
		"issuer of no provider":                 sign(a, claims("https://evil.example", a.ClientID)),
		"a's issuer, b's key":                   sign(b, claims(a.Issuer(), a.ClientID)),
		"expired": sign(a, jwt.MapClaims{"iss": a.Issuer(), "sub": "svc", "aud": a.ClientID,
			"iat": now.Add(-2 * time.Hour).Unix(), "exp": now.Add(-time.Hour).Unix()}),
		"no issuer":        sign(a, jwt.MapClaims{"sub": "svc", "aud": a.ClientID, "exp": now.Add(time.Hour).Unix()}),
		"not a JWT":        "abc.def",
		"payload not JSON": "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln",
		"too long":         strings.Repeat("a", 20000),
	} {
		if _, err := ps.VerifyBearer(context.Background(), tok); workflow.Code(err) != workflow.ErrUnauthorized {
			t.Errorf("%s: error %v, want unauthorized", name, err)
		}
	}
}

func TestEndSessionURL(t *testing.T) {
	t.Parallel()
	with, without := startIDP(t, nil, true, nil), startIDP(t, nil, false, nil)
	ps := auth.NewProviders([]config.OIDCProvider{with.config("with", nil), without.config("without", nil)},
		"http://127.0.0.1:8080", auth.Options{})
	p, _ := ps.Get("with")
	if !p.HasEndSession(context.Background()) {
		t.Fatal("HasEndSession = false")
	}
	got, ok := p.EndSessionURL(context.Background(), "the-id-token", "http://127.0.0.1:8080/login")
	if !ok {
		t.Fatal("no end session URL")
	}
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Path != "/oidc/logout" || q.Get("realm") != "gov" || q.Get("id_token_hint") != "the-id-token" ||
		q.Get("client_id") != with.ClientID || q.Get("post_logout_redirect_uri") != "http://127.0.0.1:8080/login" {
		t.Errorf("EndSessionURL = %s", got)
	}
	p, _ = ps.Get("without")
	if p.HasEndSession(context.Background()) {
		t.Error("HasEndSession of a provider without end_session_endpoint")
	}
	if _, ok := p.EndSessionURL(context.Background(), "t", "x"); ok {
		t.Error("EndSessionURL of a provider without end_session_endpoint")
	}
}
