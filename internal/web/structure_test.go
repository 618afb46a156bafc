package web_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"testing"
)

// TestNoInitRegistrations: internal/web and ui register nothing in init():
// views, catalogues and routes are listed where they are used (pages.go,
// ui/i18n.go, routes.go), so that reading those lists tells all.
func TestNoInitRegistrations(t *testing.T) {
	t.Parallel()
	for _, dir := range []string{".", "../../ui"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		if len(files) == 0 {
			t.Fatalf("no Go files in %s", dir)
		}
		fset := token.NewFileSet()
		for _, name := range files {
			f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range f.Decls {
				if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == "init" {
					t.Errorf("%s: func init() registers something; list it explicitly instead", fset.Position(fn.Pos()))
				}
			}
		}
	}
}
