package storage

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// JobCount is how many River jobs of one queue are in one state.
type JobCount struct {
	Queue string
	State rivertype.JobState
	Count int64
}

// JobCountStates are the states JobCounts counts: a job's life before it is
// finalized (completed, cancelled or discarded jobs are history, not depth).
var JobCountStates = []rivertype.JobState{
	rivertype.JobStateAvailable,
	rivertype.JobStatePending,
	rivertype.JobStateRetryable,
	rivertype.JobStateRunning,
	rivertype.JobStateScheduled,
}

// jobCountQueues bounds the queues River lists for JobCounts.
const jobCountQueues = 100

// JobCounts returns the depth of River's queues: the jobs in each of
// JobCountStates by queue, with a zero for each state of every queue River
// lists (Client.QueueList: the queues of the clients that work jobs), so
// that an empty queue reads 0, not absent. River's client API lists queues
// but does not count jobs (the driver's counts are marked unstable): the
// counts are one grouped query, which River's (state, queue, …) index
// answers without reading finalized jobs.
func (db *DB) JobCounts(ctx context.Context) ([]JobCount, error) {
	queues, err := db.jobs.QueueList(ctx, river.NewQueueListParams().First(jobCountQueues))
	if err != nil {
		return nil, fmt.Errorf("error listing River's queues: %w", err)
	}
	states := make([]string, len(JobCountStates))
	for i, s := range JobCountStates {
		states[i] = string(s)
	}
	rows, err := db.Pool.Query(ctx, `
		SELECT queue, state::text, count(*) FROM river_job WHERE state = ANY($1::river_job_state[])
		GROUP BY queue, state ORDER BY queue, state`, states)
	if err != nil {
		return nil, fmt.Errorf("error counting River's jobs: %w", err)
	}
	counted, err := pgx.CollectRows(rows, pgx.RowToStructByPos[JobCount])
	if err != nil {
		return nil, fmt.Errorf("error counting River's jobs: %w", err)
	}
	type key struct {
		queue string
		state rivertype.JobState
	}
	seen := map[key]bool{}
	for _, c := range counted {
		seen[key{c.Queue, c.State}] = true
	}
	out := counted
	for _, q := range queues.Queues {
		for _, s := range JobCountStates {
			if !seen[key{q.Name, s}] {
				seen[key{q.Name, s}] = true
				out = append(out, JobCount{Queue: q.Name, State: s})
			}
		}
	}
	return out, nil
}
