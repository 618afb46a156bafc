package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/imports"
	"github.com/banli-gov/banli/workflow"
)

// maxRequestBody bounds the body of every request, a form's or a JSON
// document's alike: 1 MB holds a reply of some hundred thousand characters,
// far more than a letter. A route that needs more (an upload) gets its own
// bound here, not in its handler (bodyLimit).
const maxRequestBody = 1 << 20

// uploadOverhead is what an upload's body may hold beyond its file: the
// multipart framing and the form's other fields.
const uploadOverhead = 64 << 10

// bodyLimit is the bound of r's body and the words that say it: an
// attachment's upload (POST /cases/{id}/attachments) may carry one file of
// the configured size (config AttachmentMaxBytes), as may the proposal
// page's (POST /proposals/{id}/attachments); the import page's preview
// (importPreviewPath) and the API's import (apiImportPath) a list of
// maxUploadBody; every other request
// maxRequestBody.
//
// The larger bounds are for a caller who is logged in (loggedIn): the gate
// reads a body before any route sees it, and nobody who is not should make
// the server read more than maxRequestBody.
func (s *server) bodyLimit(r *http.Request) (int64, string) {
	if r.Method != http.MethodPost {
		return maxRequestBody, maxRequestBodyText
	}
	upload := isUploadPath(r.URL.Path)
	list := r.URL.Path == importPreviewPath || r.URL.Path == apiBasePath+apiImportPath || r.URL.Path == "/api"+apiImportPath
	if (!upload && !list) || !s.loggedIn(r) {
		return maxRequestBody, maxRequestBodyText
	}
	if upload {
		limit := s.attachmentMax()
		return limit + uploadOverhead, sizeText(limit)
	}
	return maxUploadBody, maxUploadBodyText
}

// loggedIn reports whether r comes from a caller who is logged in: a live
// login session (its cookie) or a Bearer token that verifies — looked up
// as authenticate does, which does it again for the route.
func (s *server) loggedIn(r *http.Request) bool {
	if s.db == nil {
		return false
	}
	ctx := r.Context()
	if raw, ok := bearerToken(r); ok {
		p, err := s.bearerPrincipal(ctx, raw)
		return err == nil && p != nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return false
	}
	lookupCtx, cancel := context.WithTimeout(ctx, sessionLookupTimeout)
	defer cancel()
	_, _, err = s.db.LoginSessionByToken(lookupCtx, auth.HashToken(c.Value), s.clock.Now(), s.cfg.SessionIdleTimeout)
	return err == nil
}

// isUploadPath reports whether path is an upload route:
// /cases/{id}/attachments or /proposals/{id}/attachments, and the API's
// /api/v1/cases/{id}/attachments (and /api/cases/{id}/attachments).
func isUploadPath(path string) bool {
	// The API's upload (api_attachment.go) is the same upload.
	if rest, ok := strings.CutPrefix(path, apiBasePath); ok {
		path = rest
	} else if rest, ok := strings.CutPrefix(path, "/api"); ok {
		path = rest
	}
	rest, ok := strings.CutPrefix(path, "/cases/")
	if !ok {
		if rest, ok = strings.CutPrefix(path, "/proposals/"); !ok {
			return false
		}
	}
	id, ok := strings.CutSuffix(rest, "/attachments")
	return ok && id != "" && strings.Trim(id, "0123456789") == ""
}

// maxRequestBodyText is maxRequestBody as the messages say it.
const maxRequestBodyText = "1 MB"

// maxUploadBody bounds the body of the import page's upload: the largest
// file imported (imports.MaxBytes) and the form around it.
const maxUploadBody = imports.MaxBytes + 64<<10

// maxUploadBodyText is maxUploadBody as the messages say it.
const maxUploadBodyText = "4 MB"

