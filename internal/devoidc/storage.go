package devoidc

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// Parts of this file follow zitadel/oidc's example storage (example/server/storage,
// Apache-2.0), cut down to what a development provider needs.

const (
	authRequestLifetime = 10 * time.Minute
	codeLifetime        = 2 * time.Minute
	accessTokenLifetime = 15 * time.Minute

	claimDepartment = "department"
	claimRoles      = "roles"
)

var (
	errNotFound          = errors.New("not found or expired")
	errWrongClientSecret = errors.New("unknown client or wrong client secret")
	errNotSupported      = errors.New("not supported by the development provider")
	errUnknownUser       = errors.New("no such demo user")
)

// storage is the in-memory op.Storage: users and clients are fixed at start; auth
// requests, codes and access tokens live until they expire or are used.
type storage struct {
	users   map[string]*User
	order   []string // the users' subjects in the order of Options.Users
	clients map[string]*client
	key     signingKey

	mu           sync.Mutex
	authRequests map[string]*authRequest
	codes        map[string]codeEntry
	tokens       map[string]*accessToken
}

type codeEntry struct {
	authRequestID string
	expires       time.Time
}

type accessToken struct {
	id       string
	clientID string
	subject  string
	scopes   []string
	expires  time.Time
}

var (
	_ op.Storage                   = (*storage)(nil)
	_ op.CanSetUserinfoFromRequest = (*storage)(nil)
)

func newStorage(users map[string]*User, order []string, clients map[string]*client, key signingKey) *storage {
	return &storage{
		users:        users,
		order:        order,
		clients:      clients,
		key:          key,
		authRequests: make(map[string]*authRequest),
		codes:        make(map[string]codeEntry),
		tokens:       make(map[string]*accessToken),
	}
}

// randomID returns 32 random bytes, base64url: unguessable, so an auth request's ID can
// stand in for a CSRF token on the login page.
func randomID() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// sweepLocked drops whatever has expired. The maps stay small (a developer's logins),
// so a sweep on every insertion is cheap.
func (s *storage) sweepLocked(now time.Time) {
	maps.DeleteFunc(s.authRequests, func(_ string, a *authRequest) bool {
		return now.Sub(a.created) > authRequestLifetime
	})
	maps.DeleteFunc(s.codes, func(_ string, c codeEntry) bool { return now.After(c.expires) })
	maps.DeleteFunc(s.tokens, func(_ string, t *accessToken) bool { return now.After(t.expires) })
}

// authRequestLocked returns the live auth request with the ID.
func (s *storage) authRequestLocked(id string) (*authRequest, error) {
	a, ok := s.authRequests[id]
	if !ok || time.Since(a.created) > authRequestLifetime {
		return nil, fmt.Errorf("auth request: %w", errNotFound)
	}
	return a, nil
}

// CreateAuthRequest stores a validated authorization request. PKCE with S256 is
// required, as banli's production providers are told to require it.
func (s *storage) CreateAuthRequest(_ context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	if slices.Contains(req.Prompt, oidc.PromptNone) {
		return nil, oidc.ErrLoginRequired().WithDescription("the development provider has no session: a login is always required")
	}
	if req.CodeChallenge == "" || req.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE is required: send a code_challenge with code_challenge_method S256")
	}
	now := time.Now()
	a := &authRequest{
		id:           randomID(),
		created:      now,
		clientID:     req.ClientID,
		redirectURI:  req.RedirectURI,
		state:        req.State,
		nonce:        req.Nonce,
		scopes:       slices.Clone(req.Scopes),
		responseType: req.ResponseType,
		responseMode: req.ResponseMode,
		codeChallenge: &oidc.CodeChallenge{
			Challenge: req.CodeChallenge,
			Method:    req.CodeChallengeMethod,
		},
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(now)
	s.authRequests[a.id] = a
	c := *a
	return &c, nil
}

// login marks the auth request as done by the user: once only.
func (s *storage) login(id, subject string) (*authRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.authRequestLocked(id)
	if err != nil {
		return nil, err
	}
	if a.done {
		return nil, fmt.Errorf("auth request: already used")
	}
	if _, ok := s.users[subject]; !ok {
		return nil, fmt.Errorf("user %q: %w", subject, errUnknownUser)
	}
	a.subject = subject
	a.authTime = time.Now()
	a.done = true
	c := *a
	return &c, nil
}

