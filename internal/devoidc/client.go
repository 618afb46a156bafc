package devoidc

import (
	"net/url"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

const (
	// idTokenLifetime is as short as the access token's: banli reads the ID token once,
	// at login, and keeps its own session.
	idTokenLifetime = 15 * time.Minute
)

// client is a registered relying party as zitadel's op.Client sees it: a confidential
// web client, code flow only, no refresh tokens.
type client struct {
	id                     string
	secret                 string
	redirectURIs           []string
	postLogoutRedirectURIs []string
	loginURL               string // {issuer}/login
}

var _ op.Client = (*client)(nil)

// GetID is the client_id.
func (c *client) GetID() string { return c.id }

// RedirectURIs are matched exactly against redirect_uri.
func (c *client) RedirectURIs() []string { return c.redirectURIs }

// PostLogoutRedirectURIs are matched exactly against post_logout_redirect_uri.
func (c *client) PostLogoutRedirectURIs() []string { return c.postLogoutRedirectURIs }

// ApplicationType is web: a confidential client, which may use http redirect URIs with
// the code flow.
func (c *client) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }

// AuthMethod is client_secret_basic; op.Config.AuthMethodPost admits client_secret_post
// too.
func (c *client) AuthMethod() oidc.AuthMethod { return oidc.AuthMethodBasic }

// ResponseTypes allows the code flow only.
func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}

// GrantTypes allows the authorization_code grant only.
func (c *client) GrantTypes() []oidc.GrantType {
	return []oidc.GrantType{oidc.GrantTypeCode}
}

// LoginURL is where the authorization endpoint sends the browser: the user list.
func (c *client) LoginURL(authRequestID string) string {
	return c.loginURL + "?" + url.Values{"authRequestID": {authRequestID}}.Encode()
}

// AccessTokenType is an opaque (encrypted) bearer token.
func (c *client) AccessTokenType() op.AccessTokenType { return op.AccessTokenTypeBearer }

// IDTokenLifetime is how long an ID token is valid.
func (c *client) IDTokenLifetime() time.Duration { return idTokenLifetime }

// DevMode stays off: the redirect URIs are checked as for any confidential client.
func (c *client) DevMode() bool { return false }

// RestrictAdditionalIdTokenScopes keeps the scopes as they are.
func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(scopes []string) []string { return scopes }
}

// RestrictAdditionalAccessTokenScopes keeps the scopes as they are.
func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(scopes []string) []string { return scopes }
}

// IsScopeAllowed admits no scope beyond the standard ones.
func (c *client) IsScopeAllowed(string) bool { return false }

// IDTokenUserinfoClaimsAssertion puts the profile and email claims into the ID token
// even though an access token is issued too, as Keycloak and most production providers
// do: banli reads them from the ID token.
func (c *client) IDTokenUserinfoClaimsAssertion() bool { return true }

// ClockSkew is none: the provider and banli share a clock.
func (c *client) ClockSkew() time.Duration { return 0 }
