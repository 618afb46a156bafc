package ui

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/banli-gov/banli/workflow"
)

// forbiddenWords are words the offices do not use (DESIGN.md §1a): 案件 is
// a judicial word (they say 建议, 办件 or 承办件); 已超期 is 已逾期; 附议代表
// is 联名代表; 按时办结率 is 按时办复率; 免予等待(协办意见) is 同意主办单位先行答复.
var forbiddenWords = []string{"案件", "已超期", "附议代表", "按时办结率", "免予等待"}

// checkWords reports each forbidden word in text, found at where.
func checkWords(t *testing.T, where, text string) {
	t.Helper()
	for _, w := range forbiddenWords {
		if strings.Contains(text, w) {
			t.Errorf("%s says %q: %q", where, w, text)
		}
	}
}

// TestNoForbiddenWordsInCatalogue: no text of the message catalogue, in
// either language, uses a word the offices do not use.
func TestNoForbiddenWordsInCatalogue(t *testing.T) {
	t.Parallel()
	for lang, texts := range messages {
		for key, text := range texts {
			checkWords(t, "catalogue "+lang+" "+key, text)
		}
	}
}

// templateAction is a template action, comments included: what remains of a
// template without them is its literal text.
var templateAction = regexp.MustCompile(`(?s)\{\{.*?\}\}`)

// TestNoForbiddenWordsInTemplates: no template's literal text uses a word
// the offices do not use.
func TestNoForbiddenWordsInTemplates(t *testing.T) {
	t.Parallel()
	n := 0
	err := fs.WalkDir(files, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(files, path)
		if err != nil {
			return err
		}
		n++
		// An action becomes its line breaks, so that lines keep their numbers.
		text := templateAction.ReplaceAllStringFunc(string(raw), func(a string) string {
			return " " + strings.Repeat("\n", strings.Count(a, "\n"))
		})
		for i, line := range strings.Split(text, "\n") {
			checkWords(t, fmt.Sprintf("%s:%d", path, i+1), strings.TrimSpace(line))
		}
		return nil
	})
	if err != nil || n < 20 {
		t.Fatalf("reading the templates: %d files, %v", n, err)
	}
}

// TestNoForbiddenWordsInLabels: no Chinese label of a closed set of the
// workflow (states, actions, roles, kinds, classes, …) uses a word the
// offices do not use.
func TestNoForbiddenWordsInLabels(t *testing.T) {
	t.Parallel()
	var labels []string
	add := func(zh ...string) { labels = append(labels, zh...) }
	for _, s := range append(workflow.States(workflow.MachineCase), workflow.PublicationStates()...) {
		add(s.LabelZH())
	}
	for _, a := range workflow.AllActions() {
		add(a.LabelZH())
	}
	for _, r := range workflow.AllRoles() {
		add(r.LabelZH())
	}
	for _, k := range workflow.AllCaseKinds() {
		add(k.LabelZH())
	}
	for _, k := range workflow.AllProposalKinds() {
		add(k.LabelZH())
	}
	for _, c := range workflow.AllReplyClasses() {
		add(c.LabelZH())
	}
	for _, d := range workflow.AllDisclosures() {
		add(d.LabelZH())
	}
	for _, r := range workflow.AllRatings() {
		add(r.LabelZH())
	}
	for _, m := range workflow.AllContactMethods() {
		add(m.LabelZH())
	}
	for _, s := range workflow.AllExtensionStates() {
		add(s.LabelZH())
	}
	for _, k := range workflow.AllDeadlineKinds() {
		add(k.LabelZH())
	}
	for _, l := range labels {
		checkWords(t, "a workflow label", l)
	}
}

// TestNoForbiddenWordsInCode: no string literal of the program — the
// workflow's refusal messages and hand-off notes, notification and e-mail
// texts, reminder subjects, CLI output, demo text — uses a word the offices
// do not use. Tests are left out: they may name a word to prove it absent.
func TestNoForbiddenWordsInCode(t *testing.T) {
	t.Parallel()
	root := ".."
	fset := token.NewFileSet()
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		n++
		ast.Inspect(f, func(node ast.Node) bool {
			// The other headers an imported spreadsheet may use for a
			// column (imports.ProposalColumns' Aliases) are words of other
			// people's files, read and never shown: an old list may well
			// say 附议代表.
			if kv, ok := node.(*ast.KeyValueExpr); ok {
				if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "Aliases" {
					return false
				}
			}
			lit, ok := node.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				s = lit.Value
			}
			checkWords(t, fset.Position(lit.Pos()).String(), s)
			return true
		})
		return nil
	})
	if err != nil || n < 100 {
		t.Fatalf("reading the program's Go files: %d files, %v", n, err)
	}
	// Texts the program embeds (the demo's reply).
	for _, dir := range []string{"../internal/demo"} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if ext := filepath.Ext(e.Name()); ext == ".txt" {
				raw, err := os.ReadFile(filepath.Join(dir, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				checkWords(t, filepath.Join(dir, e.Name()), string(raw))
			}
		}
	}
}
