package workflow

import "time"

// Outcome is how a suggestion ended without a reply: withdrawn by the
// deputy (撤回) or not handled as a suggestion (不作为建议处理), recorded by
// the liaison with a reason — and, for the latter, where it went. Each of
// its open cases ended in the state of the same name (State.Outcome).
type Outcome struct {
	// State is StateWithdrawn or StateConverted.
	State State
	// Reason is the liaison's reason; Destination where a converted
	// suggestion went (转为来信, 转信访部门, 转其他机关…).
	Reason      string
	Destination string
	// RecordedBy and RecordedByName are the liaison who recorded it; At when.
	RecordedBy     int64
	RecordedByName string
	At             time.Time
}
