package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// loginCallback handles GET /auth/{provider}/callback, where the provider
// sends the browser back with a code. In order, each failure with a page
// that says what failed:
//
//  1. the provider reported an error (401);
//  2. the state: present, equal to this browser's login cookie, known,
//     unused (it is deleted as it is read, so a replayed callback fails),
//     not older than ten minutes, and of this provider (400);
//  3. the code is exchanged with the PKCE verifier, the ID token verified
//     (signature, issuer, audience, expiry) and its nonce compared with the
//     stored one (401; 503 when the provider cannot be reached);
//  4. the user is recorded (storage.UpsertOIDCUser): a department the
//     provider does not serve, an unknown department, a disabled account
//     (403).
//
// Then a new session starts, replacing the one the browser came with (the
// session token rotates at every login), its cookie is set, and the browser
// goes (303) to the page it wanted, on this site only.
func (s *server) loginCallback(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
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
	q := r.URL.Query()
	stateCookie, _ := r.Cookie(loginStateCookie)
	s.clearCookie(w, loginStateCookie) // good for one callback, whatever happens

	if e := q.Get("error"); e != "" {
		s.loginFailed(w, r, name, http.StatusUnauthorized, workflow.Errorf(workflow.ErrUnauthorized,
			"身份认证平台未完成登录（%s）/ the identity provider did not log you in (%s)", e, e))
		return
	}
	state := q.Get("state")
	if state == "" {
		s.loginFailed(w, r, name, http.StatusBadRequest, workflow.Errorf(workflow.ErrInvalid,
			"回调缺少 state 参数 / the callback has no state"))
		return
	}
	if stateCookie == nil || !auth.CSRFMatch(state, stateCookie.Value) {
		s.loginFailed(w, r, name, http.StatusBadRequest, workflow.Errorf(workflow.ErrInvalid,
			"此登录不是在本浏览器中发起的，请重新登录 / this login was not started in this browser (no or another login cookie): start again"))
		return
	}
	login, err := s.db.TakeOIDCLogin(ctx, auth.HashToken(state), s.clock.Now())
	if err != nil {
		status := http.StatusBadRequest
		if c := workflow.Code(err); c != workflow.ErrNotFound && c != workflow.ErrInvalid {
			status = 0
		}
		s.loginFailed(w, r, name, status, err)
		return
	}
	if login.Provider != name {
		s.loginFailed(w, r, name, http.StatusBadRequest, workflow.Errorf(workflow.ErrInvalid,
			"登录状态属于另一身份认证平台 / the login state belongs to another identity provider"))
		return
	}
	code := q.Get("code")
	if code == "" {
		s.loginFailed(w, r, name, http.StatusBadRequest, workflow.Errorf(workflow.ErrInvalid,
			"回调缺少 code 参数 / the callback has no code"))
		return
	}

	verified, err := p.Exchange(ctx, code, login.Verifier, login.Nonce)
	if err != nil {
		s.loginFailed(w, r, name, 0, err)
		return
	}
	identity, err := p.Identity(verified.IDToken)
	if err != nil {
		s.loginFailed(w, r, name, 0, err)
		return
	}
	if code, ok := p.Config.FixedDepartment(); ok {
		d, err := s.db.DepartmentByCode(ctx, code)
		if err != nil {
			if workflow.Code(err) == workflow.ErrNotFound {
				err = workflow.Errorf(workflow.ErrForbidden, "身份认证平台 %s 所属单位 %q 不存在，请联系系统管理员 / "+
					"department %q of identity provider %s does not exist: ask an administrator", p.Config.Label, code, code, name)
			}
			s.loginFailed(w, r, name, 0, err)
			return
		}
		identity.FixedDepartmentID = d.ID
	}
	u, err := s.db.UpsertOIDCUser(ctx, identity)
	if err != nil {
		s.loginFailed(w, r, name, 0, err)
		return
	}

	// The ID token is kept only as the id_token_hint of the provider's
	// logout, when it has one.
	var idToken string
	if p.HasEndSession(ctx) {
		idToken = verified.RawIDToken
	}
	var replaces []byte
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		replaces = auth.HashToken(c.Value)
	}
	token := auth.NewToken()
	_, err = s.db.CreateLoginSession(ctx, storage.CreateLoginSessionCmd{UserID: u.ID, TokenHash: auth.HashToken(token),
		CSRFToken: auth.NewToken(), Provider: name, IDToken: idToken, At: s.clock.Now(), MaxAge: s.cfg.SessionMaxAge,
		ReplacesTokenHash: replaces})
	if err != nil {
		s.loginFailed(w, r, name, 0, err)
		return
	}
	s.setCookie(w, sessionCookie, token, 0)
	s.logger.InfoContext(ctx, "login", "provider", name, "user", u.ID, "department", u.DepartmentID, "roles", u.Roles)
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, safeNext(login.Next), http.StatusSeeOther)
}