// pendingAuthRequest returns a copy of a live auth request nobody has logged in with.
func (s *storage) pendingAuthRequest(id string) (*authRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.authRequestLocked(id)
	if err != nil {
		return nil, err
	}
	if a.done {
		return nil, fmt.Errorf("auth request: already used")
	}
	c := *a
	return &c, nil
}

// AuthRequestByID returns a copy of a live auth request.
func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.authRequestLocked(id)
	if err != nil {
		return nil, err
	}
	c := *a
	return &c, nil
}

// AuthRequestByCode consumes the code: a code is good for one token request, even a
// failed one.
func (s *storage) AuthRequestByCode(_ context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	entry, ok := s.codes[code]
	delete(s.codes, code)
	if !ok || time.Now().After(entry.expires) {
		return nil, fmt.Errorf("code: %w", errNotFound)
	}
	a, err := s.authRequestLocked(entry.authRequestID)
	if err != nil {
		return nil, err
	}
	c := *a
	return &c, nil
}

// SaveAuthCode records the code the callback issues for a done auth request: one code
// per request.
func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.authRequestLocked(id)
	if err != nil {
		return err
	}
	if !a.done || a.codeIssued {
		return fmt.Errorf("auth request: no login or code already issued")
	}
	a.codeIssued = true
	s.codes[code] = codeEntry{authRequestID: id, expires: time.Now().Add(codeLifetime)}
	return nil
}

// DeleteAuthRequest forgets the auth request once its tokens are issued.
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.authRequests, id)
	maps.DeleteFunc(s.codes, func(_ string, c codeEntry) bool { return c.authRequestID == id })
	return nil
}

// CreateAccessToken stores an access token for the code flow's token response.
func (s *storage) CreateAccessToken(_ context.Context, req op.TokenRequest) (string, time.Time, error) {
	a, ok := req.(*authRequest)
	if !ok {
		return "", time.Time{}, fmt.Errorf("token request %T: %w", req, errNotSupported)
	}
	now := time.Now()
	t := &accessToken{
		id:       randomID(),
		clientID: a.clientID,
		subject:  a.subject,
		scopes:   slices.Clone(a.scopes),
		expires:  now.Add(accessTokenLifetime),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(now)
	s.tokens[t.id] = t
	return t.id, t.expires, nil
}

// CreateAccessAndRefreshTokens is never called: no client has the refresh_token grant.
func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, fmt.Errorf("refresh tokens: %w", errNotSupported)
}

// TokenRequestByRefreshToken fails: there are no refresh tokens.
func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, fmt.Errorf("refresh tokens: %w", errNotSupported)
}

// GetRefreshTokenInfo reports that no token is a refresh token.
func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

// TerminateSession revokes the user's access tokens for the client (end_session).
func (s *storage) TerminateSession(_ context.Context, userID, clientID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	maps.DeleteFunc(s.tokens, func(_ string, t *accessToken) bool {
		return t.subject == userID && t.clientID == clientID
	})
	return nil
}

// RevokeToken revokes an access token issued to the client; an unknown token is
// already as good as revoked.
func (s *storage) RevokeToken(_ context.Context, tokenID, _, clientID string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[tokenID]
	if !ok {
		return nil
	}
	if t.clientID != clientID {
		return oidc.ErrInvalidClient().WithDescription("token was not issued for this client")
	}
	delete(s.tokens, tokenID)
	return nil
}

// SigningKey is the RSA key made by New.
func (s *storage) SigningKey(context.Context) (op.SigningKey, error) {
	return &s.key, nil
}

// SignatureAlgorithms is RS256 alone.
func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{s.key.algorithm}, nil
}

// KeySet is the signing key's public half: the JWKS.
func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{&publicKey{s.key}}, nil
}

// GetClientByClientID returns a registered client.
func (s *storage) GetClientByClientID(_ context.Context, clientID string) (op.Client, error) {
	c, ok := s.clients[clientID]
	if !ok {
		return nil, fmt.Errorf("client %q: %w", clientID, errNotFound)
	}
	return c, nil
}

