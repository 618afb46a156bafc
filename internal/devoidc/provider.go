package devoidc

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// User is a demo user (演示用户) of the development provider.
type User struct {
	// Subject is the login name, the ID token's sub and preferred_username,
	// e.g. "scjg.drafter".
	Subject string
	// Name is the display name, the name claim, e.g. "王晓燕".
	Name string
	// Email is the email claim.
	Email string
	// Department is the unit's code, the department claim, e.g. "scjg".
	Department string
	// DepartmentName is the unit's name, shown on the login page,
	// e.g. "武汉市市场监督管理局".
	DepartmentName string
	// Roles is the roles claim, e.g. ["drafter"].
	Roles []string
}

// Client is a relying party registered with the development provider: a confidential
// web client that authenticates with its secret (client_secret_basic or
// client_secret_post) and uses the authorization-code flow with PKCE.
type Client struct {
	ID     string
	Secret string
	// RedirectURIs are the exact redirect_uri values the client may use.
	RedirectURIs []string
	// PostLogoutRedirectURIs are the exact post_logout_redirect_uri values the client
	// may use at the end_session endpoint.
	PostLogoutRedirectURIs []string
}

// Options configures New.
type Options struct {
	// Issuer is the provider's issuer URL, e.g. "http://127.0.0.1:8080/devoidc": the
	// provider is mounted under that path of banli's own server. A trailing slash is
	// dropped. Plain http is allowed.
	Issuer string
	// Users are the demo users listed on the login page, in this order.
	Users []User
	// Clients are the registered relying parties.
	Clients []Client
	// Logger receives the provider's own log records; nil means slog.Default().
	Logger *slog.Logger
}

// Provider is a running development OpenID provider.
type Provider struct {
	issuer string
	prefix string // the issuer's path, e.g. "/devoidc"; "" at the root
	logger *slog.Logger
	store  *storage
	op     *op.Provider
	mux    *http.ServeMux
	login  *loginPage
}

// New validates the options and builds the provider, with a fresh RSA signing key and a
// fresh key for encrypting codes and access tokens.
func New(opts Options) (*Provider, error) {
	issuer := strings.TrimSuffix(opts.Issuer, "/")
	u, err := parseIssuer(issuer)
	if err != nil {
		return nil, err
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	users, order, err := checkUsers(opts.Users)
	if err != nil {
		return nil, err
	}
	clients, err := checkClients(opts.Clients, issuer)
	if err != nil {
		return nil, err
	}

	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("error generating the signing key: %w", err)
	}
	var cryptoKey [32]byte
	if _, err := rand.Read(cryptoKey[:]); err != nil {
		return nil, fmt.Errorf("error generating the encryption key: %w", err)
	}
	store := newStorage(users, order, clients, signingKey{
		id:        randomID(),
		algorithm: jose.RS256,
		key:       rsaKey,
	})

	config := &op.Config{
		CryptoKey:      cryptoKey,
		CryptoKeyId:    randomID(),
		CodeMethodS256: true,
		AuthMethodPost: true,
		// Where end_session goes without a (valid) post_logout_redirect_uri.
		DefaultLogoutRedirectURI: issuer + "/logged-out",
		SupportedUILocales:       []language.Tag{language.SimplifiedChinese, language.English},
		SupportedClaims:          append(slices.Clone(op.DefaultSupportedClaims), claimDepartment, claimRoles),
	}
	provider, err := op.NewProvider(config, store, op.StaticIssuer(issuer), op.WithAllowInsecure())
	if err != nil {
		return nil, fmt.Errorf("error creating the OpenID provider: %w", err)
	}

	login, err := newLoginPage(issuer, store, op.AuthCallbackURL(provider), logger)
	if err != nil {
		return nil, err
	}
	p := &Provider{
		issuer: issuer,
		prefix: u.Path,
		logger: logger,
		store:  store,
		op:     provider,
		login:  login,
	}
	p.mux = http.NewServeMux()
	p.mux.HandleFunc("GET /login", login.show)
	p.mux.HandleFunc("POST /login", login.choose)
	p.mux.HandleFunc("GET /logged-out", login.loggedOut)
	p.mux.Handle("/", provider)

	if !isLoopback(u.Hostname()) {
		logger.Warn("the development OpenID provider logs anyone in without a password: never expose it beyond 127.0.0.1",
			"issuer", issuer)
	}
	return p, nil
}

