package storage

import "github.com/banli-gov/banli/workflow"

// UnpackCaseTally unpacks a value of cases.tally, for the tests.
func UnpackCaseTally(t int32) (workflow.CaseTally, error) { return caseTally(t).unpack() }
