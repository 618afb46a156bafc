package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// routes lists every route of banli. Keep it the only place that does.
func (s *server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(s.logRequests, s.recoverPanics)

	// Probes.
	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)

	return r
}
