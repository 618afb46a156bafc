package storage

import (
	"slices"
	"testing"
)

// TestSearchLexemes: Han runs give their bigrams and their last character,
// other letters and digits one lower-cased word, punctuation separates.
func TestSearchLexemes(t *testing.T) {
	t.Parallel()
	got := searchLexemes("专利转化，GDP2024年 食")
	want := []string{"gdp2024", "专利", "利转", "化", "年", "转化", "食"}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("lexemes: %q, want %q", got, want)
	}
}

// TestSearchQuery: words are ANDed; a Han word is the AND of its bigrams,
// one character or a Latin word a prefix; nothing searchable is "".
func TestSearchQuery(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"专利转化", `'专利' & '利转' & '转化'`},
		{"食品  安全", `'食品' & '安全'`},
		{"食", `'食':*`},
		{"第20240294号", `'第':* & '20240294':* & '号':*`},
		{"GDP", `'gdp':*`},
		{"it's", `'it':* & 's':*`},
		{"，。!", ""},
		{"食品 食品", `'食品'`},
	} {
		if got := searchQuery(tt.in); got != tt.want {
			t.Errorf("searchQuery(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
