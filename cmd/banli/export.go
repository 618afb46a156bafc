package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/banli-gov/banli/internal/export"
	"github.com/banli-gov/banli/internal/report"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

const exportUsage = `usage:
  banli export stats [--session SHORT_NAME] [--year YYYY] [--lang zh|en] -o FILE
      the dashboard's statistics (督办统计) of a congress session (its short name, e.g.
      市十五届人大三次会议; the latest session by default) or of the cases assigned in a year,
      or of both, as the dashboard's download: FILE.xlsx or FILE.csv (by its extension)
  banli export report [--session SHORT_NAME] -o FILE.docx
      the handling report (办理情况报告) of a congress session (the latest by default) as a
      DOCX draft for the liaison to finish: totals, rates, every unit's figures, the key
      suggestions, withdrawn and converted suggestions, as the dashboard counts them today`

// cmdExport runs `banli export stats` (and `banli export report`,
// cmdExportReport): the liaison's statistics as a
// spreadsheet, the same table as the dashboard's download
// (export.Statistics), counted today (db.Clock).
func cmdExport(ctx context.Context, args []string, io stdio) int {
	if len(args) > 0 && args[0] == "report" {
		return cmdExportReport(ctx, args[1:], io)
	}
	if len(args) == 0 || args[0] != "stats" {
		fmt.Fprintln(io.Stderr, exportUsage)
		return exitUsage
	}
	fs := flag.NewFlagSet("banli export stats", flag.ContinueOnError)
	fs.SetOutput(io.Stderr)
	session := fs.String("session", "", "the session's short name (default: the latest session)")
	year := fs.Int("year", 0, "the year of assignment (Asia/Shanghai)")
	lang := fs.String("lang", ui.LangZH, "the language of the headers: zh or en")
	out := fs.String("o", "", "the file to write: .xlsx or .csv")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 || *out == "" {
		fmt.Fprintln(io.Stderr, exportUsage)
		return exitUsage
	}
	format, err := export.FormatOfFile(*out)
	if err != nil {
		fmt.Fprintf(io.Stderr, "banli export stats: %s: the file must end in .xlsx or .csv\n", *out)
		return exitUsage
	}
	if *lang != ui.LangZH && *lang != ui.LangEN {
		fmt.Fprintf(io.Stderr, "banli export stats: --lang %q: use zh or en\n", *lang)
		return exitUsage
	}
	if *year != 0 && (*year < 1990 || *year > 2200) {
		fmt.Fprintf(io.Stderr, "banli export stats: --year %d is not a year\n", *year)
		return exitUsage
	}
	cfg, ok := needDatabase("export", io)
	if !ok {
		return exitUsage
	}
	db, err := storage.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		fmt.Fprintf(io.Stderr, "banli export: %v\n", err)
		return 1
	}
	defer db.Close()

	scope := storage.StatisticsScope{Year: *year}
	switch {
	case *session != "":
		s, err := db.SessionByShortName(ctx, *session)
		if err != nil {
			fmt.Fprintf(io.Stderr, "banli export stats: session %q: %v\n", *session, err)
			return 1
		}
		scope.SessionID = s.ID
	case *year == 0:
		sessions, err := db.Sessions(ctx)
		if err != nil {
			fmt.Fprintf(io.Stderr, "banli export stats: %v\n", err)
			return 1
		}
		if len(sessions) > 0 {
			scope.SessionID = sessions[0].ID
		}
	}
	n, err := writeStatistics(ctx, db, scope, *lang, format, *out)
	if err != nil {
		fmt.Fprintf(io.Stderr, "banli export stats: %v\n", err)
		return 1
	}
	fmt.Fprintf(io.Stdout, "%s: statistics of %d units written\n", *out, n)
	return 0
}

// writeStatistics writes the statistics of scope to the file name (by way
// of a temporary file beside it, so that a failed run leaves no half
// file) and returns the number of units.
func writeStatistics(ctx context.Context, db *storage.DB, scope storage.StatisticsScope, lang string, format export.Format, name string) (int, error) {
	cal, err := db.Calendar(ctx)
	if err != nil {
		return 0, err
	}
	today := db.Clock.Today()
	soon, _ := workflow.SoonUntil(cal, today)
	st, err := db.Statistics(ctx, scope, today, soon)
	if err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".banli-export-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	w, err := export.New(tmp, format)
	if err == nil {
		err = export.Statistics(w, lang, st)
	}
	if err == nil {
		err = w.Close()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, errors.Join(fmt.Errorf("error writing %s", name), err)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return 0, err
	}
	return len(st.Units), nil
}

// cmdExportReport runs `banli export report`: the handling report of a
// session as a DOCX file, the dashboard's download (report.Load), dated
// and counted today (db.Clock).
func cmdExportReport(ctx context.Context, args []string, io stdio) int {
	fs := flag.NewFlagSet("banli export report", flag.ContinueOnError)
	fs.SetOutput(io.Stderr)
	session := fs.String("session", "", "the session's short name (default: the latest session)")
	out := fs.String("o", "", "the file to write: .docx")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *out == "" {
		fmt.Fprintln(io.Stderr, exportUsage)
		return exitUsage
	}
	if !strings.EqualFold(filepath.Ext(*out), ".docx") {
		fmt.Fprintf(io.Stderr, "banli export report: %s: the file must end in .docx\n", *out)
		return exitUsage
	}
	cfg, ok := needDatabase("export", io)
	if !ok {
		return exitUsage
	}
	db, err := storage.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		fmt.Fprintf(io.Stderr, "banli export: %v\n", err)
		return 1
	}
	defer db.Close()

	var s *workflow.CongressSession
	if *session != "" {
		if s, err = db.SessionByShortName(ctx, *session); err != nil {
			fmt.Fprintf(io.Stderr, "banli export report: session %q: %v\n", *session, err)
			return 1
		}
	} else {
		sessions, err := db.Sessions(ctx)
		if err != nil {
			fmt.Fprintf(io.Stderr, "banli export report: %v\n", err)
			return 1
		}
		if len(sessions) == 0 {
			fmt.Fprintln(io.Stderr, "banli export report: there is no congress session yet")
			return 1
		}
		s = sessions[0]
	}
	f, err := report.Load(ctx, db, s, db.Clock.Today())
	if err != nil {
		fmt.Fprintf(io.Stderr, "banli export report: %v\n", err)
		return 1
	}
	b, err := f.DOCX()
	if err == nil {
		err = writeFileAtomic(*out, b)
	}
	if err != nil {
		fmt.Fprintf(io.Stderr, "banli export report: %v\n", err)
		return 1
	}
	fmt.Fprintf(io.Stdout, "%s: the handling report of %s written\n", *out, s.ShortName)
	return 0
}

// writeFileAtomic writes b to the file name by way of a temporary file
// beside it, so that a failed run leaves no half file.
func writeFileAtomic(name string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), ".banli-export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("error writing %s: %w", name, err)
	}
	return os.Rename(tmp.Name(), name)
}
