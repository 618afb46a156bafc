package web

import (
	"net/http"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/workflow"
)

// logout handles POST /logout (CSRF-protected): it ends the login session,
// clears its cookie, and sends the browser (303) to the provider's logout
// (end_session_endpoint, with id_token_hint when kept, client_id and
// post_logout_redirect_uri = BaseURL/login) when the provider has one, or
// else to the login page. Without a session it only clears the cookie.
func (s *server) logout(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	target := "/login"
	if p, ok := auth.PrincipalFrom(ctx); ok && !p.Bearer && p.SessionID != 0 {
		sess, err := s.db.DeleteLoginSession(ctx, p.SessionID)
		switch {
		case err == nil:
			s.logger.InfoContext(ctx, "logout", "user", p.User.ID, "provider", sess.Provider)
			if prov, ok := s.providers.Get(sess.Provider); ok {
				if u, ok := prov.EndSessionURL(ctx, sess.IDToken, s.cfg.BaseURL+"/login"); ok {
					target = u
				}
			}
		case workflow.Code(err) != workflow.ErrNotFound:
			s.writeError(w, r, err)
			return
		}
	}
	s.clearCookie(w, sessionCookie)
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, target, http.StatusSeeOther)
}
