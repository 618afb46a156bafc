package devoidc

import (
	"log/slog"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// authRequest is one authorization request, from the authorization endpoint to the
// token exchange. The storage hands out copies, so the op package never reads a value
// that a login is changing.
type authRequest struct {
	id            string
	created       time.Time
	clientID      string
	redirectURI   string
	state         string
	nonce         string
	scopes        []string
	responseType  oidc.ResponseType
	responseMode  oidc.ResponseMode
	codeChallenge *oidc.CodeChallenge

	// Set by the login page.
	subject  string
	authTime time.Time
	done     bool
	// Set when the callback issues the code: one code per request.
	codeIssued bool
}

var _ op.AuthRequest = (*authRequest)(nil)

// LogValue keeps the nonce, the state and the challenge out of the logs.
func (a *authRequest) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", a.id),
		slog.String("client_id", a.clientID),
		slog.String("redirect_uri", a.redirectURI),
		slog.Any("scopes", a.scopes),
	)
}

func (a *authRequest) GetID() string       { return a.id }
func (a *authRequest) GetACR() string      { return "" }
func (a *authRequest) GetClientID() string { return a.clientID }
func (a *authRequest) GetNonce() string    { return a.nonce }
func (a *authRequest) GetState() string    { return a.state }
func (a *authRequest) GetSubject() string  { return a.subject }
func (a *authRequest) Done() bool          { return a.done }

// GetAMR is empty: no authentication method was used (the user was picked from a list).
func (a *authRequest) GetAMR() []string { return nil }

// GetAudience is the client alone.
func (a *authRequest) GetAudience() []string { return []string{a.clientID} }

func (a *authRequest) GetAuthTime() time.Time                { return a.authTime }
func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge { return a.codeChallenge }
func (a *authRequest) GetRedirectURI() string                { return a.redirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType    { return a.responseType }
func (a *authRequest) GetResponseMode() oidc.ResponseMode    { return a.responseMode }
func (a *authRequest) GetScopes() []string                   { return a.scopes }
