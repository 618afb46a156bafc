package web

import (
	"context"
	"net/http"
	"time"
)

// readyTimeout bounds the database ping of /readyz.
const readyTimeout = 2 * time.Second

// healthz answers 200 whenever the process serves HTTP: the liveness probe.
func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	writeText(w, http.StatusOK, "ok")
}

// readyz answers 200 while the database answers a ping within two seconds
// and the process has finished warming up (WithReadiness), 503 with a
// short reason otherwise ("warming: …" meanwhile): the readiness probe.
func (s *server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.db == nil {
		writeText(w, http.StatusServiceUnavailable, "not ready: no database")
		return
	}
	if s.readiness != nil {
		if ready, status := s.readiness.Ready(); !ready {
			writeText(w, http.StatusServiceUnavailable, "warming: "+status)
			return
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		// The error may name the host and user; it goes to the log only.
		s.logger.Warn("readiness check: database does not answer", "error", err)
		writeText(w, http.StatusServiceUnavailable, "not ready: database unavailable")
		return
	}
	writeText(w, http.StatusOK, "ready")
}

// writeText writes a short plain-text response that no cache keeps.
func writeText(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}
