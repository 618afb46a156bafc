// Package web is banli's HTTP layer: the router with every route listed in
// one place (routes.go), one file per handler, the middleware that logs each
// request and recovers from panics, and Run, which serves until its context
// ends and then shuts down gracefully.
//
// A page is built one way: a handler reads an HTML form through form.go
// (fields trimmed and bounded, parse errors naming the field by its label,
// the form shown again with the input kept), calls the service its API twin
// calls too (s.takeAction, s.saveDraft, s.assign, s.markRead), answers a
// domain error through s.writeError (the error page or problem+json; the
// one mapping of error codes to statuses, statusOf) or s.refuse (the form
// again), and a success with s.redirect, whose flash (flash.go) the next
// page shows once. The views it renders are listed in pages.go.
//
// The probes for load balancers and orchestrators: GET /healthz answers
// whenever the process runs; GET /readyz answers 200 only while the database
// does, so an instance that lost PostgreSQL is taken out of rotation.
package web
