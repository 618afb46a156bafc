// Package lettertest reads the letters banli writes the way a reader does,
// for the tests of the packages that write them: a PDF's text through
// poppler-utils' pdftotext.
package lettertest

import (
	"bytes"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// PDFText is the text pdftotext (poppler-utils) reads from a PDF, without
// the page numbers (— 1 —) that interrupt a paragraph turning a page. The
// test fails without pdftotext (scripts/test.sh installs it).
func PDFText(t testing.TB, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatal("pdftotext not found: install poppler-utils (scripts/test.sh does)")
	}
	cmd := exec.Command(bin, "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return pageNumber.ReplaceAllString(string(out), "")
}

var pageNumber = regexp.MustCompile(`(?m)^— ?\d+ ?—$`)

// Squeeze drops the white space a PDF's lines and an ideographic indent put
// into a text, so that a paragraph wrapped over lines compares whole.
func Squeeze(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\n' || r == '\u3000' || r == '\f' }), "")
}
