package main

import (
	"log/slog"
	"net/http"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/demo"
	"github.com/banli-gov/banli/internal/devoidc"
	"github.com/banli-gov/banli/internal/web"
)

// devProviderName is the development provider's name in banli's URLs
// (/login/dev, /auth/dev/callback).
const devProviderName = "dev"

// devProvider builds banli dev's OpenID provider with every demo user, and
// adds it to cfg's providers: banli logs in through it over the same code
// path as through a production provider. Its issuer is banli's own base URL
// plus web.DevProviderPath.
func devProvider(cfg *config.Config, log *slog.Logger) (http.Handler, string, error) {
	issuer := cfg.BaseURL + web.DevProviderPath
	unitNames := map[string]string{}
	var codes []string
	for _, u := range demo.Units {
		unitNames[u.Code] = u.Name
		codes = append(codes, u.Code)
	}
	var users []devoidc.User
	for _, p := range demo.People() {
		u := devoidc.User{Subject: p.Login, Name: p.Name, Email: p.Login + "@banli.example",
			Department: p.Unit, DepartmentName: unitNames[p.Unit]}
		for _, r := range p.Roles {
			u.Roles = append(u.Roles, string(r))
		}
		users = append(users, u)
	}
	// A fresh secret each start: the provider lives in this process only.
	secret := auth.NewToken()
	pc := config.OIDCProvider{
		Name: devProviderName, Label: "开发用身份提供方 Development provider (banli dev)", Issuer: issuer,
		ClientID: "banli-dev", ClientSecret: secret, Scopes: config.DefaultOIDCScopes,
		Departments: codes, DepartmentClaim: "department", RolesClaim: "roles", AllowAdminClaim: true,
	}
	p, err := devoidc.New(devoidc.Options{Issuer: issuer, Users: users, Logger: log,
		Clients: []devoidc.Client{{ID: pc.ClientID, Secret: secret,
			RedirectURIs:           []string{cfg.BaseURL + "/auth/" + devProviderName + "/callback"},
			PostLogoutRedirectURIs: []string{cfg.BaseURL + "/login"}}}})
	if err != nil {
		return nil, "", err
	}
	cfg.OIDCProviders = append(cfg.OIDCProviders, pc)
	return p.Handler(), p.Issuer(), nil
}
