// Package metrics collects banli's metrics for Prometheus and serves them:
// HTTP requests by route pattern, case transitions by action and outcome,
// reminders and their lag, River's queue depth and the database pool.
//
// Each Metrics has a registry of its own (never Prometheus's global one), so
// that tests, and two servers in one process, count apart. Labels carry
// closed sets only — route patterns (/cases/{id}), actions, error codes,
// queue names — never a path, an id, a user or any text a user typed.
package metrics
