package ui

import (
	"strings"
	"testing"
	"unicode"
)

// FuzzParagraphs checks what every page that shows a draft relies on:
// paragraphs are non-empty, trimmed, contain no line break, and together keep
// every visible character of the text in order — nothing a drafter typed is
// lost or reordered. The seeds run in the normal suite.
func FuzzParagraphs(f *testing.F) {
	for _, seed := range []string{
		"",
		"一、工作开展情况\n\n我局高度重视。",
		"第一段\r\n\r\n第二段\r\n第二段续",
		"  \n\n\n  ",
		"a\n \nb",
		"\u3000全角空格开头\n\n\t制表符",
		"单行",
		"x\n\n\n\ny",
		"从WPS粘贴\r第二段\n第三段",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		paras := Paragraphs(text)
		for i, p := range paras {
			if p == "" {
				t.Fatalf("paragraph %d is empty: %q", i, paras)
			}
			if p != strings.TrimSpace(p) {
				t.Fatalf("paragraph %d is not trimmed: %q", i, p)
			}
			if strings.ContainsAny(p, "\r\n") {
				t.Fatalf("paragraph %d holds a line break: %q", i, p)
			}
		}
		if got, want := visible(strings.Join(paras, "")), visible(text); got != want {
			t.Fatalf("visible text changed:\n got %q\nwant %q", got, want)
		}
	})
}

// visible is s without white space: what must survive the split.
func visible(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
