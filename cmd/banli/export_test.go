package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/banli-gov/banli/internal/demo"
	"github.com/banli-gov/banli/internal/docx"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/workflow"
)

// TestExportStats: `banli export stats` writes the demo session's
// statistics as XLSX and CSV (by the file's extension) with the figures
// the dashboard counts; bad arguments are refused with the usage.
func TestExportStats(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testdb.New(t)
	env := map[string]string{"DATABASE_URL": url}
	if code, out, errOut := runWith(t, env, "demo"); code != 0 {
		t.Fatalf("demo: %d %q %q", code, out, errOut)
	}
	db, err := storage.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := db.SessionByShortName(ctx, demo.SessionShort)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := db.Calendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	today := db.Clock.Today()
	soon, _ := workflow.SoonUntil(cal, today)
	st, err := db.Statistics(ctx, storage.StatisticsScope{SessionID: s.ID}, today, soon)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range []string{"stats.xlsx", "stats.csv"} {
		file := filepath.Join(dir, name)
		if code, out, errOut := runWith(t, env, "export", "stats", "--session", demo.SessionShort, "-o", file); code != 0 {
			t.Fatalf("export stats -o %s: %d %q %q", name, code, out, errOut)
		}
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var rows [][]string
		if filepath.Ext(name) == ".xlsx" {
			f, err := excelize.OpenReader(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			rows, err = f.GetRows(f.GetSheetList()[0])
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
		} else {
			if !bytes.HasPrefix(raw, []byte("\ufeff")) {
				t.Fatalf("%s: no byte order mark", name)
			}
			if rows, err = csv.NewReader(bytes.NewReader(raw[3:])).ReadAll(); err != nil {
				t.Fatal(err)
			}
		}
		total := rows[len(rows)-1]
		if total[0] != "合计" || len(rows) != len(st.Units)+2 {
			t.Fatalf("%s: %d rows, last %q", name, len(rows), total)
		}
		for _, fig := range workflow.AllFigures() {
			i := slices.Index(rows[0], fig.LabelZH())
			r := st.Total.Rate(fig)
			if i < 0 || total[i] != r.Percent() || total[i+1] != strconv.Itoa(r.Num) || total[i+2] != strconv.Itoa(r.Den) {
				t.Errorf("%s: %s column %d: %q, want %s (%d/%d)", name, fig.LabelZH(), i, total[max(i, 0):max(i+3, 0)], r.Percent(), r.Num, r.Den)
			}
		}
		if st.Total.MeetingRate().Num == 0 {
			t.Errorf("the demo's 面商率 is 0: the deputies' reported meetings do not count")
		}
	}
	for _, args := range [][]string{{"export"}, {"export", "stats"}, {"export", "stats", "-o", filepath.Join(dir, "x.pdf")},
		{"export", "stats", "--year", "12", "-o", filepath.Join(dir, "x.csv")}} {
		if code, _, errOut := runWith(t, env, args...); code != exitUsage || errOut == "" {
			t.Errorf("%q: exit %d %q, want %d with a message", args, code, errOut, exitUsage)
		}
	}
	if code, _, _ := runWith(t, env, "export", "stats", "--session", "无此会议", "-o", filepath.Join(dir, "x.csv")); code != 1 {
		t.Errorf("unknown session: exit %d, want 1", code)
	}
}

// TestExportReport: `banli export report` writes the handling report of
// the demo's latest session as a DOCX file that reopens, titled for the
// session, quoting the totals the dashboard counts and naming the key
// suggestion; bad arguments are refused with the usage.
func TestExportReport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testdb.New(t)
	env := map[string]string{"DATABASE_URL": url}
	if code, out, errOut := runWith(t, env, "demo"); code != 0 {
		t.Fatalf("demo: %d %q %q", code, out, errOut)
	}
	db, err := storage.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sessions, err := db.Sessions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cur := sessions[0]
	cal, err := db.Calendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	today := db.Clock.Today()
	soon, _ := workflow.SoonUntil(cal, today)
	st, err := db.Statistics(ctx, storage.StatisticsScope{SessionID: cur.ID}, today, soon)
	if err != nil {
		t.Fatal(err)
	}

	file := filepath.Join(t.TempDir(), "报告.docx")
	if code, out, errOut := runWith(t, env, "export", "report", "--session", cur.ShortName, "-o", file); code != 0 {
		t.Fatalf("export report: %d %q %q", code, out, errOut)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	paras, err := docx.ParagraphsOf(raw)
	if err != nil {
		t.Fatal(err)
	}
	if want := "关于" + cur.Name + "代表建议办理情况的报告"; !slices.Contains(paras, want) {
		t.Errorf("no title %q in %q", want, paras[:min(len(paras), 3)])
	}
	text := strings.Join(paras, "\n")
	for _, fig := range []workflow.Figure{workflow.FigureReplyRateSuggestions, workflow.FigureReplyRate, workflow.FigureOnTimeRate,
		workflow.FigureMeetingRate, workflow.FigureSatisfiedInclBasic} {
		if want := fig.LabelZH() + st.Total.Rate(fig).Percent(); !strings.Contains(text, want) {
			t.Errorf("the report lacks %s", want)
		}
	}
	if want := fmt.Sprintf("第%d0501号《关于系统推进东湖水环境综合治理的建议》", cur.OpenedOn.Year); !strings.Contains(text, want) {
		t.Errorf("the report lacks the key suggestion %s", want)
	}

	dir := t.TempDir()
	for _, args := range [][]string{{"export", "report"}, {"export", "report", "-o", filepath.Join(dir, "x.xlsx")}} {
		if code, _, errOut := runWith(t, env, args...); code != exitUsage || errOut == "" {
			t.Errorf("%q: exit %d %q, want %d with a message", args, code, errOut, exitUsage)
		}
	}
	if code, _, _ := runWith(t, env, "export", "report", "--session", "无此会议", "-o", filepath.Join(dir, "x.docx")); code != 1 {
		t.Errorf("unknown session: exit %d, want 1", code)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.docx")); err == nil {
		t.Error("a failed run left a file")
	}
}