// checkInput is the one gate of what a request carries, before any route,
// session, CSRF check or handler sees it:
//
//   - a body larger than maxRequestBody is refused (413), by its
//     Content-Length before anything is read, or as soon as reading passes
//     the bound;
//   - a form (urlencoded or multipart) is parsed here, once, within that
//     bound: the CSRF check and the handlers read r.PostForm;
//   - text that PostgreSQL could not store — invalid UTF-8 or a NUL byte —
//     is refused (422) wherever it is: the path (and so its parameters), the
//     query, a form's names and values, a file's name, a JSON document's
//     keys and strings at any depth. The message names the field by its
//     label where the catalogue has one (input.field.<name>), else it speaks
//     of "what you sent"; never of a field's technical name or path.
//
// A JSON or other body is read here and handed on as it came.
func (s *server) checkInput(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !readable(r.URL.Path) {
			s.writeError(w, r, workflow.Errorf(workflow.ErrInvalid, "%s", message(r, "input.unreadableAddress")))
			return
		}
		// A query that does not parse keeps the pairs that do, as
		// r.URL.Query does for the handlers.
		query, _ := url.ParseQuery(r.URL.RawQuery)
		if name, ok := unreadableValues(query); !ok {
			s.writeError(w, r, unreadableError(r, name))
			return
		}
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		limit, limitText := s.bodyLimit(r)
		if r.ContentLength > limit {
			s.writeError(w, r, tooLargeError(r, limitText))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		order, err := checkBody(r, limitText)
		if r.MultipartForm != nil {
			// The files the parser put on disk go when the request is done.
			defer r.MultipartForm.RemoveAll()
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if order != nil {
			r = r.WithContext(context.WithValue(r.Context(), formOrderKey{}, order))
		}
		next.ServeHTTP(w, r)
	})
}

// formOrderKey is the context key of the names of an urlencoded form's
// fields in the order sent, one per value (formOrder).
type formOrderKey struct{}

// formOrder returns the names of the fields of r's urlencoded form in the
// order sent, a name once per value ("heading", "body", "heading", …).
func formOrder(r *http.Request) []string {
	names, _ := r.Context().Value(formOrderKey{}).([]string)
	return names
}

// checkBody reads and checks r's body (see checkInput): a form is parsed
// into r.PostForm and r.Form; any other body is put back for the handler.
// For an urlencoded form it returns its names in order (formOrder).
func checkBody(r *http.Request, limitText string) (order []string, err error) {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType == "multipart/form-data" {
		// Up to maxRequestBody in memory, the rest of a file in a
		// temporary file; the whole within the body's bound.
		if err := r.ParseMultipartForm(maxRequestBody); err != nil {
			return nil, bodyError(r, err, limitText)
		}
		if name, ok := unreadableValues(r.MultipartForm.Value); !ok {
			return nil, unreadableError(r, name)
		}
		for name, files := range r.MultipartForm.File {
			if !readable(name) {
				return nil, unreadableError(r, "")
			}
			for _, f := range files {
				if !readable(f.Filename) {
					return nil, unreadableError(r, name)
				}
			}
		}
		return nil, nil
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, bodyError(r, err, limitText)
	}
	r.Body = io.NopCloser(bytes.NewReader(raw))
	switch {
	case mediaType == "application/x-www-form-urlencoded":
		form, err := url.ParseQuery(string(raw))
		if err != nil {
			return nil, workflow.Errorf(workflow.ErrInvalid, "%s", message(r, "input.malformed"))
		}
		if name, ok := unreadableValues(form); !ok {
			return nil, unreadableError(r, name)
		}
		// The body parsed above: an error now can only be the query's,
		// whose good pairs ParseForm keeps, as r.URL.Query does. (It
		// parses the body of a POST, PUT or PATCH only.)
		_ = r.ParseForm()
		r.Body = io.NopCloser(bytes.NewReader(raw))
		// JSON sent as a form (curl -d): the API decodes the body all the same.
		if json.Valid(raw) {
			if name, ok := unreadableJSON(raw); !ok {
				return nil, unreadableError(r, name)
			}
		}
		order = fieldNames(string(raw))
	case json.Valid(raw):
		if name, ok := unreadableJSON(raw); !ok {
			return nil, unreadableError(r, name)
		}
	default:
		// Not JSON (the handler refuses what it cannot decode), but no
		// handler takes text PostgreSQL cannot store either.
		if !utf8.Valid(raw) || bytes.IndexByte(raw, 0) >= 0 {
			return nil, unreadableError(r, "")
		}
	}
	return order, nil
}

// fieldNames returns the names of the urlencoded form body, in order, one
// per value, as url.ParseQuery reads them.
func fieldNames(body string) []string {
	names := []string{}
	for body != "" {
		var pair string
		pair, body, _ = strings.Cut(body, "&")
		if pair == "" {
			continue
		}
		name, _, _ := strings.Cut(pair, "=")
		if name, err := url.QueryUnescape(name); err == nil {
			names = append(names, name)
		}
	}
	return names
}

