package auth

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/workflow"
)

// Defaults of Options.
const (
	// DefaultDiscoveryTimeout bounds the fetch of a provider's discovery
	// document: a provider that is down makes its own login fail after
	// this long, and nothing else waits for it.
	DefaultDiscoveryTimeout = 10 * time.Second
	// DefaultHTTPTimeout bounds every other request to a provider: the code
	// exchange and its signing keys.
	DefaultHTTPTimeout = 15 * time.Second
)

// ErrProviderUnavailable is wrapped by the errors of a provider that cannot
// be reached or whose discovery document is wrong; the web layer answers
// 503 for it.
var ErrProviderUnavailable = errors.New("identity provider unavailable")

// Options tune Providers; the zero value is the defaults.
type Options struct {
	// HTTPClient makes the requests to the providers (default: a client
	// with DefaultHTTPTimeout).
	HTTPClient *http.Client
	// DiscoveryTimeout bounds discovery (default DefaultDiscoveryTimeout).
	DiscoveryTimeout time.Duration
	// Logger receives what an administrator should know, such as roles a
	// token claims that banli ignores (default: discard).
	Logger *slog.Logger
}

// Providers are the configured identity providers.
type Providers struct {
	list     []*Provider
	byName   map[string]*Provider
	byIssuer map[string]*Provider
}

// NewProviders returns the providers of cfgs, whose callbacks are at
// baseURL + "/auth/{name}/callback". It does not contact them: each is
// discovered at its first use and cached, so that a provider that is down
// delays neither the start of banli nor the logins through the others.
func NewProviders(cfgs []config.OIDCProvider, baseURL string, opts Options) *Providers {
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: DefaultHTTPTimeout}
	}
	if opts.DiscoveryTimeout <= 0 {
		opts.DiscoveryTimeout = DefaultDiscoveryTimeout
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	ps := &Providers{byName: map[string]*Provider{}, byIssuer: map[string]*Provider{}}
	for _, c := range cfgs {
		p := &Provider{
			Config:      c,
			redirectURL: strings.TrimRight(baseURL, "/") + "/auth/" + url.PathEscape(c.Name) + "/callback",
			opts:        opts,
		}
		ps.list = append(ps.list, p)
		ps.byName[c.Name] = p
		ps.byIssuer[c.Issuer] = p
	}
	return ps
}

// List returns the providers in the order of the configuration.
func (ps *Providers) List() []*Provider { return ps.list }

// Get returns the provider with that name.
func (ps *Providers) Get(name string) (*Provider, bool) {
	p, ok := ps.byName[name]
	return p, ok
}

// Provider is one configured identity provider.
type Provider struct {
	// Config is the provider's configuration.
	Config      config.OIDCProvider
	redirectURL string
	opts        Options

	mu sync.Mutex // held during discovery: concurrent first uses share one
	d  *discovered
}

// discovered is what a provider's discovery document gives.
type discovered struct {
	oauth2     oauth2.Config
	login      *oidc.IDTokenVerifier // audience: the client id
	bearer     *oidc.IDTokenVerifier // audience: the API audience
	endSession string
}

// RedirectURL is banli's callback for this provider, to register at it.
func (p *Provider) RedirectURL() string { return p.redirectURL }

// clientContext returns ctx carrying the HTTP client for go-oidc and oauth2.
func (p *Provider) clientContext(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, p.opts.HTTPClient)
}

// discover fetches the provider's discovery document once; a failure is
// not cached, so the next use tries again.
func (p *Provider) discover(ctx context.Context) (*discovered, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.d != nil {
		return p.d, nil
	}
	ctx, cancel := context.WithTimeout(ctx, p.opts.DiscoveryTimeout)
	defer cancel()
	op, err := oidc.NewProvider(p.clientContext(ctx), p.Config.Issuer)
	if err != nil {
		return nil, fmt.Errorf("%w: %s (%s): %v", ErrProviderUnavailable, p.Config.Name, p.Config.Issuer, err)
	}
	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := op.Claims(&meta); err != nil {
		return nil, fmt.Errorf("%w: %s: discovery document: %v", ErrProviderUnavailable, p.Config.Name, err)
	}
	p.d = &discovered{
		oauth2: oauth2.Config{
			ClientID:     p.Config.ClientID,
			ClientSecret: p.Config.ClientSecret,
			Endpoint:     op.Endpoint(),
			RedirectURL:  p.redirectURL,
			Scopes:       p.Config.Scopes,
		},
		login:      op.Verifier(&oidc.Config{ClientID: p.Config.ClientID}),
		bearer:     op.Verifier(&oidc.Config{ClientID: p.Config.BearerAudience()}),
		endSession: meta.EndSession,
	}
	return p.d, nil
}

// AuthCodeURL returns where to send the browser to log in: the provider's
// authorization endpoint with state, nonce and the PKCE S256 challenge of
// verifier.
func (p *Provider) AuthCodeURL(ctx context.Context, state, nonce, verifier string) (string, error) {
	d, err := p.discover(ctx)
	if err != nil {
		return "", err
	}
	return d.oauth2.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), nil
}

// Login is a verified login: the ID token and its raw form.
type Login struct {
	IDToken    *oidc.IDToken
	RawIDToken string
}

