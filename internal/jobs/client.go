package jobs

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/metrics"
	"github.com/banli-gov/banli/internal/notify"
	"github.com/banli-gov/banli/internal/storage"
)

// Options tunes NewClient beyond the configuration.
type Options struct {
	// Time replaces River's clock (tests); nil is the real clock.
	Time rivertype.TimeGenerator
	// HTTPClient delivers webhooks; nil is a client with a timeout.
	HTTPClient *http.Client
	// Metrics counts the reminders sent and their lag; nil counts nothing.
	Metrics *metrics.Metrics
}

// burstFetchCooldown is the fetch cooldown of the reminder and delivery
// queues (see NewClient).
const burstFetchCooldown = 5 * time.Millisecond

// NewClient builds the River client of a banli process: with cfg.Jobs.Works
// it registers every worker, the queues with their worker counts and the
// daily digest; a web-only process gets a client that only inserts.
// Start it to work jobs; Stop it on shutdown.
func NewClient(db *storage.DB, cfg *config.Config, logger *slog.Logger, opts Options) (*river.Client[pgx.Tx], error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	rc := &river.Config{Logger: logger}
	if opts.Time != nil {
		rc.Test.Time = opts.Time
	}
	if cfg.Jobs.Works() {
		workers := river.NewWorkers()
		reminders := NewReminderWorker(db, logger)
		reminders.Metrics = opts.Metrics
		if err := river.AddWorkerSafely(workers, reminders); err != nil {
			return nil, err
		}
		if err := river.AddWorkerSafely(workers, NewDigestWorker(db, logger)); err != nil {
			return nil, err
		}
		hc := opts.HTTPClient
		if hc == nil {
			hc = &http.Client{Timeout: 15 * time.Second}
		}
		if err := notify.AddWorkers(workers, notify.Deps{Pool: db.Pool, SMTP: cfg.SMTP, BaseURL: cfg.BaseURL, HTTPClient: hc, Logger: logger, Clock: db.Clock}); err != nil {
			return nil, err
		}
		rc.Workers = workers
		// A queue fetches again at most FetchCooldown after it found jobs
		// (River's default 100 ms): with five workers that capped a burst
		// of reminders at 50 a second while each takes some 7 ms of work.
		// Reminders and deliveries come in bursts (every notice of a day is
		// due at the same minute): they fetch again after 5 ms while there
		// are jobs; an empty queue still waits for River's poll or notice.
		rc.Queues = map[string]river.QueueConfig{
			river.QueueDefault:    {MaxWorkers: cfg.Jobs.DefaultWorkers},
			storage.ReminderQueue: {MaxWorkers: cfg.Jobs.ReminderWorkers, FetchCooldown: burstFetchCooldown},
			notify.Queue:          {MaxWorkers: cfg.Jobs.NotifyWorkers, FetchCooldown: burstFetchCooldown},
		}
		rc.PeriodicJobs = []*river.PeriodicJob{
			river.NewPeriodicJob(dailySchedule{digestHour, digestMinute}, func() (river.JobArgs, *river.InsertOpts) {
				return DigestArgs{Day: db.Clock.Today()}, nil
			}, nil),
		}
	}
	client, err := river.NewClient(riverpgxv5.New(db.JobPool()), rc)
	if err != nil {
		return nil, fmt.Errorf("error creating the job client: %w", err)
	}
	return client, nil
}
