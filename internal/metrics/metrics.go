package metrics

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/banli-gov/banli/workflow"
)

// Metrics is the metrics of one banli process. Its Observe methods are
// safe on a nil *Metrics, which records nothing: code paths take one
// whether or not metrics are wired.
type Metrics struct {
	reg         *prometheus.Registry
	logger      *slog.Logger
	requests    *prometheus.HistogramVec
	transitions *prometheus.CounterVec
	reminders   *prometheus.CounterVec
	reminderLag *prometheus.HistogramVec
}

// New returns a process's metrics with the Go runtime's and the process's
// own collectors registered. logger receives errors of a scrape (a
// database that does not answer); nil discards them.
func New(logger *slog.Logger) *Metrics {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	m := &Metrics{
		reg:    prometheus.NewRegistry(),
		logger: logger,
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "banli_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by method, route pattern (not path) and status; _count is the number of requests.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "route", "status"}),
		transitions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "banli_case_transitions_total",
			Help: "Actions taken on cases, by action and outcome: ok, the code of a refusal (invalid, conflict, forbidden, not_found, …) or error.",
		}, []string{"action", "outcome"}),
		reminders: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "banli_reminders_total",
			Help: "Deadline reminder jobs worked, by notice (before, due, overdue) and outcome: sent, or obsolete when the deadline had ended.",
		}, []string{"notice", "outcome"}),
		reminderLag: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "banli_reminder_lag_seconds",
			Help:    "Time from a reminder's scheduled time to its sending, by notice.",
			Buckets: []float64{1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600},
		}, []string{"notice"}),
	}
	m.reg.MustRegister(m.requests, m.transitions, m.reminders, m.reminderLag,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry returns the registry every collector of m is in.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in Prometheus's exposition formats. A
// collector that fails (the queue depth, when the database does not answer)
// is logged and left out; the others are still served.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(m.logger.Handler(), slog.LevelWarn),
		ErrorHandling: promhttp.ContinueOnError,
		// Scrapes run a query: two Prometheus servers at once, not a crowd.
		MaxRequestsInFlight: 2,
		Timeout:             30 * time.Second,
	})
}

// UnmatchedRoute is the route label of a request that matched no route (a
// 404, or a request refused before routing): never its path.
const UnmatchedRoute = "unmatched"

// ObserveRequest records one HTTP request answered with status after d.
// route is the pattern of the route it matched ("" for none), never the
// path. Methods outside the standard ones are counted as "other".
func (m *Metrics) ObserveRequest(method, route string, status int, d time.Duration) {
	if m == nil {
		return
	}
	if route == "" {
		route = UnmatchedRoute
	}
	m.requests.WithLabelValues(methodLabel(method), route, strconv.Itoa(status)).Observe(d.Seconds())
}

// methodLabel bounds the method label to the standard methods: a client
// can send any token as a method.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "other"
}

// Outcomes of a transition besides the refusals' codes.
const (
	OutcomeOK    = "ok"
	OutcomeError = "error"
)

// ObserveTransition records one action on a case and its result: ok, the
// domain code of a refusal (the caller can fix or retry: invalid, conflict,
// forbidden, not_found, unauthorized, too_large), or error (internal, and
// unavailable: the database did not answer). An action that is not one of
// workflow's is counted as "unknown".
func (m *Metrics) ObserveTransition(a workflow.Action, err error) {
	if m == nil {
		return
	}
	action := string(a)
	if !a.Valid() {
		action = "unknown"
	}
	m.transitions.WithLabelValues(action, TransitionOutcome(err)).Inc()
}

// TransitionOutcome is the outcome label of a transition that returned err.
func TransitionOutcome(err error) string {
	switch code := workflow.Code(err); code {
	case "":
		return OutcomeOK
	case workflow.ErrInternal, workflow.ErrUnavailable:
		return OutcomeError
	default:
		return string(code)
	}
}

// ObserveReminder records one reminder job worked: sent, with lag from the
// time it was scheduled for to its sending (negative lags count as 0), or
// obsolete (its deadline had ended: nothing sent, no lag).
func (m *Metrics) ObserveReminder(notice workflow.NoticeKind, sent bool, lag time.Duration) {
	if m == nil {
		return
	}
	n := string(notice)
	switch notice {
	case workflow.NoticeBefore, workflow.NoticeDue, workflow.NoticeOverdue:
	default:
		n = "other"
	}
	if !sent {
		m.reminders.WithLabelValues(n, "obsolete").Inc()
		return
	}
	m.reminders.WithLabelValues(n, "sent").Inc()
	m.reminderLag.WithLabelValues(n).Observe(max(lag, 0).Seconds())
}