// bodyError is the error of reading a body: too large (413), or else
// unreadable as a form (422).
func bodyError(r *http.Request, err error, limitText string) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return tooLargeError(r, limitText)
	}
	return workflow.Errorf(workflow.ErrInvalid, "%s", message(r, "input.malformed"))
}

// tooLargeError is the error of a body over its bound, said as limitText.
func tooLargeError(r *http.Request, limitText string) error {
	return workflow.Errorf(workflow.ErrTooLarge, "%s", message(r, "input.tooLarge", limitText))
}

// unreadableError is the error of unreadable text in the field name (""
// when no field can be named).
func unreadableError(r *http.Request, name string) error {
	if label := fieldLabel(r, name); label != "" {
		return workflow.Errorf(workflow.ErrInvalid, "%s", message(r, "input.unreadableField", label))
	}
	return workflow.Errorf(workflow.ErrInvalid, "%s", message(r, "input.unreadable"))
}

// fieldLabel is the label of the form field or JSON member name in the
// request's language (input.field.<name>; co_name_2 is labelled as
// co_name), or "" when the catalogue has none.
func fieldLabel(r *http.Request, name string) string {
	if name == "" {
		return ""
	}
	if i := strings.LastIndexByte(name, '_'); i > 0 && strings.Trim(name[i+1:], "0123456789") == "" && i+1 < len(name) {
		name = name[:i]
	}
	key := "input.field." + name
	if label := message(r, key); label != key {
		return label
	}
	return ""
}

// readable reports whether s is text PostgreSQL stores: valid UTF-8
// without NUL.
func readable(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// unreadableValues returns the name of a field of vs that is unreadable
// (or whose value is; "" for a name that is itself unreadable) and false,
// or "", true.
func unreadableValues(vs url.Values) (string, bool) {
	for name, values := range vs {
		if !readable(name) {
			return "", false
		}
		for _, v := range values {
			if !readable(v) {
				return name, false
			}
		}
	}
	return "", true
}

// unreadableJSON checks the keys and strings of the JSON document raw at
// any depth; it returns the key of an unreadable string ("" for a key, or
// an element of a top-level array) and false, or "", true. Unreadable is
// invalid UTF-8, a NUL (\u0000), or a \u escape of half a surrogate pair,
// which encoding/json would silently turn into U+FFFD.
func unreadableJSON(raw []byte) (string, bool) {
	type frame struct {
		object  bool
		wantKey bool   // in an object: the next string is a key
		key     string // in an object: the key of the value being read
	}
	var stack []frame
	dec := json.NewDecoder(bytes.NewReader(raw))
	var prev int64
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", true // the end (raw is valid JSON)
		}
		end := dec.InputOffset()
		seg := raw[prev:end] // the token with the separators before it
		prev = end
		top := len(stack) - 1
		inObject := top >= 0 && stack[top].object
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				stack = append(stack, frame{object: t == '{', wantKey: t == '{'})
			case '}', ']':
				stack = stack[:top]
				if top > 0 && stack[top-1].object {
					stack[top-1].wantKey = true
				}
			}
		case string:
			isKey := inObject && stack[top].wantKey
			if !utf8.Valid(seg) || strings.IndexByte(t, 0) >= 0 || lostSurrogate(t, seg) {
				if isKey || !inObject {
					return "", false
				}
				return stack[top].key, false
			}
			if isKey {
				stack[top].key, stack[top].wantKey = t, false
			} else if inObject {
				stack[top].wantKey = true
			}
		default: // number, bool, null
			if inObject {
				stack[top].wantKey = true
			}
		}
	}
}

// lostSurrogate reports whether the decoded string s has a U+FFFD that its
// source seg does not write, as itself or as \ufffd: one encoding/json put
// in place of a lone surrogate escape such as \ud800.
func lostSurrogate(s string, seg []byte) bool {
	if !strings.ContainsRune(s, utf8.RuneError) {
		return false
	}
	return !bytes.Contains(seg, []byte("\uFFFD")) && !bytes.Contains(bytes.ToLower(seg), []byte(`\ufffd`))
}
