package ui

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// StaticPrefix is the path the static files are served under.
const StaticPrefix = "/static/"

// staticFiles are the files of static/, read and hashed at start-up.
type staticFiles struct {
	byName map[string]staticFile
}

type staticFile struct {
	body        []byte
	hash        string // the first 16 hex digits of its SHA-256
	contentType string
}

func loadStatic(fsys fs.FS) (*staticFiles, error) {
	sf := &staticFiles{byName: map[string]staticFile{}}
	err := fs.WalkDir(fsys, staticDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = "application/octet-stream"
		}
		sf.byName[strings.TrimPrefix(p, staticDir+"/")] = staticFile{body: body, hash: hex.EncodeToString(sum[:8]), contentType: ct}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ui: error reading the static files: %w", err)
	}
	return sf, nil
}

// StaticURL returns the URL of static file name with its content hash, e.g.
// /static/banli.css?v=3f2a…: a new version of a file gets a new URL, so
// browsers may keep each for a year. It panics for a file that does not
// exist, which fails the template at start-up's first render and in every
// test rather than linking to nothing.
func (e *Engine) StaticURL(name string) string {
	f, ok := e.static.byName[name]
	if !ok {
		panic(fmt.Sprintf("ui: no static file %q", name))
	}
	return StaticPrefix + name + "?v=" + f.hash
}

// Static serves the static files under StaticPrefix (mount it at
// /static/). A request with the file's current hash (?v=, as StaticURL
// writes it) may be cached for a year (immutable); any other must be
// revalidated (ETag). Unknown files are 404.
func (e *Engine) Static() http.Handler {
	// The modification time does not matter: the ETag is the content hash.
	var modTime time.Time
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(r.URL.Path, StaticPrefix)
		f, ok := e.static.byName[name]
		if !ok || name == "" {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", f.contentType)
		h.Set("ETag", `"`+f.hash+`"`)
		if r.URL.Query().Get("v") == f.hash {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "public, no-cache")
		}
		http.ServeContent(w, r, name, modTime, bytes.NewReader(f.body))
	})
}
