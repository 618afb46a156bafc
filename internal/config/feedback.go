package config

import (
	"errors"
	"fmt"
	"strings"
)

// FeedbackSecretMinLen is the shortest BANLI_FEEDBACK_SECRET accepted:
// 32 bytes, as many as the HMAC-SHA256 it keys. `openssl rand -hex 32`
// makes a good one.
const FeedbackSecretMinLen = 32

// Feedback configures the signed links through which a deputy fills in the
// feedback form (征询意见表) without an account.
type Feedback struct {
	// Secret is the HMAC-SHA256 key that signs the links
	// (BANLI_FEEDBACK_SECRET, at least 32 bytes); nil when unset. Every
	// process serving banli must have the same one, and changing it voids
	// every link given out. Required in production: `banli serve` refuses an
	// https BANLI_BASE_URL without it (RequireFeedbackSecret); elsewhere
	// (banli dev, tests) the web server signs with a random secret of its
	// own process and warns that its links die with it.
	Secret []byte
}

// Configured reports whether a secret was set.
func (f Feedback) Configured() bool { return len(f.Secret) > 0 }

func loadFeedback(c *Config, get func(string) string) []error {
	v := get("BANLI_FEEDBACK_SECRET")
	if v == "" {
		return nil
	}
	if len(v) < FeedbackSecretMinLen {
		// The value is a secret: its length is said, never the value.
		return []error{fmt.Errorf("BANLI_FEEDBACK_SECRET: %d bytes is too short, at least %d are needed "+
			"(e.g. the output of openssl rand -hex 32); the value is not shown", len(v), FeedbackSecretMinLen)}
	}
	c.Feedback.Secret = []byte(v)
	return nil
}

// RequireFeedbackSecret fails when c is a production configuration (an
// https BANLI_BASE_URL) without BANLI_FEEDBACK_SECRET: a random per-process
// secret would break every deputy's link at the next restart and on every
// other process behind the load balancer.
func (c *Config) RequireFeedbackSecret() error {
	if c.Feedback.Configured() || !strings.HasPrefix(c.BaseURL, "https://") {
		return nil
	}
	return errors.New("BANLI_FEEDBACK_SECRET: required when BANLI_BASE_URL is https (production): the key that signs " +
		"the deputies' feedback links, at least 32 bytes and the same on every banli process (e.g. openssl rand -hex 32)")
}
