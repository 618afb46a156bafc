package web

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// eventRow is one audit event in the case page's timeline, in words.
type eventRow struct {
	Seq    int
	At     time.Time
	Actor  string // the user's name; "" for the deputy's link or the system
	Role   string // the role's label
	Action string // the action's label
	From   workflow.State
	To     workflow.State
	// Moved reports a change of state (a record or an extension leaves it).
	Moved   bool
	Comment string
	Details []eventDetail
}

// eventDetail is one value of an event's payload, labelled. Data marks a
// value that is data (a unit's name, a document number), Chinese whatever
// the page's language.
type eventDetail struct {
	Label string
	Value string
	Data  bool
}

// payloadOrder lists the payload keys the timeline shows, in order; keys
// not listed (ids, hashes) are the machine's business. Each key's label is
// the catalogue's "payload.<key>".
var payloadOrder = []string{
	"kind", "department_id", "reply_due", "reply_due_was", "co_opinion_due", "co_opinion_due_was",
	"return_due", "return_due_was", "extension_cap",
	"draft_version", "class", "disclosure", "document_number", "publication_due", "publication_due_was",
	"work_rating", "result_rating", "rehandle_due", "rehandle_due_was",
	"wanted_due", "decide_due", "decide_due_was", "previous_due", "granted_due",
	"feedback_due", "feedback_due_was",
	"method", "happened_on", "provisional", "calendar_through", "filename",
}

// timeline turns a case's audit events into rows, in lang: names from
// names (user id → name), departments from depts (id → name).
func timeline(events []*workflow.Event, names, depts map[int64]string, lang string) []eventRow {
	out := make([]eventRow, 0, len(events))
	for _, e := range events {
		row := eventRow{Seq: e.Seq, At: e.At, Actor: names[e.ActorID], From: e.From, To: e.To,
			Moved: e.Machine != "record" && e.From != e.To}
		role := workflow.Role(e.ActorRole)
		row.Role = ui.Label(lang, role)
		if !role.Valid() {
			row.Role = ui.Message(lang, "role."+e.ActorRole)
		}
		if a := workflow.Action(e.Action); a.Valid() {
			row.Action = ui.Label(lang, a)
		} else {
			row.Action = ui.Message(lang, "record."+e.Action)
		}
		if c, ok := e.Payload["comment"].(string); ok {
			row.Comment = c
		}
		for _, k := range payloadOrder {
			v, ok := e.Payload[k]
			if !ok {
				continue
			}
			row.Details = append(row.Details, eventDetail{Label: ui.Message(lang, "payload."+k), Value: payloadValue(k, v, depts, lang),
				Data: k == "department_id" || k == "document_number" || k == "filename"})
		}
		out = append(out, row)
	}
	return out
}

// payloadValue is a payload value in words: the label of a closed set's
// value, a department's name, a version's number.
func payloadValue(key string, v any, depts map[int64]string, lang string) string {
	s := fmt.Sprint(v)
	switch key {
	case "kind":
		return ui.Label(lang, workflow.CaseKind(s))
	case "class":
		c := workflow.ReplyClass(s)
		if c.Valid() {
			return s + " " + ui.Label(lang, c)
		}
	case "disclosure":
		return ui.Label(lang, workflow.Disclosure(s))
	case "work_rating", "result_rating":
		return ui.Label(lang, workflow.Rating(s))
	case "method":
		return ui.Label(lang, workflow.ContactMethod(s))
	case "draft_version":
		return ui.Message(lang, "draft.versionN", s)
	case "provisional":
		// The keys of the dates counted without a year's holiday data.
		if keys, ok := v.([]any); ok {
			names := make([]string, 0, len(keys))
			for _, k := range keys {
				names = append(names, ui.Message(lang, "payload."+fmt.Sprint(k)))
			}
			return strings.Join(names, ui.Message(lang, "payload.list.sep"))
		}
	case "department_id":
		if n, ok := v.(json.Number); ok {
			if id, err := n.Int64(); err == nil && depts[id] != "" {
				return depts[id]
			}
		}
	}
	return s
}

// eventActors lists the user ids of events, for UserNames.
func eventActors(events []*workflow.Event) []int64 {
	var ids []int64
	for _, e := range events {
		if e.ActorID != 0 && !slices.Contains(ids, e.ActorID) {
			ids = append(ids, e.ActorID)
		}
	}
	return ids
}
