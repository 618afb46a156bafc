package main

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/banli-gov/banli/internal/demo"
	"github.com/banli-gov/banli/internal/docx"
	"github.com/banli-gov/banli/internal/letter/lettertest"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/testdb"
	"github.com/banli-gov/banli/workflow"
)

// letterText is the text of a PDF letter as its reader reads it, white
// space removed (lettertest).
func letterText(t *testing.T, pdf []byte) string {
	return lettertest.Squeeze(lettertest.PDFText(t, pdf))
}

// squeezeSpace drops the white space of a letter's text (lettertest).
var squeezeSpace = lettertest.Squeeze

// `banli letter` for No. 20240294 of the demo writes one letter per
// 联名代表: as PDFs beside -o, or as DOCX files in a ZIP; each says the
// salutation to its deputy, 收悉, every paragraph of the fixture's
// sections, B类, the sign-off date and （此件主动公开）.
func TestLetterCommand(t *testing.T) {
	t.Parallel()
	url := testdb.New(t)
	env := map[string]string{"DATABASE_URL": url}
	if code, out, errOut := runWith(t, env, "demo"); code != 0 {
		t.Fatalf("demo: %d %q %q", code, out, errOut)
	}
	db, err := storage.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var signed time.Time
	if err := db.Pool.QueryRow(context.Background(), `SELECT r.signed_at FROM replies r JOIN cases c ON c.id = r.case_id
		JOIN proposals p ON p.id = c.proposal_id WHERE p.number = $1 AND c.kind = 'lead'`, demo.FixtureNumber).Scan(&signed); err != nil {
		t.Fatal(err)
	}
	day := signed.In(workflow.Zone())
	signDate := fmt.Sprintf("%d年%d月%d日", day.Year(), int(day.Month()), day.Day())

	check := func(what, text, deputy string) {
		t.Helper()
		want := []string{deputy + "代表：", "收悉", "B类", signDate, "（此件主动公开）"}
		for _, s := range demo.FixtureSections() {
			want = append(want, s.Heading)
			for _, p := range strings.Split(s.Body, "\n\n") {
				want = append(want, squeezeSpace(p))
			}
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q", what, w)
			}
		}
	}
	dir := t.TempDir()
	code, out, errOut := runWith(t, env, "letter", "--session", demo.SessionShort, "--number", demo.FixtureNumber,
		"--format", "pdf", "-o", filepath.Join(dir, "答复.pdf"))
	if code != 0 {
		t.Fatalf("letter pdf: %d %q %q", code, out, errOut)
	}
	for _, deputy := range []string{"陈明远", "许佳"} {
		name := filepath.Join(dir, "答复-"+deputy+".pdf")
		body, err := os.ReadFile(name)
		if err != nil {
			t.Fatalf("the letter to %s: %v (output %q)", deputy, err, out)
		}
		check(name, letterText(t, body), deputy)
	}

	zipName := filepath.Join(dir, "letters.zip")
	if code, out, errOut := runWith(t, env, "letter", "--session", demo.SessionShort, "--number", demo.FixtureNumber,
		"--format", "docx", "-o", zipName); code != 0 {
		t.Fatalf("letter docx zip: %d %q %q", code, out, errOut)
	}
	z, err := zip.OpenReader(zipName)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	got := map[string]bool{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(rc)
		rc.Close()
		paras, err := docx.ParagraphsOf(body)
		if err != nil {
			t.Fatalf("%s does not reopen: %v", f.Name, err)
		}
		for _, deputy := range []string{"陈明远", "许佳"} {
			if f.Name == demo.FixtureNumber+"-"+deputy+".docx" {
				got[deputy] = true
				check(f.Name, squeezeSpace(strings.Join(paras, "")), deputy)
			}
		}
	}
	if len(got) != 2 || len(z.File) != 2 {
		t.Errorf("the archive holds %d files, want one per deputy: %v", len(z.File), got)
	}

	if code, _, errOut := runWith(t, env, "letter", "--session", demo.SessionShort, "--number", "99999999",
		"--format", "pdf", "-o", filepath.Join(dir, "x.pdf")); code != 1 || !strings.Contains(errOut, "not found") {
		t.Errorf("an unknown number: %d %q", code, errOut)
	}
	if code, _, errOut := runWith(t, env, "letter", "--session", demo.SessionShort, "--number", demo.FixtureNumber,
		"--format", "odt", "-o", filepath.Join(dir, "x.odt")); code != exitUsage || !strings.Contains(errOut, "pdf") {
		t.Errorf("format odt: %d %q", code, errOut)
	}
}
