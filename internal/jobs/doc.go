// Package jobs runs banli's background work on River: the reminders each
// deadline calls for (inserted by storage in the transaction that sets the
// deadline), the daily digest for the liaison office, and the notification
// deliveries of package notify. Any number of banli processes may run it
// against one database: River hands each job to one worker, the periodic
// digest is enqueued by River's elected leader only, and every notice is
// recorded under a unique key, so nothing is sent twice.
package jobs
