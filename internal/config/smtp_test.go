package config_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/config"
)

func TestLoadSMTP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want config.SMTP
	}{
		{"unset: no e-mail", nil, config.SMTP{}},
		{"loopback defaults to port 25 and no TLS",
			map[string]string{"BANLI_SMTP_HOST": "127.0.0.1", "BANLI_SMTP_FROM": "banli@example.gov.cn"},
			config.SMTP{Host: "127.0.0.1", Port: 25, From: "<banli@example.gov.cn>", TLS: "none"}},
		{"localhost",
			map[string]string{"BANLI_SMTP_HOST": "localhost", "BANLI_SMTP_PORT": "1025", "BANLI_SMTP_FROM": "banli@example.gov.cn"},
			config.SMTP{Host: "localhost", Port: 1025, From: "<banli@example.gov.cn>", TLS: "none"}},
		{"IPv6 loopback in brackets",
			map[string]string{"BANLI_SMTP_HOST": "[::1]", "BANLI_SMTP_FROM": "banli@example.gov.cn"},
			config.SMTP{Host: "::1", Port: 25, From: "<banli@example.gov.cn>", TLS: "none"}},
		{"remote host defaults to STARTTLS; display name kept",
			map[string]string{"BANLI_SMTP_HOST": "smtp.wuhan.gov.cn", "BANLI_SMTP_PORT": "587",
				"BANLI_SMTP_FROM": "建议办理系统 <banli@wuhan.gov.cn>", "BANLI_SMTP_USERNAME": "banli", "BANLI_SMTP_PASSWORD": "s3cret"},
			config.SMTP{Host: "smtp.wuhan.gov.cn", Port: 587, From: "=?utf-8?q?=E5=BB=BA=E8=AE=AE=E5=8A=9E=E7=90=86=E7=B3=BB=E7=BB=9F?= <banli@wuhan.gov.cn>",
				Username: "banli", Password: "s3cret", TLS: "starttls"}},
		{"implicit TLS",
			map[string]string{"BANLI_SMTP_HOST": "smtp.example.org", "BANLI_SMTP_PORT": "465", "BANLI_SMTP_FROM": "a@example.org", "BANLI_SMTP_TLS": "TLS"},
			config.SMTP{Host: "smtp.example.org", Port: 465, From: "<a@example.org>", TLS: "tls"}},
		{"mailpit in docker compose: a remote host without TLS, no login",
			map[string]string{"BANLI_SMTP_HOST": "mailpit", "BANLI_SMTP_PORT": "1025", "BANLI_SMTP_FROM": "a@example.org", "BANLI_SMTP_TLS": "none"},
			config.SMTP{Host: "mailpit", Port: 1025, From: "<a@example.org>", TLS: "none"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := config.Load(env(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if c.SMTP != tt.want {
				t.Errorf("SMTP = %+v, want %+v", c.SMTP, tt.want)
			}
			if c.SMTP.Enabled() != (tt.want.Host != "") {
				t.Errorf("Enabled() = %v", c.SMTP.Enabled())
			}
		})
	}
}

func TestLoadSMTPErrors(t *testing.T) {
	t.Parallel()
	const secret = "pa55-w0rd!"
	base := map[string]string{"BANLI_SMTP_HOST": "smtp.example.org", "BANLI_SMTP_FROM": "a@example.org"}
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"from missing", map[string]string{"BANLI_SMTP_FROM": ""}, "BANLI_SMTP_FROM: required with BANLI_SMTP_HOST"},
		{"from malformed", map[string]string{"BANLI_SMTP_FROM": "banli at example"}, `BANLI_SMTP_FROM: "banli at example" is not an e-mail address`},
		{"host with port", map[string]string{"BANLI_SMTP_HOST": "smtp.example.org:587"}, "BANLI_SMTP_HOST: \"smtp.example.org:587\": give the host alone"},
		{"host as URL", map[string]string{"BANLI_SMTP_HOST": "smtp://smtp.example.org"}, "BANLI_SMTP_HOST: \"smtp://smtp.example.org\" is not a host name"},
		{"port", map[string]string{"BANLI_SMTP_PORT": "smtp"}, `BANLI_SMTP_PORT: "smtp" is not a port number`},
		{"port range", map[string]string{"BANLI_SMTP_PORT": "70000"}, `BANLI_SMTP_PORT: "70000" is not a port number`},
		{"tls", map[string]string{"BANLI_SMTP_TLS": "ssl"}, `BANLI_SMTP_TLS: "ssl" is not one of none, starttls, tls`},
		{"password without user", map[string]string{"BANLI_SMTP_PASSWORD": secret}, "BANLI_SMTP_USERNAME: required with BANLI_SMTP_PASSWORD"},
		{"user without password", map[string]string{"BANLI_SMTP_USERNAME": "banli"}, "BANLI_SMTP_PASSWORD: required with BANLI_SMTP_USERNAME"},
		{"password in clear to a remote host", map[string]string{"BANLI_SMTP_USERNAME": "banli", "BANLI_SMTP_PASSWORD": secret, "BANLI_SMTP_TLS": "none"},
			"BANLI_SMTP_TLS: none would send the SMTP password in clear to smtp.example.org"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := map[string]string{}
			for k, v := range base {
				e[k] = v
			}
			for k, v := range tt.env {
				e[k] = v
			}
			_, err := config.Load(env(e))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load: %v, want an error with %q", err, tt.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("the error repeats the password: %v", err)
			}
		})
	}
}

func TestSMTPNeverPrintsPassword(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(map[string]string{"BANLI_SMTP_HOST": "smtp.example.org", "BANLI_SMTP_FROM": "a@example.org",
		"BANLI_SMTP_USERNAME": "banli", "BANLI_SMTP_PASSWORD": "pa55-w0rd!"}))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{fmt.Sprint(c.SMTP), fmt.Sprintf("%v %+v %#v %s", c.SMTP, c.SMTP, c.SMTP, c.SMTP), c.SMTP.LogValue().String()} {
		if strings.Contains(s, "pa55") {
			t.Errorf("printed the password: %s", s)
		}
	}
	if got := c.SMTP.Addr(); got != "smtp.example.org:25" {
		t.Errorf("Addr() = %q", got)
	}
}
