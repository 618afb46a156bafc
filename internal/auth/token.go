package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"

	"golang.org/x/oauth2"
)

// tokenBytes is the entropy of every random token banli makes: session
// cookies, CSRF tokens, OpenID state and nonce values.
const tokenBytes = 32

// NewToken returns a new random token: 32 bytes from crypto/rand, encoded
// base64url without padding (43 characters).
func NewToken() string {
	b := make([]byte, tokenBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+): it crashes the program instead
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken returns the SHA-256 of a token: what the database keeps of
// session cookies and OpenID state values, so that a copy of the database
// does not hand out live sessions.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// NewVerifier returns a new PKCE code verifier (RFC 7636: 32 random bytes,
// base64url).
func NewVerifier() string { return oauth2.GenerateVerifier() }
