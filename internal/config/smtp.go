package config

import (
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"strconv"
	"strings"
)

// The ways SMTP connections are secured (BANLI_SMTP_TLS).
const (
	// SMTPTLSNone sends in clear: only for a relay on this host (loopback).
	SMTPTLSNone = "none"
	// SMTPTLSStartTLS connects in clear and upgrades with STARTTLS before
	// anything else; a server that does not offer it is an error (port 587,
	// or 25 between servers).
	SMTPTLSStartTLS = "starttls"
	// SMTPTLSImplicit speaks TLS from the first byte (port 465).
	SMTPTLSImplicit = "tls"
)

// SMTPTLSModes lists every value of BANLI_SMTP_TLS.
var SMTPTLSModes = []string{SMTPTLSNone, SMTPTLSStartTLS, SMTPTLSImplicit}

// DefaultSMTPPort is the SMTP port used when BANLI_SMTP_PORT is unset.
const DefaultSMTPPort = 25

// SMTP is the mail server banli sends its e-mail notifications through.
// The zero value (no Host) means banli sends no e-mail.
type SMTP struct {
	// Host is the SMTP server's host name or IP address, without port
	// (BANLI_SMTP_HOST); empty: no e-mail.
	Host string
	// Port is the server's port (BANLI_SMTP_PORT, default 25).
	Port int
	// From is the sender, an address with an optional display name, e.g.
	// "建议办理系统 <banli@wuhan.gov.cn>" (BANLI_SMTP_FROM, required with
	// Host).
	From string
	// Username and Password log in to the server (BANLI_SMTP_USERNAME,
	// BANLI_SMTP_PASSWORD; both or neither). PLAIN authentication is only
	// ever used over TLS or to a loopback host.
	Username string
	Password string
	// TLS is one of SMTPTLSModes (BANLI_SMTP_TLS; default none for a
	// loopback host, starttls otherwise).
	TLS string
}

// Enabled reports whether an SMTP server is configured.
func (s SMTP) Enabled() bool { return s.Host != "" }

// Addr returns the server's host:port.
func (s SMTP) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// String describes the server without the password.
func (s SMTP) String() string {
	if !s.Enabled() {
		return "no SMTP server"
	}
	auth := "no login"
	if s.Username != "" {
		auth = "login " + s.Username
	}
	return fmt.Sprintf("SMTP %s (%s, %s, from %s)", s.Addr(), s.TLS, auth, s.From)
}

// GoString is String, so that %#v does not print the password either.
func (s SMTP) GoString() string { return s.String() }

// LogValue logs the server without the password.
func (s SMTP) LogValue() slog.Value {
	if !s.Enabled() {
		return slog.StringValue("none")
	}
	return slog.GroupValue(slog.String("addr", s.Addr()), slog.String("tls", s.TLS),
		slog.String("username", s.Username), slog.String("from", s.From))
}

// IsLoopbackHost reports whether host names this machine: localhost or a
// loopback IP address.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// loadSMTP reads the BANLI_SMTP_* variables into c.SMTP. Without
// BANLI_SMTP_HOST the other variables are still checked, and c.SMTP stays
// the zero value. No error repeats the password.
func loadSMTP(c *Config, get func(string) string) []error {
	var errs []error
	fail := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
	}
	s := SMTP{Port: DefaultSMTPPort}

	host := get("BANLI_SMTP_HOST")
	switch {
	case host == "":
	case strings.Contains(host, "://") || strings.ContainsAny(host, "/@ "):
		fail("BANLI_SMTP_HOST", "%q is not a host name or IP address (no scheme, user or path)", host)
	case strings.Contains(strings.Trim(host, "[]"), ":") && net.ParseIP(strings.Trim(host, "[]")) == nil:
		fail("BANLI_SMTP_HOST", "%q: give the host alone; the port is BANLI_SMTP_PORT", host)
	default:
		s.Host = strings.Trim(host, "[]")
	}
	if v := get("BANLI_SMTP_PORT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 65535 {
			fail("BANLI_SMTP_PORT", "%q is not a port number (1-65535)", v)
		} else {
			s.Port = n
		}
	}
	if v := get("BANLI_SMTP_FROM"); v != "" {
		a, err := mail.ParseAddress(v)
		if err != nil {
			fail("BANLI_SMTP_FROM", "%q is not an e-mail address such as 建议办理系统 <banli@example.gov.cn>", v)
		} else {
			s.From = a.String()
		}
	} else if host != "" {
		fail("BANLI_SMTP_FROM", "required with BANLI_SMTP_HOST: the sender address of banli's e-mail")
	}
	s.Username = get("BANLI_SMTP_USERNAME")
	s.Password = get("BANLI_SMTP_PASSWORD")
	switch {
	case s.Username != "" && s.Password == "":
		fail("BANLI_SMTP_PASSWORD", "required with BANLI_SMTP_USERNAME")
	case s.Username == "" && s.Password != "":
		fail("BANLI_SMTP_USERNAME", "required with BANLI_SMTP_PASSWORD")
	}
	if v := strings.ToLower(get("BANLI_SMTP_TLS")); v != "" {
		switch v {
		case SMTPTLSNone, SMTPTLSStartTLS, SMTPTLSImplicit:
			s.TLS = v
		default:
			fail("BANLI_SMTP_TLS", "%q is not one of %s", v, strings.Join(SMTPTLSModes, ", "))
		}
	}
	if s.TLS == "" {
		s.TLS = SMTPTLSStartTLS
		if s.Host == "" || IsLoopbackHost(s.Host) {
			s.TLS = SMTPTLSNone
		}
	}
	if s.Host != "" && s.TLS == SMTPTLSNone && s.Username != "" && !IsLoopbackHost(s.Host) {
		fail("BANLI_SMTP_TLS", "none would send the SMTP password in clear to %s; use starttls or tls", s.Host)
	}
	if s.Host != "" {
		c.SMTP = s
	}
	return errs
}
