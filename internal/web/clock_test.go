package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/web"
	"github.com/banli-gov/banli/workflow"
)

// TestServerClockDecidesSessions: a session's end is decided by the clock
// the server is given, not the machine's: a session of an hour is live on
// a server whose clock says half an hour later, and over on one whose
// clock says two hours later.
func TestServerClockDecidesSessions(t *testing.T) {
	t.Parallel()
	cw := setupCasework(t)
	clerk := cw.login(t, "scjg.drafter") // a session of one hour from now
	for _, tc := range []struct {
		later time.Duration
		want  int
	}{{30 * time.Minute, http.StatusOK}, {2 * time.Hour, http.StatusSeeOther}} {
		at := cw.db.Clock.Now().Add(tc.later)
		srv := httptest.NewServer(web.NewServer(cw.cfg, cw.db, nil, web.WithClock(workflow.FixedClock(at))))
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/", nil)
		mustT(t, err)
		for _, c := range clerk.jar.Cookies(mustParse(t, cw.srv.URL)) { // the session cookie
			req.AddCookie(c)
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		mustT(t, err)
		resp.Body.Close()
		srv.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("GET / on a server %s later: %d, want %d", tc.later, resp.StatusCode, tc.want)
		}
	}
}
