package config_test

import (
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/config"
)

// TestAttachmentMax: BANLI_ATTACHMENT_MAX_MB sets the size limit of one
// attachment in whole MiB; a value that is not one is refused by name.
func TestAttachmentMax(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		value string
		want  int64
	}{{"", 20 << 20}, {"5", 5 << 20}, {" 100 ", 100 << 20}} {
		c, err := config.Load(env(map[string]string{"BANLI_ATTACHMENT_MAX_MB": tt.value}))
		if err != nil {
			t.Fatalf("%q: %v", tt.value, err)
		}
		if c.AttachmentMaxBytes != tt.want {
			t.Errorf("%q: %d, want %d", tt.value, c.AttachmentMaxBytes, tt.want)
		}
	}
	for _, bad := range []string{"0", "-1", "1.5", "20MB", "100000"} {
		_, err := config.Load(env(map[string]string{"BANLI_ATTACHMENT_MAX_MB": bad}))
		if err == nil || !strings.Contains(err.Error(), "BANLI_ATTACHMENT_MAX_MB") {
			t.Errorf("%q: %v, want an error naming the setting", bad, err)
		}
	}
}
