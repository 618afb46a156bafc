package web

import (
	"fmt"
	"time"
)

// A deputy's own page (代表查询页) is /deputy/{token}: like the feedback
// link (feedback_token.go), the link itself is the permission — to read
// one deputy's suggestions of one congress session until it expires. The
// token is
//
//	<deputy id>.<session id>.<expiry, Unix seconds>.<MAC>
//
// signed as the feedback link is (signLink, keyed with
// BANLI_FEEDBACK_SECRET) under a prefix of its own. Its expiry is stored
// (storage.IssueDeputyLink), so that revoking it ends it.

// deputyLinkTTL is how long a deputy's link works: a reply is due three
// months after assignment, six at most with an extension.
const deputyLinkTTL = 180 * 24 * time.Hour

// deputyMACPrefix separates these MACs from the feedback links'.
const deputyMACPrefix = "banli deputy page v1\n"

// deputyClaim is what a deputy's link grants.
type deputyClaim struct {
	DeputyID  int64
	SessionID int64
	Expires   time.Time
}

// deputyToken returns the token of claim, signed with secret.
func deputyToken(secret []byte, c deputyClaim) string {
	return signLink(secret, deputyMACPrefix, fmt.Sprintf("%d.%d.%d", c.DeputyID, c.SessionID, c.Expires.Unix()))
}

// parseDeputyToken checks token's signature with secret and its expiry
// against now, and returns its claim: errFeedbackLinkInvalid for a token
// that is malformed or not signed with secret (a feedback link's
// included), errFeedbackLinkExpired for a genuine one past its expiry.
func parseDeputyToken(secret []byte, token string, now time.Time) (deputyClaim, error) {
	var c deputyClaim
	n, err := verifyLink(secret, deputyMACPrefix, token, 3)
	if err != nil || n[0] <= 0 || n[1] <= 0 {
		return c, errFeedbackLinkInvalid
	}
	c = deputyClaim{DeputyID: n[0], SessionID: n[1], Expires: time.Unix(n[2], 0)}
	if !now.Before(c.Expires) {
		return c, errFeedbackLinkExpired
	}
	return c, nil
}

// deputyURL is the link of claim.
func (s *server) deputyURL(claim deputyClaim) string {
	return s.cfg.BaseURL + "/deputy/" + deputyToken(s.feedbackSecret(), claim)
}
