package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/banli-gov/banli/internal/letter"
	"github.com/banli-gov/banli/internal/storage"
)

const letterUsage = `usage: banli letter --session SHORT_NAME --number N --format pdf|docx -o FILE

Writes the reply letter (答复函) of suggestion N of the session with that
short name, as its latest signed reply says it. With one letter, FILE is it.
With several (one per 联名代表, or several units replying), FILE ending in
.zip is an archive of them all; otherwise each letter is written beside FILE,
named FILE's name, a dash and the deputy (答复-陈明远.pdf). DATABASE_URL
required.`

// cmdLetter runs `banli letter`.
func cmdLetter(ctx context.Context, args []string, io stdio) int {
	fs := flag.NewFlagSet("letter", flag.ContinueOnError)
	fs.SetOutput(io.Stderr)
	fs.Usage = func() { fmt.Fprintln(io.Stderr, letterUsage) }
	session := fs.String("session", "", "the session's short name (市十五届人大三次会议)")
	number := fs.String("number", "", "the suggestion's number")
	formatFlag := fs.String("format", "pdf", "pdf or docx")
	out := fs.String("o", "", "the file to write")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *session == "" || *number == "" || *out == "" {
		fmt.Fprintln(io.Stderr, letterUsage)
		return exitUsage
	}
	format, err := letter.ParseFormat(*formatFlag)
	if err != nil {
		fmt.Fprintf(io.Stderr, "banli letter: %v\n", err)
		return exitUsage
	}
	cfg, ok := needDatabase("letter", io)
	if !ok {
		return exitUsage
	}
	db, err := storage.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		fmt.Fprintf(io.Stderr, "banli letter: %v\n", err)
		return 1
	}
	defer db.Close()
	letters, err := letter.ForProposal(ctx, db, *session, *number)
	if err != nil {
		fmt.Fprintf(io.Stderr, "banli letter: %v\n", err)
		return 1
	}
	write := func(name string, body []byte) bool {
		if err := os.WriteFile(name, body, 0o644); err != nil {
			fmt.Fprintf(io.Stderr, "banli letter: %v\n", err)
			return false
		}
		fmt.Fprintln(io.Stdout, name)
		return true
	}
	if strings.EqualFold(filepath.Ext(*out), ".zip") {
		body, err := letter.Zip(letters, format, db.Clock.Now())
		if err != nil {
			fmt.Fprintf(io.Stderr, "banli letter: %v\n", err)
			return 1
		}
		if !write(*out, body) {
			return 1
		}
		return 0
	}
	for _, l := range letters {
		body, err := l.Render(format)
		if err != nil {
			fmt.Fprintf(io.Stderr, "banli letter: %v\n", err)
			return 1
		}
		name := *out
		if len(letters) > 1 {
			ext := filepath.Ext(name)
			suffix := l.Addressee
			if !strings.HasPrefix(l.FileName, *number+"-"+l.Addressee) {
				suffix = strings.TrimPrefix(l.FileName, *number+"-")
			}
			name = strings.TrimSuffix(name, ext) + "-" + suffix + ext
		}
		if !write(name, body) {
			return 1
		}
	}
	return 0
}
