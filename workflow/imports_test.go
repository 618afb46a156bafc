package workflow

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoDatabaseOrHTTP keeps the domain core free of adapters: neither pgx
// nor net/http may be among its dependencies, direct or indirect.
func TestNoDatabaseOrHTTP(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps printed too little: %q", out)
	}
	for _, d := range deps {
		if d == "net/http" || strings.HasPrefix(d, "github.com/jackc/") || d == "database/sql" {
			t.Errorf("workflow depends on %s", d)
		}
	}
}
