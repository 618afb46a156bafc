package config_test

import (
	"strings"
	"testing"

	"github.com/banli-gov/banli/internal/config"
)

func TestLoadMetrics(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(map[string]string{"BANLI_METRICS_ADDR": "127.0.0.1:9090"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.MetricsAddr != "127.0.0.1:9090" {
		t.Errorf("MetricsAddr = %q", c.MetricsAddr)
	}
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"BANLI_METRICS_ADDR": "9090"}, `BANLI_METRICS_ADDR: "9090" is not host:port`},
		{map[string]string{"BANLI_METRICS_ADDR": "127.0.0.1:8080"}, `BANLI_METRICS_ADDR: "127.0.0.1:8080" is the listen address`},
		{map[string]string{"BANLI_LISTEN_ADDR": ":9000", "BANLI_METRICS_ADDR": ":9000"}, `BANLI_METRICS_ADDR: ":9000" is the listen address`},
	} {
		if _, err := config.Load(env(tt.env)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want %q", tt.env, err, tt.want)
		}
	}
}