// Issuer returns the issuer URL, without a trailing slash: what relying parties are
// configured with and what the ID tokens' iss claim carries.
func (p *Provider) Issuer() string {
	return p.issuer
}

// Handler returns the provider's HTTP handler, to mount at the issuer's path. It serves
// requests whose path starts with the issuer's path (chi's r.Mount("/devoidc", h), or a
// server of its own) and requests whose prefix was already stripped (http.StripPrefix).
func (p *Provider) Handler() http.Handler {
	return http.HandlerFunc(p.serveHTTP)
}

func (p *Provider) serveHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if rest, ok := strings.CutPrefix(path, p.prefix); ok && (rest == "" || rest[0] == '/') {
		path = rest
	}
	if path == "" {
		path = "/"
	}
	u := *r.URL
	u.Path = path
	u.RawPath = ""
	// The zitadel provider routes with its own chi router, which would otherwise reuse
	// the routing context of a chi router we are mounted in; a nil one makes it route
	// on the path given here.
	r = r.WithContext(context.WithValue(r.Context(), chi.RouteCtxKey, (*chi.Context)(nil)))
	r.URL = &u
	p.mux.ServeHTTP(w, r)
}

func parseIssuer(issuer string) (*url.URL, error) {
	if issuer == "" {
		return nil, errors.New("devoidc: the issuer is missing")
	}
	u, err := url.Parse(issuer)
	if err != nil {
		return nil, fmt.Errorf("devoidc: error parsing the issuer: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("devoidc: the issuer %q is not an http or https URL", issuer)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("devoidc: the issuer %q must have no query, fragment or user info", issuer)
	}
	return u, nil
}

func checkUsers(users []User) (map[string]*User, []string, error) {
	byID := make(map[string]*User, len(users))
	order := make([]string, 0, len(users))
	for i, u := range users {
		if u.Subject == "" {
			return nil, nil, fmt.Errorf("devoidc: user %d has no subject", i)
		}
		if _, dup := byID[u.Subject]; dup {
			return nil, nil, fmt.Errorf("devoidc: user %q is listed twice", u.Subject)
		}
		u.Roles = slices.Clone(u.Roles)
		if u.Roles == nil {
			u.Roles = []string{}
		}
		byID[u.Subject] = &u
		order = append(order, u.Subject)
	}
	return byID, order, nil
}

func checkClients(clients []Client, issuer string) (map[string]*client, error) {
	byID := make(map[string]*client, len(clients))
	for i, c := range clients {
		switch {
		case c.ID == "":
			return nil, fmt.Errorf("devoidc: client %d has no ID", i)
		case c.Secret == "":
			return nil, fmt.Errorf("devoidc: client %q has no secret", c.ID)
		case len(c.RedirectURIs) == 0:
			return nil, fmt.Errorf("devoidc: client %q has no redirect URI", c.ID)
		}
		if _, dup := byID[c.ID]; dup {
			return nil, fmt.Errorf("devoidc: client %q is listed twice", c.ID)
		}
		for _, uri := range slices.Concat(c.RedirectURIs, c.PostLogoutRedirectURIs) {
			if u, err := url.Parse(uri); err != nil || !u.IsAbs() || u.Fragment != "" {
				return nil, fmt.Errorf("devoidc: client %q: %q is not an absolute URI without a fragment", c.ID, uri)
			}
		}
		byID[c.ID] = &client{
			id:                     c.ID,
			secret:                 c.Secret,
			redirectURIs:           slices.Clone(c.RedirectURIs),
			postLogoutRedirectURIs: slices.Clone(c.PostLogoutRedirectURIs),
			loginURL:               issuer + "/login",
		}
	}
	return byID, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
