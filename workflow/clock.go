package workflow

import (
	"sync"
	"time"
	_ "time/tzdata" // the business zone must load on any host, in tests too
)

// Zone returns the zone of the business calendar, Asia/Shanghai: the one
// definition every package uses to turn an instant into a day or a time
// shown to people. The zone database is embedded (time/tzdata), so loading
// it cannot fail.
func Zone() *time.Location { return zone() }

var zone = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic("workflow: Asia/Shanghai is missing from the embedded zone database: " + err.Error())
	}
	return loc
})

// Clock tells the current time. banli builds one clock in main and passes
// it to storage, jobs, web and the CLI, so that every decision — a guard, a
// due date, a reminder, a page's "days left" — sees the same time; tests pin
// it. No decision path reads time.Now itself.
type Clock func() time.Time

// SystemClock is the machine's clock, the one the banli binary runs on.
var SystemClock Clock = time.Now

// FixedClock returns a clock stopped at t.
func FixedClock(t time.Time) Clock { return func() time.Time { return t } }

// Now returns the clock's current time; a nil Clock is the system clock.
func (c Clock) Now() time.Time {
	if c == nil {
		return SystemClock()
	}
	return c()
}

// Today returns the clock's current day in the business calendar.
func (c Clock) Today() Date { return DateOf(c.Now()) }
