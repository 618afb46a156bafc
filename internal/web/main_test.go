package web_test

import (
	"testing"

	"github.com/banli-gov/banli/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }
