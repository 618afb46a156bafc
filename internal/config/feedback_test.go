package config_test

import (
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/config"
)

func TestFeedbackSecret(t *testing.T) {
	t.Parallel()
	secret := strings.Repeat("k", config.FeedbackSecretMinLen)
	c, err := config.Load(env(map[string]string{"BANLI_FEEDBACK_SECRET": secret}))
	if err != nil {
		t.Fatal(err)
	}
	if string(c.Feedback.Secret) != secret || !c.Feedback.Configured() {
		t.Errorf("secret not loaded: %+v", c.Feedback)
	}

	// Too short: refused, with its length but never its value.
	_, err = config.Load(env(map[string]string{"BANLI_FEEDBACK_SECRET": "short-secret-value"}))
	if err == nil || !strings.Contains(err.Error(), "BANLI_FEEDBACK_SECRET: 18 bytes is too short") ||
		strings.Contains(err.Error(), "short-secret-value") {
		t.Errorf("short secret: %v", err)
	}

	// Required in production (https), optional elsewhere.
	for _, tc := range []struct {
		env     map[string]string
		wantErr bool
	}{
		{map[string]string{}, false},
		{map[string]string{"BANLI_BASE_URL": "http://127.0.0.1:8080"}, false},
		{map[string]string{"BANLI_BASE_URL": "https://banli.example.gov.cn"}, true},
		{map[string]string{"BANLI_BASE_URL": "https://banli.example.gov.cn", "BANLI_FEEDBACK_SECRET": secret}, false},
	} {
		c, err := config.Load(env(tc.env))
		if err != nil {
			t.Fatal(err)
		}
		err = c.RequireFeedbackSecret()
		if (err != nil) != tc.wantErr || (err != nil && !strings.Contains(err.Error(), "BANLI_FEEDBACK_SECRET: required")) {
			t.Errorf("%v: RequireFeedbackSecret() = %v, want error %v", tc.env, err, tc.wantErr)
		}
	}
}
