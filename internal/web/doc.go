// Package web is banli's HTTP layer: the router with every route listed in
// one place (routes.go), one file per handler, the middleware that logs each
// request and recovers from panics, and Run, which serves until its context
// ends and then shuts down gracefully.
//
// The probes for load balancers and orchestrators: GET /healthz answers
// whenever the process runs; GET /readyz answers 200 only while the database
// does, so an instance that lost PostgreSQL is taken out of rotation.
package web
