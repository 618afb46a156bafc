// Package metricstest reads a Prometheus scrape in tests: it parses the text
// exposition format (expfmt) and looks up one series by name and labels.
package metricstest

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Scrape is one parsed scrape: the metric families by name.
type Scrape map[string]*dto.MetricFamily

// Parse parses a scrape in the text format.
func Parse(r io.Reader) (Scrape, error) {
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(r)
	if err != nil {
		return nil, fmt.Errorf("error parsing the scrape: %w", err)
	}
	return Scrape(fams), nil
}

// ScrapeHandler gets h's answer to GET path in the text format and parses
// it; the answer must be 200.
func ScrapeHandler(t testing.TB, h http.Handler, path string) Scrape {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept", "text/plain")
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body.String())
	}
	s, err := Parse(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Value returns the value of the series of family name whose labels include
// labels (given as name, value, name, value, …), and whether there is
// exactly one such series. For a histogram name may end in _count or _sum;
// for a summary likewise.
func (s Scrape) Value(name string, labels ...string) (float64, bool) {
	want := map[string]string{}
	for i := 0; i+1 < len(labels); i += 2 {
		want[labels[i]] = labels[i+1]
	}
	family, part := name, ""
	if _, ok := s[name]; !ok {
		for _, suffix := range []string{"_count", "_sum"} {
			if base, ok := strings.CutSuffix(name, suffix); ok {
				family, part = base, suffix
			}
		}
	}
	f, ok := s[family]
	if !ok {
		return 0, false
	}
	var found []float64
	for _, m := range f.Metric {
		have := map[string]string{}
		for _, lp := range m.Label {
			have[lp.GetName()] = lp.GetValue()
		}
		match := true
		for k, v := range want {
			if have[k] != v {
				match = false
			}
		}
		if !match {
			continue
		}
		switch {
		case m.Counter != nil:
			found = append(found, m.Counter.GetValue())
		case m.Gauge != nil:
			found = append(found, m.Gauge.GetValue())
		case m.Untyped != nil:
			found = append(found, m.Untyped.GetValue())
		case m.Histogram != nil && part == "_count":
			found = append(found, float64(m.Histogram.GetSampleCount()))
		case m.Histogram != nil && part == "_sum":
			found = append(found, m.Histogram.GetSampleSum())
		}
	}
	if len(found) != 1 {
		return 0, false
	}
	return found[0], true
}

// LabelValues returns the values label takes in family name, sorted.
func (s Scrape) LabelValues(name, label string) []string {
	set := map[string]bool{}
	if f, ok := s[name]; ok {
		for _, m := range f.Metric {
			for _, lp := range m.Label {
				if lp.GetName() == label {
					set[lp.GetValue()] = true
				}
			}
		}
	}
	return slices.Sorted(maps.Keys(set))
}
