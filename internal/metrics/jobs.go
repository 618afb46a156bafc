package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/banli-gov/banli/internal/storage"
)

// JobCounter counts River's jobs by queue and state (storage.DB.JobCounts).
type JobCounter interface {
	JobCounts(ctx context.Context) ([]storage.JobCount, error)
}

// jobsTimeout bounds the query of one scrape: a database that does not
// answer leaves the queue depth out of that scrape, not the scrape hanging.
const jobsTimeout = 5 * time.Second

// WatchJobs adds the depth of River's queues, counted at each scrape.
func (m *Metrics) WatchJobs(jobs JobCounter) {
	m.reg.MustRegister(&jobsCollector{jobs: jobs})
}

var riverJobs = prometheus.NewDesc("banli_river_jobs",
	"River jobs not yet finalized, by queue and state (available, pending, retryable, running, scheduled).",
	[]string{"queue", "state"}, nil)

// jobsCollector reads the queue depth when scraped.
type jobsCollector struct {
	jobs JobCounter
}

// Describe implements prometheus.Collector.
func (c *jobsCollector) Describe(ch chan<- *prometheus.Desc) { ch <- riverJobs }

// Collect implements prometheus.Collector. An error is reported as an
// invalid metric: the handler logs it and serves the rest.
func (c *jobsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), jobsTimeout)
	defer cancel()
	counts, err := c.jobs.JobCounts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(riverJobs, err)
		return
	}
	for _, jc := range counts {
		ch <- prometheus.MustNewConstMetric(riverJobs, prometheus.GaugeValue, float64(jc.Count), jc.Queue, string(jc.State))
	}
}
