package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/banli-gov/banli/workflow"
)

// FuzzAPIRequestDecoding feeds any body to the API's request decoders the
// way a request reaches them — the input gate (checkBody) first, then
// decodeJSON — and checks what the handlers rely on: nothing panics; a
// refusal is a domain error with the invalid code (a 4xx, never a 500);
// and a request that gets through carries only text PostgreSQL can store
// (valid UTF-8, no NUL) in every string, so storage never fails on it.
// The seeds run in the normal suite.
func FuzzAPIRequestDecoding(f *testing.F) {
	for _, seed := range []string{
		`{"version": 3, "comment": "同意", "class": "B", "disclosure": "public", "due": "2027-10-08"}`,
		`{"base_version": 0, "sections": [{"heading": "一、工作开展情况", "body": "我局高度重视。"}]}`,
		`{"department": "scjg", "kind": "lead"}`,
		`{"comment": "\u0000"}`,
		`{"comment": "\ud800"}`,
		"{\"comment\": \"\xff\"}",
		`{"version": "3"}`,
		`{"due": "2027-02-30"}`,
		`{"sections": [{"heading": 1}]}`,
		`{"unknown": true}`,
		`{} {}`,
		`[]`,
		``,
		`null`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, target := range []func() any{
			func() any { return new(actionRequest) },
			func() any { return new(saveDraftRequest) },
			func() any { return new(assignRequest) },
		} {
			r := httptest.NewRequest(http.MethodPost, "/api/x", bytes.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			if _, err := checkBody(r, maxRequestBodyText); err != nil {
				if workflow.Code(err) != workflow.ErrInvalid {
					t.Fatalf("the gate refused %q with %v (code %s), want invalid", body, err, workflow.Code(err))
				}
				return
			}
			v := target()
			if err := decodeJSON(r, v); err != nil {
				if workflow.Code(err) != workflow.ErrInvalid {
					t.Fatalf("decoding %q into %T: %v (code %s), want invalid", body, v, err, workflow.Code(err))
				}
				continue
			}
			if s, ok := unstorable(reflect.ValueOf(v)); !ok {
				t.Fatalf("%q decoded into %T holds unstorable text %q", body, v, s)
			}
		}
	})
}

// unstorable walks v and returns a string in it that is not readable text,
// and false; or "", true.
func unstorable(v reflect.Value) (string, bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return "", true
		}
		return unstorable(v.Elem())
	case reflect.String:
		if !readable(v.String()) {
			return v.String(), false
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if s, ok := unstorable(v.Field(i)); !ok {
				return s, false
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if s, ok := unstorable(v.Index(i)); !ok {
				return s, false
			}
		}
	}
	return "", true
}
