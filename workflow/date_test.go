package workflow

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// testDate parses a YYYY-MM-DD literal of a test; a typo fails at once.
func testDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestParseDate(t *testing.T) {
	t.Parallel()

	valid := []struct {
		in   string
		want Date
	}{
		{"2024-10-08", Date{2024, time.October, 8}},
		{"2024-02-29", Date{2024, time.February, 29}},
		{"2000-02-29", Date{2000, time.February, 29}},
		{"0001-01-01", Date{1, time.January, 1}},
		{"9999-12-31", Date{9999, time.December, 31}},
	}
	for _, tc := range valid {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseDate(tc.in)
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("ParseDate(%q) = %#v, want %#v", tc.in, got, tc.want)
			}
			if got.String() != tc.in {
				t.Errorf("String() = %q, want %q", got.String(), tc.in)
			}
		})
	}

	invalid := []string{
		"",
		"2024-13-01",
		"2024-00-10",
		"2024-01-00",
		"2024-01-32",
		"2023-02-29",
		"1900-02-29",
		"2024-04-31",
		"0000-01-01",
		"2024-1-01",
		"2024-01-1",
		"24-01-01",
		"2024/01/01",
		"20240101",
		"2024-01-01 ",
		" 2024-01-01",
		"2024-01-01T00:00:00Z",
		"+024-01-01",
		"2024-0a-01",
		"２０２４-01-01",
	}
	for _, in := range invalid {
		t.Run("invalid "+in, func(t *testing.T) {
			t.Parallel()
			_, err := ParseDate(in)
			if err == nil {
				t.Fatalf("ParseDate(%q) succeeded, want an error", in)
			}
			if Code(err) != ErrInvalid {
				t.Errorf("code = %q, want %q", Code(err), ErrInvalid)
			}
			want := `invalid date "` + in + `": want YYYY-MM-DD`
			if err.Error() != want {
				t.Errorf("message = %q, want %q", err.Error(), want)
			}
		})
	}
}

func TestDateOf(t *testing.T) {
	t.Parallel()

	tests := []struct {
		in   time.Time
		want string
	}{
		// 16:00 UTC is midnight in Shanghai: already the next day.
		{time.Date(2024, 9, 30, 15, 59, 59, 0, time.UTC), "2024-09-30"},
		{time.Date(2024, 9, 30, 16, 0, 0, 0, time.UTC), "2024-10-01"},
		{time.Date(2024, 12, 31, 23, 0, 0, 0, time.UTC), "2025-01-01"},
		{time.Date(2024, 10, 1, 0, 0, 0, 0, time.FixedZone("PDT", -7*3600)), "2024-10-01"},
	}
	for _, tc := range tests {
		if got := DateOf(tc.in).String(); got != tc.want {
			t.Errorf("DateOf(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}

	d := testDate("2024-10-08")
	tm := d.Time()
	if got := tm.UTC(); !got.Equal(time.Date(2024, 10, 7, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("Time() = %s, want 2024-10-07 16:00 UTC", got)
	}
	if DateOf(tm) != d {
		t.Errorf("DateOf(Time()) = %s, want %s", DateOf(tm), d)
	}
}

func TestDateArithmetic(t *testing.T) {
	t.Parallel()

	addDays := []struct {
		from string
		n    int
		want string
	}{
		{"2024-02-28", 1, "2024-02-29"},
		{"2023-02-28", 1, "2023-03-01"},
		{"2024-12-31", 1, "2025-01-01"},
		{"2025-01-01", -1, "2024-12-31"},
		{"2024-07-01", 0, "2024-07-01"},
		{"2024-07-01", 92, "2024-10-01"},
	}
	for _, tc := range addDays {
		if got := testDate(tc.from).AddDays(tc.n).String(); got != tc.want {
			t.Errorf("%s.AddDays(%d) = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}

	addMonths := []struct {
		from    string
		n       int
		want    string
		clamped bool
	}{
		{"2024-07-01", 3, "2024-10-01", false},
		{"2024-01-31", 1, "2024-02-29", true},
		{"2023-01-31", 1, "2023-02-28", true},
		{"2024-11-30", 3, "2025-02-28", true},
		{"2024-08-31", 6, "2025-02-28", true},
		{"2024-03-31", 1, "2024-04-30", true},
		{"2024-10-31", 3, "2025-01-31", false},
		{"2024-12-15", 1, "2025-01-15", false},
		{"2023-08-29", 6, "2024-02-29", false},
		{"2024-02-29", 12, "2025-02-28", true},
		{"2024-02-29", 24, "2026-02-28", true},
	}
	for _, tc := range addMonths {
		got, clamped := testDate(tc.from).addMonths(tc.n)
		if got.String() != tc.want || clamped != tc.clamped {
			t.Errorf("%s.addMonths(%d) = %s, %t; want %s, %t", tc.from, tc.n, got, clamped, tc.want, tc.clamped)
		}
	}

	if got := testDate("2024-10-12").Weekday(); got != time.Saturday {
		t.Errorf("2024-10-12 is a %s, want Saturday", got)
	}
	a, b := testDate("2024-09-30"), testDate("2024-10-01")
	if !a.Before(b) || a.After(b) || b.Before(a) || !b.After(a) || a.Before(a) || a.After(a) {
		t.Errorf("Before/After of %s and %s are wrong", a, b)
	}
	if a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Errorf("Compare of %s and %s is wrong", a, b)
	}
	if !(Date{}).IsZero() || a.IsZero() {
		t.Error("IsZero is wrong")
	}
}

func TestDateJSON(t *testing.T) {
	t.Parallel()

	type doc struct {
		Due  Date `json:"due"`
		None Date `json:"none"`
	}
	b, err := json.Marshal(doc{Due: testDate("2024-10-08")})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"due":"2024-10-08","none":""}`; string(b) != want {
		t.Errorf("Marshal = %s, want %s", b, want)
	}

	var got doc
	if err := json.Unmarshal([]byte(`{"due":"2025-02-28","none":""}`), &got); err != nil {
		t.Fatal(err)
	}
	if got.Due != testDate("2025-02-28") || !got.None.IsZero() {
		t.Errorf("Unmarshal = %+v", got)
	}

	err = json.Unmarshal([]byte(`{"due":"2025-02-30"}`), &got)
	if err == nil || !strings.Contains(err.Error(), `invalid date "2025-02-30"`) {
		t.Errorf("Unmarshal of a bad date: err = %v, want invalid date", err)
	}
	if Code(err) != ErrInvalid {
		t.Errorf("Unmarshal of a bad date: code = %q, want %q", Code(err), ErrInvalid)
	}
}
