// Package notify tells people what needs doing: an in-app notification in
// each user's inbox (站内通知), an e-mail to each user who has an address,
// and a post to the group robot (企业微信 or 钉钉群机器人) of each department
// that configured one.
//
// Enqueue records a Message in the caller's transaction: the notifications,
// one delivery row per e-mail address and per webhook, and one River job per
// delivery, so that all of it commits or rolls back with the state change
// or reminder that caused it. Its Key makes it idempotent: a user gets at
// most one notification per key, and a target at most one delivery per key
// and channel, ever.
//
// The delivery workers (AddWorkers) send each delivery once. A worker holds
// the delivery's row locked while it sends and marks it sent in the same
// transaction; a retried job finds it sent and does nothing. A crash between
// the send and the commit is the one case that sends twice; an e-mail then
// carries the same Message-ID (<delivery-ID@host>), so the receiving side
// can tell. Failures are retried by River (MaxAttempts in all, River's
// default backoff); after the last the delivery is marked failed with its
// last error. Without an SMTP server (config.SMTP zero) e-mail deliveries are
// still recorded, and fail at once with "no SMTP server configured", so what
// banli would have sent stays visible.
//
// A user may turn off the e-mail of hand-offs (KindHandoff, users.handoff_email;
// EmailOptional); every other kind goes by e-mail to each user with an
// address.
//
// Neither errors nor logs carry a webhook's URL with its key or token
// (MaskURL), nor its signing secret, nor the SMTP password.
package notify
