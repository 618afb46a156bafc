package devoidc_test

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"net/http/httptest"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/internal/devoidc"
)

// Example mounts the provider under /devoidc of a chi router, as `banli dev` does, and
// discovers it as a relying party would.
func Example() {
	server := httptest.NewUnstartedServer(nil)
	issuer := "http://" + server.Listener.Addr().String() + "/devoidc"
	p, err := devoidc.New(devoidc.Options{
		Issuer: issuer,
		Users: []devoidc.User{{
			Subject: "scjg.drafter", Name: "王晓燕", Department: "scjg",
			DepartmentName: "武汉市市场监督管理局", Roles: []string{"drafter"},
		}},
		Clients: []devoidc.Client{{
			ID: "banli", Secret: "dev-only",
			RedirectURIs:           []string{"http://127.0.0.1:8080/auth/dev/callback"},
			PostLogoutRedirectURIs: []string{"http://127.0.0.1:8080/login"},
		}},
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		log.Fatal(err)
	}
	r := chi.NewRouter()
	r.Mount("/devoidc", p.Handler())
	server.Config.Handler = r
	server.Start()
	defer server.Close()

	rp, err := oidc.NewProvider(context.Background(), issuer)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.TrimPrefix(rp.Endpoint().AuthURL, server.URL))
	fmt.Println(strings.TrimPrefix(rp.Endpoint().TokenURL, server.URL))
	// Output:
	// /devoidc/authorize
	// /devoidc/oauth/token
}
