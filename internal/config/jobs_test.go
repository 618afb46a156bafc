package config_test

import (
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/config"
)

func TestLoadJobs(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(map[string]string{"BANLI_MODE": "worker", "BANLI_REMINDER_WORKERS": "9"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Jobs.Mode != config.ModeWorker || c.Jobs.ReminderWorkers != 9 || c.Jobs.ServesWeb() || !c.Jobs.Works() {
		t.Errorf("jobs: %+v", c.Jobs)
	}
	for _, tt := range []struct{ name, value, want string }{
		{"BANLI_MODE", "both", `BANLI_MODE: "both" is not one of all, web, worker`},
		{"BANLI_NOTIFY_WORKERS", "0", `BANLI_NOTIFY_WORKERS: "0" is not a number of workers`},
		{"BANLI_DEFAULT_WORKERS", "x", `BANLI_DEFAULT_WORKERS: "x"`},
	} {
		_, err := config.Load(env(map[string]string{tt.name: tt.value}))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s=%s: %v, want %q", tt.name, tt.value, err, tt.want)
		}
	}
}
