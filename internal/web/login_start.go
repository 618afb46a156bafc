package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// loginStart handles GET /login/{provider}: it starts an authorization
// code login with PKCE at the provider. The state (random, single-use,
// bound to the provider and to this browser by a cookie), the nonce, the
// PKCE verifier and ?next= are kept in the database until the callback;
// the browser is sent (303) to the provider's authorization endpoint.
func (s *server) loginStart(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "provider")
	p, ok := s.providers.Get(name)
	if !ok {
		s.loginFailed(w, r, name, http.StatusNotFound,
			workflow.Errorf(workflow.ErrNotFound, "没有名为 %q 的身份认证平台 / no identity provider %q", name, name))
		return
	}
	if s.db == nil {
		s.loginFailed(w, r, name, http.StatusServiceUnavailable, errNoDatabase)
		return
	}
	state, nonce, verifier := auth.NewToken(), auth.NewToken(), auth.NewVerifier()
	target, err := p.AuthCodeURL(r.Context(), state, nonce, verifier)
	if err != nil {
		s.loginFailed(w, r, name, 0, err)
		return
	}
	err = s.db.CreateOIDCLogin(r.Context(), &storage.OIDCLogin{StateHash: auth.HashToken(state), Provider: name,
		Nonce: nonce, Verifier: verifier, Next: safeNext(r.URL.Query().Get("next")), CreatedAt: s.clock.Now()})
	if err != nil {
		s.loginFailed(w, r, name, 0, err)
		return
	}
	s.setCookie(w, loginStateCookie, state, loginStateMaxAge)
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, target, http.StatusSeeOther)
}
