package workflow

import (
	"errors"
	"fmt"
)

// ErrorCode classifies a domain error; the web layer maps each code to one
// HTTP status in one place.
type ErrorCode string

const (
	// ErrInvalid means the input is malformed or breaks a rule (HTTP 400/422).
	ErrInvalid ErrorCode = "invalid"
	// ErrNotFound means the thing asked for does not exist or is not visible
	// to the caller (HTTP 404).
	ErrNotFound ErrorCode = "not_found"
	// ErrConflict means the request is well-formed but the current state does
	// not allow it: a stale version, an action not available in this state,
	// a guard that fails (HTTP 409).
	ErrConflict ErrorCode = "conflict"
	// ErrPrecondition means the version the caller named in a condition of
	// its request (If-Match) is not the current one (HTTP 412): someone
	// changed the thing since the caller read it.
	ErrPrecondition ErrorCode = "precondition_failed"
	// ErrForbidden means the caller's role or department may not do this
	// (HTTP 403).
	ErrForbidden ErrorCode = "forbidden"
	// ErrUnauthorized means the caller is not logged in (HTTP 401).
	ErrUnauthorized ErrorCode = "unauthorized"
	// ErrTooLarge means the request is larger than banli accepts (HTTP 413):
	// the caller can shorten it.
	ErrTooLarge ErrorCode = "too_large"
	// ErrUnavailable means something banli needs, such as the database, does
	// not answer for now (HTTP 503): the same request may succeed later.
	ErrUnavailable ErrorCode = "unavailable"
	// ErrInternal means something broke that the caller cannot fix (HTTP 500);
	// its message is never shown to users.
	ErrInternal ErrorCode = "internal"
)

// Error is a domain error: a code and a message that is safe to show to the
// user, in plain Chinese words that say what happened and what to do. Guard
// is set when a named guard of the transition table, or a named rule such as
// an assignment rule, refused; Rule names another rule that refused (an
// action not available in this state, a role that may not, a stale page),
// so that a user interface can say it in its own language (RuleOf), with
// Reason and Args.
type Error struct {
	Code    ErrorCode
	Message string
	Guard   string
	// Rule names the rule that refused when no guard did ("" when none is
	// named).
	Rule string
	// Reason tells which of a guard's or rule's refusals this is, when it
	// has several (reply_decided: class, disclosure, disclosure_reason).
	Reason string
	// Args are the values the message names, in its order: states,
	// actions, dates, counts, awaited co-opinions.
	Args []any
	// Detail is for developers: logged, never shown.
	Detail string
}

// Error implements the error interface.
func (e *Error) Error() string { return e.Message }

// Errorf returns a domain error with the given code and formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Code returns the code of the first domain error in err's chain, ErrInternal
// for any other non-nil error, and "" for nil.
func Code(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ErrInternal
}

// GuardOf returns the name of the guard or rule that refused, of the first
// domain error in err's chain ("" when none is named).
func GuardOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Guard
	}
	return ""
}

// RuleOf returns the name of the guard or rule that refused, of the first
// domain error in err's chain: its Guard, else its Rule ("" when none is
// named). A user interface keys its texts by it (and the error's Reason).
func RuleOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		if e.Guard != "" {
			return e.Guard
		}
		return e.Rule
	}
	return ""
}

// Message returns the user-safe message of err: the domain error's message, or
// "Internal error" for anything else.
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error"
}
