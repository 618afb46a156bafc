package notify

import (
	"net/mail"
	"time"

	"github.com/riverqueue/river"
)

// The delivery workers, for tests that work a job again as a retry would.

// NewEmailWorker returns the e-mail worker AddWorkers registers.
func NewEmailWorker(deps Deps) river.Worker[EmailArgs] {
	return &emailWorker{deps: mustPrepare(deps)}
}

// NewWebhookWorker returns the webhook worker AddWorkers registers.
func NewWebhookWorker(deps Deps) river.Worker[WebhookArgs] {
	return &webhookWorker{deps: mustPrepare(deps)}
}

func mustPrepare(deps Deps) Deps {
	deps, err := deps.prepared()
	if err != nil {
		panic(err)
	}
	return deps
}

// BuildEmail is the e-mail of a delivery with that id, subject, text and link.
func BuildEmail(deps Deps, id int64, subject, text, link, from, to string, now time.Time) ([]byte, error) {
	a, err := mail.ParseAddress(from)
	if err != nil {
		return nil, err
	}
	return deps.buildEmail(&delivery{ID: id, Subject: subject, Body: text, Link: link}, a, to, now)
}

// WebhookBody is the JSON posted to a robot of format.
var WebhookBody = webhookBody
