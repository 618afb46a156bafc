package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/banli-gov/banli/internal/mailpit"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// benchTag marks the reminder jobs the bench inserts.
const benchTag = "bench"

// measureReminders inserts the reminders, all due at the same moment, for
// the deadlines in force (several notices each: River keeps one job per
// distinct arguments), lets the server's workers send them and their
// e-mail to mailpit, and reads the lag of each from River's own record:
// from the due time to the job's completion.
func (b *bench) measureReminders(ctx context.Context, mp *mailpit.Server) error {
	n := b.opts.reminders
	if n == 0 {
		return nil
	}
	var ids []int64
	rows, err := b.db.Pool.Query(ctx, `SELECT id FROM deadlines WHERE ended_at IS NULL ORDER BY id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(ids) == 0 {
		b.notes = append(b.notes, "no deadline in force: reminders not measured")
		return nil
	}
	// An earlier run's reminders on the same database (--seeded) would be
	// counted again, and, unique by their arguments, keep this run's from
	// being inserted: they go first.
	if tag, err := b.db.Pool.Exec(ctx, `DELETE FROM river_job WHERE $1 = ANY(tags)`, benchTag); err != nil {
		return fmt.Errorf("error removing an earlier run's reminders: %w", err)
	} else if tag.RowsAffected() > 0 {
		b.notes = append(b.notes, fmt.Sprintf("%d reminder jobs of an earlier run removed before this run's", tag.RowsAffected()))
	}
	client, err := river.NewClient(riverpgxv5.New(b.db.Pool), &river.Config{})
	if err != nil {
		return err
	}
	// Due a few seconds after the insert will have finished.
	due := time.Now().Add(3*time.Second + time.Duration(n)*time.Millisecond).Truncate(time.Second)
	today := workflow.DateOf(due)
	b.say("inserting %d reminders for %d deadlines, due at %s", n, len(ids), due.Format(time.TimeOnly))
	var params []river.InsertManyParams
	for i := range n {
		args := storage.ReminderArgs{DeadlineID: ids[i%len(ids)], Notice: workflow.NoticeBefore, Day: today,
			WorkingDays: 100 + i/len(ids)}
		opts := args.InsertOpts()
		opts.ScheduledAt = due
		opts.Tags = []string{benchTag}
		params = append(params, river.InsertManyParams{Args: args, InsertOpts: &opts})
		if len(params) == 1000 || i == n-1 {
			if _, err := client.InsertMany(ctx, params); err != nil {
				return fmt.Errorf("error inserting reminders: %w", err)
			}
			params = params[:0]
		}
	}
	if late := time.Since(due); late > 0 {
		b.notes = append(b.notes, fmt.Sprintf("the reminders' insert ended %v after their due time", late.Round(time.Millisecond)))
	}
	deadline := due.Add(b.opts.reminderTimeout)
	const pendingSQL = `SELECT
		count(*) FILTER (WHERE $1 = ANY(tags) AND finalized_at IS NULL),
		count(*) FILTER (WHERE kind = 'notify_email' AND created_at >= $2 AND finalized_at IS NULL)
		FROM river_job WHERE ($1 = ANY(tags) OR kind = 'notify_email') AND finalized_at IS NULL`
	timedOut := false
	for {
		var rem, mail int
		if err := b.db.Pool.QueryRow(ctx, pendingSQL, benchTag, due).Scan(&rem, &mail); err != nil {
			return err
		}
		if rem == 0 && mail == 0 && time.Now().After(due) {
			break
		}
		if time.Now().After(deadline) {
			timedOut = true
			b.notes = append(b.notes, fmt.Sprintf("after %v, %d reminders and %d e-mails were still not done", b.opts.reminderTimeout, rem, mail))
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	lags := func(where string) (*latencies, error) {
		rows, err := b.db.Pool.Query(ctx, `SELECT extract(epoch FROM finalized_at - $2::timestamptz)::float8 FROM river_job WHERE `+where+` AND state = 'completed'`, benchTag, due)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		l := &latencies{}
		for rows.Next() {
			var sec float64
			if err := rows.Scan(&sec); err != nil {
				return nil, err
			}
			d := time.Duration(sec * float64(time.Second))
			l.times = append(l.times, d)
			l.wall = max(l.wall, d)
		}
		return l, rows.Err()
	}
	rem, err := lags(`$1 = ANY(tags)`)
	if err != nil {
		return err
	}
	mail, err := lags(`kind = 'notify_email' AND created_at >= $2 AND $1 <> ''`)
	if err != nil {
		return err
	}
	msgs, err := mp.Messages(ctx)
	if err != nil {
		return err
	}
	b.say("reminders done: %d, e-mails %d (mailpit holds %d)", len(rem.times), len(mail.times), len(msgs))
	var t *target
	if !timedOut && len(mail.times) > 0 {
		t = below(mail.percentile(99), 2*time.Second)
		t.text = "p99 " + t.text + " (e-mail)"
	}
	b.addRow(
		benchRow{fmt.Sprintf("%d reminders due at once: due → notice recorded, p50 / p99; per s", n),
			fmt.Sprintf("%s / %s ms; %.0f/s (%d done)", ms(rem.percentile(50)), ms(rem.percentile(99)), rem.perSecond(), len(rem.times)), nil},
		benchRow{"their e-mails: due → accepted by mailpit, p50 / p99; deliveries per s",
			fmt.Sprintf("%s / %s ms; %.0f/s (%d e-mails)", ms(mail.percentile(50)), ms(mail.percentile(99)), mail.perSecond(), len(mail.times)), t})
	return nil
}

// report prints the table and, with --write, appends it to the file as a
// dated section with the machine described.
func (b *bench) report(ctx context.Context) error {
	var pg string
	if err := b.db.Pool.QueryRow(ctx, `SHOW server_version`).Scan(&pg); err != nil {
		return err
	}
	pg, _, _ = strings.Cut(pg, " ")
	machine := fmt.Sprintf("%d vCPU (%s), %s, %s, %s, PostgreSQL %s (private cluster on the same machine, "+
		"fsync off), load average %s at the start and %s at the end",
		runtime.NumCPU(), runtime.GOARCH, memTotal(), osName(), runtime.Version(), pg, b.loadAt[0], b.loadAt[1])
	table := renderTable(b.rows)
	var sec strings.Builder
	fmt.Fprintf(&sec, "\n## %s — load benchmark, `make bench` (issue 9, part 4), %d proposals\n\n",
		time.Now().UTC().Format("2006-01-02"), b.opts.n)
	fmt.Fprintf(&sec, "```\nBENCH_N=%d make bench\n```\n\n", b.opts.n)
	fmt.Fprintf(&sec, "One run. Machine: %s. Total %v.\n\n", machine, time.Since(b.start).Round(time.Second))
	for _, n := range b.notes {
		fmt.Fprintf(&sec, "- %s\n", n)
	}
	if len(b.notes) > 0 {
		sec.WriteString("\n")
	}
	sec.WriteString(table)
	fmt.Fprint(b.io.Stdout, sec.String())
	if b.opts.write == "" {
		return nil
	}
	f, err := os.OpenFile(b.opts.write, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(sec.String()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// memTotal reads the machine's memory from /proc/meminfo, in GiB.
func memTotal() string {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return "? GiB"
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSpace(v), &kb)
			return fmt.Sprintf("%.0f GiB", float64(kb)/(1<<20))
		}
	}
	return "? GiB"
}

// osName reads the system's name from /etc/os-release.
func osName() string {
	b, err := os.ReadFile("/etc/os-release")
	if err != nil {
		return runtime.GOOS
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
			return strings.Trim(v, `"`)
		}
	}
	return runtime.GOOS
}
