package web_test

import (
	"flag"
	"fmt"
	"html"
	"os"
	"regexp"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite the golden files of the portal's tests")

var (
	mainElement = regexp.MustCompile(`(?s)<main[^>]*>(.*)</main>`)
	anyTag      = regexp.MustCompile(`(?s)<[^>]*>`)
)

// mainText returns the visible text of a page's <main> element: tags
// removed, entities unescaped, one line per run of text.
func mainText(t *testing.T, page string) string {
	t.Helper()
	m := mainElement.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("page has no <main>:\n%s", page)
	}
	var lines []string
	for _, l := range strings.Split(anyTag.ReplaceAllString(m[1], "\n"), "\n") {
		if l = strings.TrimSpace(html.UnescapeString(l)); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

// TestPublicReplyPageUnchanged: the public page of No. 20240294 reads
// exactly as it did before disclosure learned summaries and withheld
// passages (testdata/public_reply_20240294.txt was written from the page
// as it was then): a reply published in full, with nothing withheld, shows
// its whole text and no note.
func TestPublicReplyPageUnchanged(t *testing.T) {
	t.Parallel()
	pt := setupPortal(t)
	_, page := pt.get(t, fmt.Sprintf("/public/replies/%d", pt.fixtureID))
	got := mainText(t, page)
	const golden = "testdata/public_reply_20240294.txt"
	if *updateGolden {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("the public page of No. 20240294 changed:\n got:\n%s\nwant:\n%s", got, want)
	}
}
