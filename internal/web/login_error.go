package web

import (
	"errors"
	"net/http"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// errNoDatabase refuses logins of a server without a database (tests of
// the probes build one).
var errNoDatabase = errors.New("login needs the database, and this server has none")

// loginFailed answers a login that failed with an HTML page saying what
// failed, and logs why. The status is that of err's domain code, except
// that status, when not 0, wins (400 for a bad or used state, which the
// domain codes have no word for), and an unreachable provider or database
// is 503.
// err's message must be safe to show; its Error() may add a technical
// cause for the log, never a token, code or cookie.
func (s *server) loginFailed(w http.ResponseWriter, r *http.Request, provider string, status int, err error) {
	msg := workflow.Message(err)
	switch {
	case status != 0:
	case errors.Is(err, auth.ErrProviderUnavailable):
		status = http.StatusServiceUnavailable
		msg = "身份认证平台暂时无法访问，请稍后再试或选择其他登录方式 / the identity provider cannot be reached: try again later, or log in another way"
	case workflow.Code(err) == workflow.ErrInternal && storage.Unavailable(err):
		status = http.StatusServiceUnavailable
		msg = message(r, "unavailable.detail")
	default:
		status = statusOf(workflow.Code(err))
	}
	if status >= 500 {
		s.logger.ErrorContext(r.Context(), "login failed", "provider", provider, "status", status, "err", err)
	} else {
		s.logger.WarnContext(r.Context(), "login refused", "provider", provider, "status", status, "reason", err.Error())
	}
	if status == http.StatusInternalServerError {
		msg = "Internal error"
	}
	w.Header().Set("Cache-Control", "no-store")
	s.renderError(w, r, "登录失败", errorView{Status: status, Title: http.StatusText(status), Detail: msg, Login: true})
}
