package main

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// latencies is what one measurement recorded: the time of every request
// that succeeded, how many failed, and the wall time of the whole run.
type latencies struct {
	times  []time.Duration
	errors int
	wall   time.Duration
	// firstErr is the first failure's message.
	firstErr string
}

// percentile returns the p-th percentile (0 < p ≤ 100) of the recorded
// times by the nearest-rank method: the smallest time that at least p % of
// the requests took no longer than; 0 when nothing was recorded.
func (l *latencies) percentile(p float64) time.Duration {
	if len(l.times) == 0 {
		return 0
	}
	s := slices.Clone(l.times)
	slices.Sort(s)
	rank := int(float64(len(s))*p/100 + 0.999999)
	rank = min(max(rank, 1), len(s))
	return s[rank-1]
}

// perSecond is how many requests succeeded per second of wall time.
func (l *latencies) perSecond() float64 {
	if l.wall <= 0 {
		return 0
	}
	return float64(len(l.times)) / l.wall.Seconds()
}

// ms formats a duration in milliseconds, with one decimal below 10 ms.
func ms(d time.Duration) string {
	f := float64(d) / float64(time.Millisecond)
	if f < 10 {
		return fmt.Sprintf("%.1f", f)
	}
	return fmt.Sprintf("%.0f", f)
}

// target is one goal of issue 9, checked against a figure.
type target struct {
	text string // how the goal reads: "≥ 0.7", "< 50 ms"
	ok   bool
}

// mark is a target's pass/miss column; "" without a target.
func (t *target) mark() string {
	if t == nil {
		return ""
	}
	if t.ok {
		return "pass"
	}
	return "**miss**"
}

// benchRow is one row of the result table.
type benchRow struct {
	what   string
	figure string
	target *target
}

// below returns a target met when d is under limit.
func below(d, limit time.Duration) *target {
	return &target{text: "< " + ms(limit) + " ms", ok: d < limit}
}

// renderTable writes rows as a Markdown table.
func renderTable(rows []benchRow) string {
	var b strings.Builder
	b.WriteString("| what | figure | target | |\n|---|---|---|---|\n")
	for _, r := range rows {
		t := ""
		if r.target != nil {
			t = r.target.text
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.what, r.figure, t, r.target.mark())
	}
	return b.String()
}
