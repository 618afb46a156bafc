package metrics

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// WatchPool adds the database pool's statistics (pgxpool.Stat), read at
// each scrape.
func (m *Metrics) WatchPool(pool *pgxpool.Pool) {
	m.reg.MustRegister(&poolCollector{pool: pool})
}

var (
	poolAcquired = prometheus.NewDesc("banli_db_pool_acquired_connections",
		"Connections of the database pool in use.", nil, nil)
	poolIdle = prometheus.NewDesc("banli_db_pool_idle_connections",
		"Idle connections of the database pool.", nil, nil)
	poolTotal = prometheus.NewDesc("banli_db_pool_total_connections",
		"Connections of the database pool: in use, idle and being opened.", nil, nil)
	poolMax = prometheus.NewDesc("banli_db_pool_max_connections",
		"Most connections the database pool opens.", nil, nil)
	poolAcquires = prometheus.NewDesc("banli_db_pool_acquires_total",
		"Connections taken from the database pool.", nil, nil)
	poolEmptyAcquires = prometheus.NewDesc("banli_db_pool_empty_acquires_total",
		"Connections taken from the database pool that had to wait: none was idle.", nil, nil)
	poolAcquireWait = prometheus.NewDesc("banli_db_pool_acquire_wait_seconds_total",
		"Time spent waiting for a connection of the database pool when none was idle.", nil, nil)
	poolCanceledAcquires = prometheus.NewDesc("banli_db_pool_canceled_acquires_total",
		"Waits for a connection of the database pool given up (the request's context ended).", nil, nil)
)

// poolCollector reads pgxpool.Stat: a copy of counters, no query.
type poolCollector struct {
	pool *pgxpool.Pool
}

// Describe implements prometheus.Collector.
func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolAcquired, poolIdle, poolTotal, poolMax,
		poolAcquires, poolEmptyAcquires, poolAcquireWait, poolCanceledAcquires} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.pool.Stat()
	ch <- prometheus.MustNewConstMetric(poolAcquired, prometheus.GaugeValue, float64(s.AcquiredConns()))
	ch <- prometheus.MustNewConstMetric(poolIdle, prometheus.GaugeValue, float64(s.IdleConns()))
	ch <- prometheus.MustNewConstMetric(poolTotal, prometheus.GaugeValue, float64(s.TotalConns()))
	ch <- prometheus.MustNewConstMetric(poolMax, prometheus.GaugeValue, float64(s.MaxConns()))
	ch <- prometheus.MustNewConstMetric(poolAcquires, prometheus.CounterValue, float64(s.AcquireCount()))
	ch <- prometheus.MustNewConstMetric(poolEmptyAcquires, prometheus.CounterValue, float64(s.EmptyAcquireCount()))
	ch <- prometheus.MustNewConstMetric(poolAcquireWait, prometheus.CounterValue, s.EmptyAcquireWaitTime().Seconds())
	ch <- prometheus.MustNewConstMetric(poolCanceledAcquires, prometheus.CounterValue, float64(s.CanceledAcquireCount()))
}
