package auth

import (
	"context"

	"github.com/banli-gov/banli/workflow"
)

// Principal is the authenticated caller of a request.
type Principal struct {
	// User is the caller as stored, with their roles loaded.
	User *workflow.User
	// Actor is who the caller acts as: {UserID, DepartmentID, Roles}.
	Actor workflow.Actor
	// SessionID is the login session of a browser; 0 for Bearer-token
	// requests.
	SessionID int64
	// Bearer is true when the request carried an `Authorization: Bearer`
	// token rather than a session cookie.
	Bearer bool
}

// NewPrincipal returns the principal of user u: its actor is u's id,
// department and roles.
func NewPrincipal(u *workflow.User, sessionID int64, bearer bool) *Principal {
	return &Principal{
		User:      u,
		Actor:     workflow.Actor{UserID: u.ID, DepartmentID: u.DepartmentID, Roles: u.Roles, PrincipalLeader: u.PrincipalLeader},
		SessionID: sessionID,
		Bearer:    bearer,
	}
}

type ctxKey int

const (
	principalKey ctxKey = iota
	csrfKey
)

// PrincipalFrom returns the caller that the authentication middleware found
// for the request, and false when there is none.
func PrincipalFrom(ctx context.Context) (*Principal, bool) {
	p, ok := ctx.Value(principalKey).(*Principal)
	return p, ok && p != nil
}

// WithPrincipal returns ctx carrying p: the authentication middleware uses
// it, and so can tests of handlers that need a caller.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey, p)
}
