package config

import (
	"fmt"
	"strconv"
)

// Process modes: which halves of banli a process runs (BANLI_MODE). Scale
// out with more "web" processes behind a load balancer and one or more
// "worker" processes; "all" does both.
const (
	ModeAll    = "all"
	ModeWeb    = "web"
	ModeWorker = "worker"
)

// Jobs configures the background work (River).
type Jobs struct {
	// Mode is all, web (serve HTTP, insert jobs, work none) or worker (work
	// jobs, serve only /healthz and /readyz) (BANLI_MODE, default all).
	Mode string
	// ReminderWorkers, NotifyWorkers and DefaultWorkers are the worker
	// counts of the reminders, notify and default queues
	// (BANLI_REMINDER_WORKERS, BANLI_NOTIFY_WORKERS, BANLI_DEFAULT_WORKERS;
	// defaults 5, 5, 2).
	ReminderWorkers int
	NotifyWorkers   int
	DefaultWorkers  int
}

// Works reports whether the process works jobs.
func (j Jobs) Works() bool { return j.Mode != ModeWeb }

// ServesWeb reports whether the process serves the application.
func (j Jobs) ServesWeb() bool { return j.Mode != ModeWorker }

func loadJobs(c *Config, get func(string) string) []error {
	var errs []error
	c.Jobs = Jobs{Mode: ModeAll, ReminderWorkers: 5, NotifyWorkers: 5, DefaultWorkers: 2}
	if v := get("BANLI_MODE"); v != "" {
		switch v {
		case ModeAll, ModeWeb, ModeWorker:
			c.Jobs.Mode = v
		default:
			errs = append(errs, fmt.Errorf("BANLI_MODE: %q is not one of all, web, worker", v))
		}
	}
	for _, f := range []struct {
		name string
		dst  *int
	}{
		{"BANLI_REMINDER_WORKERS", &c.Jobs.ReminderWorkers},
		{"BANLI_NOTIFY_WORKERS", &c.Jobs.NotifyWorkers},
		{"BANLI_DEFAULT_WORKERS", &c.Jobs.DefaultWorkers},
	} {
		if v := get(f.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 1000 {
				errs = append(errs, fmt.Errorf("%s: %q is not a number of workers from 1 to 1000", f.name, v))
				continue
			}
			*f.dst = n
		}
	}
	return errs
}
