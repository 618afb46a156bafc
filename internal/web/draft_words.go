package web

import (
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// The draft diff within a paragraph: a paragraph changed in a few words is
// shown once on each side, its unchanged text plain and only what changed
// marked — removed words struck out on the left (<del>), added ones
// underlined on the right (<ins>) — rather than the whole paragraph
// removed and added. Words are compared as units (wordTokens); in Chinese,
// where words are not spaced, each character is one.

// diffPart is a run of a changed paragraph's text: kept, or changed
// (removed on the left, added on the right).
type diffPart struct {
	Changed bool
	Text    string
}

// minKeptShare is how much of two paragraphs must be kept (by tokens, of
// the longer one) for them to be shown as one paragraph changed, not one
// removed and another added: below it, marking the few shared characters
// would only scatter marks.
const minKeptShare = 0.4

// maxWordDiffTokens bounds the paragraphs compared word by word; longer
// ones (a paragraph is rarely a thousand words) are shown whole.
const maxWordDiffTokens = 20000

// diffWords compares paragraph a with b word by word. It returns a's parts
// (its removed words changed) and b's (its added words changed), and false
// when they share too little to be shown as one paragraph changed.
func diffWords(a, b string) (left, right []diffPart, ok bool) {
	ta, tb := wordTokens(a), wordTokens(b)
	if len(ta)+len(tb) > maxWordDiffTokens {
		return nil, nil, false
	}
	// Each distinct token becomes one rune, so that diffmatchpatch, which
	// compares characters, compares words.
	ids := map[string]rune{}
	var words []string
	encode := func(tokens []string) string {
		rs := make([]rune, len(tokens))
		for i, t := range tokens {
			r, seen := ids[t]
			if !seen {
				r = tokenRune(len(words))
				ids[t] = r
				words = append(words, t)
			}
			rs[i] = r
		}
		return string(rs)
	}
	ea, eb := encode(ta), encode(tb)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMain(ea, eb, false))
	decode := func(s string) string {
		var out []byte
		for _, r := range s {
			out = append(out, words[runeToken(r)]...)
		}
		return string(out)
	}
	kept := 0
	add := func(parts []diffPart, changed bool, text string) []diffPart {
		if n := len(parts); n > 0 && parts[n-1].Changed == changed {
			parts[n-1].Text += text
			return parts
		}
		return append(parts, diffPart{Changed: changed, Text: text})
	}
	for _, d := range diffs {
		text := decode(d.Text)
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			kept += utf8.RuneCountInString(d.Text)
			left, right = add(left, false, text), add(right, false, text)
		case diffmatchpatch.DiffDelete:
			left = add(left, true, text)
		case diffmatchpatch.DiffInsert:
			right = add(right, true, text)
		}
	}
	if float64(kept) < minKeptShare*float64(max(len(ta), len(tb))) {
		return nil, nil, false
	}
	return left, right, true
}

// tokenRune is the rune standing for the i-th distinct token: valid
// runes from U+0100 on, the surrogates skipped.
func tokenRune(i int) rune {
	r := rune(0x100 + i)
	if r >= 0xD800 {
		r += 0x800
	}
	return r
}

// runeToken is tokenRune's inverse.
func runeToken(r rune) int {
	if r >= 0xE000 {
		r -= 0x800
	}
	return int(r - 0x100)
}

// wordTokens splits a paragraph into the units compared: a run of letters
// and digits of a spaced script (a Latin word, a number such as 2024 or
// 30) is one; any other character — a Chinese character, a punctuation
// mark, a space — is one on its own.
func wordTokens(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, s[start:i])
			start = -1
		}
		out = append(out, string(r))
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// isWordRune reports whether r belongs to a word of a spaced script:
// letters and digits other than Han, kana and hangul (each of those is a
// word for the diff).
func isWordRune(r rune) bool {
	if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