// AuthorizeClientIDSecret checks a client's secret in constant time.
func (s *storage) AuthorizeClientIDSecret(_ context.Context, clientID, clientSecret string) error {
	c, ok := s.clients[clientID]
	if !ok || subtle.ConstantTimeCompare([]byte(c.secret), []byte(clientSecret)) != 1 {
		return errWrongClientSecret
	}
	return nil
}

// SetUserinfoFromScopes is deprecated in op; SetUserinfoFromRequest does the work.
func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest fills the ID token's user claims.
func (s *storage) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	return s.setUserinfo(info, req.GetSubject(), scopes)
}

// SetUserinfoFromToken answers the userinfo endpoint for a live access token.
func (s *storage) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, tokenID, subject, _ string) error {
	t, err := s.liveToken(tokenID, subject)
	if err != nil {
		return err
	}
	return s.setUserinfo(info, t.subject, t.scopes)
}

// SetIntrospectionFromToken answers the introspection endpoint for a live access token
// issued to the asking client.
func (s *storage) SetIntrospectionFromToken(_ context.Context, resp *oidc.IntrospectionResponse, tokenID, subject, clientID string) error {
	t, err := s.liveToken(tokenID, subject)
	if err != nil {
		return err
	}
	if t.clientID != clientID {
		return errors.New("token was not issued for this client")
	}
	info := new(oidc.UserInfo)
	if err := s.setUserinfo(info, t.subject, t.scopes); err != nil {
		return err
	}
	resp.SetUserInfo(info)
	resp.Scope = t.scopes
	resp.ClientID = t.clientID
	resp.Expiration = oidc.FromTime(t.expires)
	return nil
}

func (s *storage) liveToken(tokenID, subject string) (accessToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[tokenID]
	if !ok || t.subject != subject || time.Now().After(t.expires) {
		return accessToken{}, fmt.Errorf("access token: %w", errNotFound)
	}
	return *t, nil
}

// setUserinfo puts the user's claims for the scopes into info. The department and roles
// claims go with every token, as Keycloak's protocol mappers put them.
func (s *storage) setUserinfo(info *oidc.UserInfo, subject string, scopes []string) error {
	u, ok := s.users[subject]
	if !ok {
		return fmt.Errorf("user %q: %w", subject, errNotFound)
	}
	info.Subject = u.Subject
	if slices.Contains(scopes, oidc.ScopeProfile) {
		info.Name = u.Name
		info.PreferredUsername = u.Subject
	}
	if slices.Contains(scopes, oidc.ScopeEmail) && u.Email != "" {
		info.Email = u.Email
		info.EmailVerified = true
	}
	info.AppendClaims(claimDepartment, u.Department)
	info.AppendClaims(claimRoles, slices.Clone(u.Roles))
	return nil
}

// GetPrivateClaimsFromScopes adds nothing: access tokens are opaque, not JWTs.
func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return map[string]any{}, nil
}

// GetKeyByIDAndClientID fails: the JWT profile grant and private_key_jwt are not
// supported.
func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, fmt.Errorf("client keys: %w", errNotSupported)
}

// ValidateJWTProfileScopes fails: the JWT profile grant is not supported.
func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, fmt.Errorf("JWT profile grant: %w", errNotSupported)
}

// Health is always fine: everything is in memory.
func (s *storage) Health(context.Context) error { return nil }

// signingKey is the provider's RSA key, as op.SigningKey.
type signingKey struct {
	id        string
	algorithm jose.SignatureAlgorithm
	key       *rsa.PrivateKey
}

func (k *signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return k.algorithm }
func (k *signingKey) Key() any                                    { return k.key }
func (k *signingKey) ID() string                                  { return k.id }

// publicKey is the signing key's public half, as op.Key for the JWKS.
type publicKey struct{ signingKey }

func (k *publicKey) Algorithm() jose.SignatureAlgorithm { return k.algorithm }
func (k *publicKey) Use() string                        { return "sig" }
func (k *publicKey) Key() any                           { return &k.key.PublicKey }
