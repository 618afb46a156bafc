package auth_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/workflow"
)

func TestNewToken(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 100 {
		tok := auth.NewToken()
		if len(tok) != 43 || seen[tok] {
			t.Fatalf("token %q: want 43 characters, never twice", tok)
		}
		seen[tok] = true
	}
	if v := auth.NewVerifier(); len(v) != 43 {
		t.Errorf("PKCE verifier %q: want 43 characters", v)
	}
	h := auth.HashToken("abc")
	if len(h) != 32 || !bytes.Equal(h, auth.HashToken("abc")) || bytes.Equal(h, auth.HashToken("abd")) {
		t.Errorf("HashToken(abc) = %x", h)
	}
}

func TestCSRFMatch(t *testing.T) {
	t.Parallel()
	tok := auth.NewToken()
	tests := []struct {
		got, want string
		ok        bool
	}{
		{tok, tok, true},
		{tok + "x", tok, false},
		{tok[:42], tok, false},
		{"", tok, false},
		{"", "", false}, // a session without a token accepts nothing
		{tok, "", false},
	}
	for _, tt := range tests {
		if ok := auth.CSRFMatch(tt.got, tt.want); ok != tt.ok {
			t.Errorf("CSRFMatch(%q, %q) = %v", tt.got, tt.want, ok)
		}
	}
}

func TestPrincipalContext(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	if _, ok := auth.PrincipalFrom(ctx); ok {
		t.Error("a principal in an empty context")
	}
	if auth.CSRFToken(ctx) != "" {
		t.Error("a CSRF token in an empty context")
	}
	u := &workflow.User{ID: 7, DepartmentID: 3, Roles: []workflow.Role{workflow.RoleDrafter}}
	ctx = auth.WithCSRFToken(auth.WithPrincipal(ctx, auth.NewPrincipal(u, 11, false)), "tok")
	p, ok := auth.PrincipalFrom(ctx)
	if !ok || p.User != u || p.SessionID != 11 || p.Bearer ||
		p.Actor.UserID != 7 || p.Actor.DepartmentID != 3 || len(p.Actor.Roles) != 1 {
		t.Errorf("PrincipalFrom = %+v", p)
	}
	if auth.CSRFToken(ctx) != "tok" {
		t.Errorf("CSRFToken = %q", auth.CSRFToken(ctx))
	}
	if _, ok := auth.PrincipalFrom(auth.WithPrincipal(context.Background(), nil)); ok {
		t.Error("a nil principal counts as one")
	}
}
