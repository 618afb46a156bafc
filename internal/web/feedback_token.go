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
	payload := fmt.Sprintf("%d.%d.%d", c.CaseID, c.Round, c.Expires.Unix())
	return payload + "." + feedbackMAC(secret, payload)
}

func feedbackMAC(secret []byte, payload string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(feedbackMACPrefix + payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// parseFeedbackToken checks token's signature with secret and its expiry
// against now, and returns its claim: errFeedbackLinkInvalid for a token
// that is malformed or not signed with secret, errFeedbackLinkExpired for a
// genuine one past its expiry.
func parseFeedbackToken(secret []byte, token string, now time.Time) (feedbackClaim, error) {
	var c feedbackClaim
	if len(token) > 200 {
		return c, errFeedbackLinkInvalid
	}
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return c, errFeedbackLinkInvalid
	}
	payload, mac := token[:i], token[i+1:]
	if !hmac.Equal([]byte(mac), []byte(feedbackMAC(secret, payload))) {
		return c, errFeedbackLinkInvalid
	}
	parts := strings.Split(payload, ".")
	if len(parts) != 3 {
		return c, errFeedbackLinkInvalid
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	round, err2 := strconv.Atoi(parts[1])
	exp, err3 := strconv.ParseInt(parts[2], 10, 64)
	if err := errors.Join(err1, err2, err3); err != nil || id <= 0 || round <= 0 {
		return c, errFeedbackLinkInvalid
	}
	c = feedbackClaim{CaseID: id, Round: round, Expires: time.Unix(exp, 0)}
	if !now.Before(c.Expires) {
		return c, errFeedbackLinkExpired
	}
	return c, nil
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
