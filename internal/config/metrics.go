package config

import "fmt"

// loadMetrics reads BANLI_METRICS_ADDR (Config.MetricsAddr).
func loadMetrics(c *Config, get func(string) string) []error {
	v := get("BANLI_METRICS_ADDR")
	if v == "" {
		return nil
	}
	if err := checkHostPort(v); err != nil {
		return []error{fmt.Errorf("BANLI_METRICS_ADDR: %q is not host:port", v)}
	}
	if v == c.ListenAddr {
		return []error{fmt.Errorf("BANLI_METRICS_ADDR: %q is the listen address (BANLI_LISTEN_ADDR): metrics and profiles need an address of their own", v)}
	}
	c.MetricsAddr = v
	return nil
}
