package web

import (
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/banli-gov/banli/internal/imports"
	"github.com/banli-gov/banli/workflow"
)

// The OpenAPI document of the JSON API (GET /api/openapi.json) is built
// from the same table that registers the API's routes (apiOps), and the
// schemas of its bodies from the Go types the handlers decode and encode:
// a route cannot be served without being documented, nor a field added
// without the document showing it. A test walks the API with real callers
// and validates every request and response against the document.

// openAPIVersion is the version of the OpenAPI specification it follows.
const openAPIVersion = "3.1.0"

// apiBasePath is where version 1 of the JSON API is served. The same
// routes answer under /api (without the version), as before it had one.
const apiBasePath = "/api/v1"

// openAPIPath serves the document.
const openAPIPath = "/api/openapi.json"

// openAPI answers GET /api/openapi.json.
func (s *server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-cache")
	writeJSON(w, http.StatusOK, s.openAPIDocument())
}

// openAPIDocument is the OpenAPI 3.1 document of the API.
func (s *server) openAPIDocument() map[string]any {
	g := &schemaGen{components: map[string]any{}}
	paths := map[string]map[string]any{}
	for _, op := range s.apiOps() {
		item := paths[op.Path]
		if item == nil {
			item = map[string]any{}
			paths[op.Path] = item
		}
		item[strings.ToLower(op.Method)] = g.operation(op)
	}
	g.schemaOf(reflect.TypeOf(problem{})) // the component "Problem" that every error refers to
	return map[string]any{
		"openapi": openAPIVersion,
		"info": map[string]any{
			"title":   "banli API",
			"version": "1",
			"description": "The JSON API of banli (人大代表建议办理). Every call acts as its caller, with the same " +
				"permissions as the pages: a Bearer token of a configured OpenID provider (a service account an " +
				"administrator created), or a browser session with its CSRF token. Errors are problem+json " +
				"(RFC 9457) with a stable `code` and, for a refusal by a rule, its `rule`. State changes use " +
				"optimistic concurrency: send the case's ETag in If-Match (or its version in the body); a " +
				"stale one is refused with 412 (If-Match) or 409. Lists page by `limit` and `before`.",
		},
		"servers": []any{map[string]any{"url": apiBasePath}},
		"paths":   paths,
		"components": map[string]any{
			"schemas": g.components,
			"securitySchemes": map[string]any{
				"bearer":  map[string]any{"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie},
			},
		},
		"security": []any{map[string]any{"bearer": []any{}}, map[string]any{"session": []any{}}},
	}
}

// pathParamPattern finds the {name} parameters of a route.
var pathParamPattern = regexp.MustCompile(`\{([a-z_]+)\}`)

func (g *schemaGen) operation(op apiOp) map[string]any {
	out := map[string]any{"operationId": op.ID, "summary": op.Summary, "tags": []any{op.Tag}}
	if op.Description != "" {
		out["description"] = op.Description
	}
	var params []any
	for _, m := range pathParamPattern.FindAllStringSubmatch(op.Path, -1) {
		schema := map[string]any{"type": "integer", "format": "int64", "minimum": 1}
		if m[1] == "action" {
			schema = map[string]any{"type": "string", "enum": stringsOf(workflow.AllActions())}
		}
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": schema})
	}
	for _, p := range op.Query {
		params = append(params, map[string]any{"name": p.Name, "in": "query", "required": false,
			"description": p.Description, "schema": p.schema()})
	}
	if op.IfMatch {
		params = append(params, map[string]any{"name": "If-Match", "in": "header", "required": false,
			"description": "the ETag of the case (transitions) or of its drafts (drafts) the caller saw",
			"schema":      map[string]any{"type": "string"}})
	}
	if len(params) > 0 {
		out["parameters"] = params
	}
	if op.Request != nil {
		g.input = true
		out["requestBody"] = map[string]any{"required": true, "content": map[string]any{
			"application/json": map[string]any{"schema": g.schemaOf(reflect.TypeOf(op.Request))}}}
		g.input = false
	}
	if op.Form != nil {
		g.input = true
		out["requestBody"] = map[string]any{"required": true, "content": map[string]any{
			"multipart/form-data": map[string]any{"schema": g.schemaOf(reflect.TypeOf(op.Form))}}}
		g.input = false
	}
	responses := map[string]any{}
	okHeaders := map[string]any{}
	if op.ETag {
		okHeaders["ETag"] = map[string]any{"schema": map[string]any{"type": "string"}}
	}
	body := map[string]any{"description": http.StatusText(op.Status)}
	if op.Response != nil {
		body["content"] = map[string]any{"application/json": map[string]any{"schema": g.schemaOf(reflect.TypeOf(op.Response))}}
	}
	if len(op.Download) > 0 {
		content := map[string]any{}
		for _, mt := range op.Download {
			content[mt] = map[string]any{"schema": map[string]any{"type": "string", "contentMediaType": mt}}
		}
		body["content"] = content
		okHeaders["Content-Disposition"] = map[string]any{"description": "attachment, with the file's name",
			"schema": map[string]any{"type": "string"}}
	}
	if len(okHeaders) > 0 {
		body["headers"] = okHeaders
	}
	responses[strconv.Itoa(op.Status)] = body
	for _, st := range op.errors() {
		responses[strconv.Itoa(st)] = map[string]any{"description": http.StatusText(st), "content": map[string]any{
			"application/problem+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}}}
	}
	out["responses"] = responses
	return out
}

// errors are the error statuses op can answer with: every call can be
// unauthenticated, refused, invalid or hit an unavailable database.
func (op apiOp) errors() []int {
	st := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusRequestEntityTooLarge,
		http.StatusUnprocessableEntity, http.StatusInternalServerError, http.StatusServiceUnavailable}
	if op.Method == http.MethodPost || op.Method == http.MethodDelete {
		st = append(st, http.StatusConflict)
	}
	if op.IfMatch {
		st = append(st, http.StatusPreconditionFailed)
	}
	if op.Request != nil || op.Form != nil {
		st = append(st, http.StatusUnsupportedMediaType)
	}
	slices.Sort(st)
	return st
}

// apiQueryParam is a query parameter of an operation.
type apiQueryParam struct {
	Name, Description string
	Type              string   // "integer", "string" or "boolean"
	Enum              []string // the values a string may take
}

func (p apiQueryParam) schema() map[string]any {
	s := map[string]any{"type": p.Type}
	if p.Type == "" {
		s["type"] = "string"
	}
	if len(p.Enum) > 0 {
		s["enum"] = p.Enum
	}
	return s
}

// schemaGen turns Go types into JSON Schemas (OpenAPI 3.1 is JSON Schema
// 2020-12): named structs become components, referenced by $ref.
type schemaGen struct {
	components map[string]any
	// input is set while the schema of a request body is made: its fields
	// are optional unless tagged required:"true" (the handlers check what
	// they need and say what is missing), and its structs are components
	// of their own (named …Input), apart from the same structs in answers,
	// whose fields are required unless omitempty.
	input bool
}

var (
	timeType = reflect.TypeOf(time.Time{})
	dateType = reflect.TypeOf(workflow.Date{})
	fileType = reflect.TypeOf(formFile{})
)

// formFile is a file field of a multipart/form-data body (apiOp.Form):
// the handler reads it from the request's multipart form.
type formFile struct{}

// enumsOf lists the values of workflow's closed sets that bodies carry.
var enumsOf = map[reflect.Type]func() []string{
	reflect.TypeOf(workflow.State("")): func() []string {
		return stringsOf(append(workflow.States(workflow.MachineCase), workflow.States(workflow.MachinePublication)...))
	},
	reflect.TypeOf(workflow.Action("")):        func() []string { return stringsOf(workflow.AllActions()) },
	reflect.TypeOf(workflow.CaseKind("")):      func() []string { return stringsOf(workflow.AllCaseKinds()) },
	reflect.TypeOf(workflow.ProposalKind("")):  func() []string { return stringsOf(workflow.RegistrableProposalKinds()) },
	reflect.TypeOf(workflow.ReplyClass("")):    func() []string { return stringsOf(workflow.AllReplyClasses()) },
	reflect.TypeOf(workflow.Disclosure("")):    func() []string { return stringsOf(workflow.AllDisclosures()) },
	reflect.TypeOf(workflow.Rating("")):        func() []string { return stringsOf(workflow.AllRatings()) },
	reflect.TypeOf(workflow.ContactMethod("")): func() []string { return stringsOf(workflow.AllContactMethods()) },
	reflect.TypeOf(imports.Status("")): func() []string {
		return []string{string(imports.StatusCreate), string(imports.StatusAssign), string(imports.StatusSkip)}
	},
	reflect.TypeOf(workflow.AttachmentOwner("")): func() []string {
		return stringsOf(workflow.AllAttachmentOwners())
	},
}

func stringsOf[T ~string](vs []T) []string {
	out := make([]string, 0, len(vs)+1)
	seen := map[string]bool{}
	for _, v := range vs {
		if !seen[string(v)] {
			seen[string(v)] = true
			out = append(out, string(v))
		}
	}
	sort.Strings(out)
	return out
}

// schemaOf returns the schema of t: a $ref for a named struct (added to
// the components once), inline otherwise.
func (g *schemaGen) schemaOf(t reflect.Type) map[string]any {
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == fileType:
		return map[string]any{"type": "string", "contentMediaType": "application/octet-stream"}
	case t == dateType:
		// The zero date is written as "" (workflow.Date.MarshalText).
		return map[string]any{"type": "string", "pattern": `^([0-9]{4}-[0-9]{2}-[0-9]{2})?$`}
	}
	if enum, ok := enumsOf[t]; ok {
		// An omitted choice decodes as "", which the handlers refuse or
		// read as "none" (e.g. a rating not asked for).
		return map[string]any{"type": "string", "enum": append(enum(), "")}
	}
	switch t.Kind() {
	case reflect.Pointer:
		inner := g.schemaOf(t.Elem())
		return map[string]any{"anyOf": []any{inner, map[string]any{"type": "null"}}}
	case reflect.Struct:
		name := schemaName(t)
		if g.input && !strings.HasSuffix(name, "Request") {
			name += "Input"
		}
		if _, done := g.components[name]; !done {
			g.components[name] = map[string]any{} // stops recursion
			g.components[name] = g.structSchema(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	case reflect.Slice:
		// A nil slice is written as null.
		return map[string]any{"type": []any{"array", "null"}, "items": g.schemaOf(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schemaOf(t.Elem())}
	case reflect.Interface:
		return map[string]any{}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	}
	panic(fmt.Sprintf("web: no schema for %s", t))
}

// structSchema is the object schema of struct t: a property per JSON
// field (embedded structs' fields inlined, as encoding/json writes them),
// required unless omitempty, no others allowed.
func (g *schemaGen) structSchema(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" || (!f.IsExported() && !f.Anonymous) {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
				walk(f.Type)
				continue
			}
			if name == "" {
				name = f.Name
			}
			s := g.schemaOf(f.Type)
			if pat := f.Tag.Get("pattern"); pat != "" {
				s["pattern"] = pat
			}
			if d := f.Tag.Get("doc"); d != "" {
				s = withDescription(s, d)
			}
			props[name] = s
			if g.input && f.Tag.Get("required") == "true" || !g.input && !strings.Contains(opts, "omitempty") {
				required = append(required, name)
			}
		}
	}
	walk(t)
	out := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		sort.Strings(required)
		out["required"] = required
	}
	return out
}

func withDescription(s map[string]any, d string) map[string]any {
	if _, ref := s["$ref"]; ref {
		return map[string]any{"allOf": []any{s}, "description": d}
	}
	s["description"] = d
	return s
}

// schemaName is the component name of a struct: its Go name without the
// package, with a capital letter (caseView → CaseView).
func schemaName(t reflect.Type) string {
	n := t.Name()
	if n == "" {
		panic(fmt.Sprintf("web: anonymous struct %s in the API", t))
	}
	return strings.ToUpper(n[:1]) + n[1:]
}
