package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A deputy's feedback link (征询意见表) is /feedback/{token}: the deputy
// has no account, so the link itself is the permission to give feedback on
// one round of one case until it expires. The token is
//
//	<case id>.<round>.<expiry, Unix seconds>.<MAC>
//
// where MAC is the unpadded base64url HMAC-SHA256, keyed with
// BANLI_FEEDBACK_SECRET, of feedbackMACPrefix and the three numbers as they
// appear in the token. Changing any of them, or the MAC, voids the link;
// nothing is stored. It works once: the form is refused once feedback on
// its round is recorded (by the deputy or by the liaison).

// feedbackLinkTTL is how long a feedback link works.
const feedbackLinkTTL = 30 * 24 * time.Hour

// feedbackMACPrefix separates these MACs from any other use of the key.
const feedbackMACPrefix = "banli feedback link v1\n"

// feedbackClaim is what a feedback link grants.
type feedbackClaim struct {
	CaseID  int64
	Round   int
	Expires time.Time
}

// Why a feedback link is refused.
var (
	errFeedbackLinkInvalid = errors.New("feedback link malformed or its signature wrong")
	errFeedbackLinkExpired = errors.New("feedback link expired")
)

// feedbackToken returns the token of claim, signed with secret.
func feedbackToken(secret []byte, c feedbackClaim) string {
	return signLink(secret, feedbackMACPrefix, fmt.Sprintf("%d.%d.%d", c.CaseID, c.Round, c.Expires.Unix()))
}

// parseFeedbackToken checks token's signature with secret and its expiry
// against now, and returns its claim: errFeedbackLinkInvalid for a token
// that is malformed or not signed with secret, errFeedbackLinkExpired for a
// genuine one past its expiry.
func parseFeedbackToken(secret []byte, token string, now time.Time) (feedbackClaim, error) {
	var c feedbackClaim
	n, err := verifyLink(secret, feedbackMACPrefix, token, 3)
	if err != nil || n[0] <= 0 || n[1] <= 0 || n[1] > 1<<20 {
		return c, errFeedbackLinkInvalid
	}
	c = feedbackClaim{CaseID: n[0], Round: int(n[1]), Expires: time.Unix(n[2], 0)}
	if !now.Before(c.Expires) {
		return c, errFeedbackLinkExpired
	}
	return c, nil
}

// signLink returns payload with its MAC appended after a dot: the
// unpadded base64url HMAC-SHA256, keyed with secret, of prefix and
// payload. Every signed link of banli (the feedback form's, the deputy's
// page's) is made so, each with a prefix of its own so that a token of one
// kind is never one of another.
func signLink(secret []byte, prefix, payload string) string {
	return payload + "." + linkMAC(secret, prefix, payload)
}

func linkMAC(secret []byte, prefix, payload string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(prefix + payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// verifyLink checks the MAC of token (signLink, with prefix and secret)
// and returns its payload's n dot-separated integers; errFeedbackLinkInvalid
// for a token that is malformed or not so signed.
func verifyLink(secret []byte, prefix, token string, n int) ([]int64, error) {
	if len(token) > 200 {
		return nil, errFeedbackLinkInvalid
	}
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return nil, errFeedbackLinkInvalid
	}
	payload, mac := token[:i], token[i+1:]
	if !hmac.Equal([]byte(mac), []byte(linkMAC(secret, prefix, payload))) {
		return nil, errFeedbackLinkInvalid
	}
	parts := strings.Split(payload, ".")
	if len(parts) != n {
		return nil, errFeedbackLinkInvalid
	}
	out := make([]int64, n)
	for j, p := range parts {
		v, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return nil, errFeedbackLinkInvalid
		}
		out[j] = v
	}
	return out, nil
}

// processFeedbackSecret is the key of feedback links when
// BANLI_FEEDBACK_SECRET is unset (banli dev, tests): random, made once per
// process, so its links die with the process and other processes refuse
// them. banli serve requires the setting in production.
var (
	processFeedbackSecret = sync.OnceValue(func() []byte {
		b := make([]byte, 32)
		_, _ = rand.Read(b) // crypto/rand.Read never fails
		return b
	})
	processFeedbackSecretWarning sync.Once
)

// feedbackSecret returns the key of feedback links: the configured one, or
// this process's random one, with a warning the first time.
func (s *server) feedbackSecret() []byte {
	if s.cfg.Feedback.Configured() {
		return s.cfg.Feedback.Secret
	}
	processFeedbackSecretWarning.Do(func() {
		s.logger.Warn("BANLI_FEEDBACK_SECRET is not set: deputies' feedback links are signed with a random key of this process; " +
			"they stop working when it restarts and other processes refuse them")
	})
	return processFeedbackSecret()
}