// Exchange trades the code of the callback for tokens (with the PKCE
// verifier), and verifies the ID token: signature, issuer, audience (the
// client id), expiry, and that it carries nonce, which go-oidc leaves to
// its caller. Its errors are unauthorized (or wrap ErrProviderUnavailable)
// and their messages are safe to show; the technical cause follows in
// Error(), for the log, never with a token or code.
func (p *Provider) Exchange(ctx context.Context, code, verifier, nonce string) (*Login, error) {
	d, err := p.discover(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, DefaultHTTPTimeout)
	defer cancel()
	tok, err := d.oauth2.Exchange(p.clientContext(ctx), code, oauth2.VerifierOption(verifier))
	if err != nil {
		// A RetrieveError's body may echo the code: only its error code is kept.
		var re *oauth2.RetrieveError
		cause := "no answer"
		if errors.As(err, &re) {
			cause = fmt.Sprintf("token endpoint answered %d %s", re.Response.StatusCode, re.ErrorCode)
		} else if errors.Is(err, context.DeadlineExceeded) {
			cause = "token endpoint timed out"
		}
		return nil, unauthorized("身份认证平台拒绝了登录授权码 / the identity provider did not accept the login code", cause)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return nil, unauthorized("身份认证平台未返回 ID 令牌 / the identity provider sent no ID token", "no id_token in the token response")
	}
	idt, err := d.login.Verify(ctx, raw)
	if err != nil {
		return nil, verifyError(err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 || nonce == "" {
		return nil, unauthorized("ID 令牌的 nonce 不符 / the ID token's nonce does not match this login", "nonce mismatch")
	}
	return &Login{IDToken: idt, RawIDToken: raw}, nil
}

// verifyBearer verifies a Bearer JWT of this provider: signature, issuer,
// audience (the API audience) and expiry.
func (p *Provider) verifyBearer(ctx context.Context, raw string) (*oidc.IDToken, error) {
	d, err := p.discover(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, DefaultHTTPTimeout)
	defer cancel()
	idt, err := d.bearer.Verify(ctx, raw)
	if err != nil {
		return nil, verifyError(err)
	}
	return idt, nil
}

// HasEndSession reports whether the provider supports RP-initiated logout
// (its discovery document has an end_session_endpoint); false when it
// cannot be discovered.
func (p *Provider) HasEndSession(ctx context.Context) bool {
	d, err := p.discover(ctx)
	return err == nil && d.endSession != ""
}

// EndSessionURL returns the provider's end_session_endpoint with
// id_token_hint (when not empty), client_id and post_logout_redirect_uri,
// and false when the provider has none or cannot be reached.
func (p *Provider) EndSessionURL(ctx context.Context, idTokenHint, postLogoutRedirect string) (string, bool) {
	d, err := p.discover(ctx)
	if err != nil || d.endSession == "" {
		return "", false
	}
	u, err := url.Parse(d.endSession)
	if err != nil {
		return "", false
	}
	q := u.Query()
	if idTokenHint != "" {
		q.Set("id_token_hint", idTokenHint)
	}
	q.Set("client_id", p.Config.ClientID)
	q.Set("post_logout_redirect_uri", postLogoutRedirect)
	u.RawQuery = q.Encode()
	return u.String(), true
}

// Bearer is a verified Bearer token.
type Bearer struct {
	Provider *Provider
	Token    *oidc.IDToken
}

// maxBearerLen bounds the tokens banli parses at all.
const maxBearerLen = 16 << 10

// VerifyBearer verifies a Bearer JWT: the provider is picked by the
// token's unverified iss claim, then the token is verified against that
// provider's keys, issuer, API audience and expiry. A token of no
// configured provider is unauthorized.
func (ps *Providers) VerifyBearer(ctx context.Context, raw string) (*Bearer, error) {
	if len(raw) > maxBearerLen {
		return nil, unauthorized("Bearer 令牌无效 / invalid Bearer token", "token too long")
	}
	iss, err := unverifiedIssuer(raw)
	if err != nil {
		return nil, unauthorized("Bearer 令牌无效 / invalid Bearer token", err.Error())
	}
	p, ok := ps.byIssuer[iss]
	if !ok {
		return nil, unauthorized("Bearer 令牌的签发者未配置 / the Bearer token's issuer is not a configured identity provider",
			fmt.Sprintf("issuer %q", iss))
	}
	idt, err := p.verifyBearer(ctx, raw)
	if err != nil {
		return nil, err
	}
	return &Bearer{Provider: p, Token: idt}, nil
}

// unverifiedIssuer reads the iss claim of a JWT without verifying it: only
// to choose the provider that will.
func unverifiedIssuer(raw string) (string, error) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return "", errors.New("not a JWT")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", errors.New("JWT payload is not base64url")
	}
	var claims struct {
		Iss string `json:"iss"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil || claims.Iss == "" {
		return "", errors.New("JWT without iss claim")
	}
	return claims.Iss, nil
}

// verifyError turns a go-oidc verification error into an unauthorized
// error that says which check failed. go-oidc's messages name issuers,
// audiences and times, never the token.
func verifyError(err error) error {
	var expired *oidc.TokenExpiredError
	msg := err.Error()
	switch {
	case errors.As(err, &expired):
		return unauthorized("令牌已过期 / the token has expired", msg)
	case strings.Contains(msg, "expected audience"):
		return unauthorized("令牌不是签发给本系统的 / the token was issued for another application (audience)", msg)
	case strings.Contains(msg, "issued by a different provider"):
		return unauthorized("令牌的签发者不符 / the token was issued by another identity provider (issuer)", msg)
	case strings.Contains(msg, "signature"):
		return unauthorized("令牌签名无效 / the token's signature is invalid", msg)
	default:
		return unauthorized("令牌无效 / the token is invalid", msg)
	}
}

// unauthorized returns an unauthorized error whose message is msg and
// whose Error() adds the technical cause for the log.
func unauthorized(msg, cause string) error {
	return fmt.Errorf("%w (%s)", workflow.Errorf(workflow.ErrUnauthorized, "%s", msg), cause)
}
