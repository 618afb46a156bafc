package web

import (
	"net/http"
	"strconv"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// diffData is the data of the view "draft_diff".
type diffData struct {
	Case     *storage.CaseSummary
	A, B     draftVersion
	Sections []diffSection
	Versions []int
	// Changed reports whether the versions differ at all.
	Changed bool
}

// diffSection compares the sections at one position of two versions.
type diffSection struct {
	N                  int // from 1
	HeadingA, HeadingB string
	HeadingChanged     bool
	Rows               []diffRow
	Changed            bool
}

// draftDiff shows GET /cases/{id}/draft/diff?a=1&b=2: two versions of the
// case's draft side by side, section by section (paired by position), each
// body compared line by line — a paragraph removed is struck out (<del>), a
// paragraph added underlined (<ins>), each marked in words too. a and b
// default to the last two versions; a version the case does not have is
// not found.
func (s *server) draftDiff(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, _, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	drafts, err := s.db.Drafts(r.Context(), cs.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if len(drafts) == 0 {
		s.writeError(w, r, workflow.Errorf(workflow.ErrNotFound, "尚无答复稿 (case %d has no draft)", cs.ID))
		return
	}
	byVersion := map[int]*workflow.Draft{}
	data := &diffData{Case: cs}
	var ids []int64
	for _, d := range drafts {
		byVersion[d.Version] = d
		data.Versions = append(data.Versions, d.Version)
		ids = append(ids, d.AuthorID)
	}
	latest := drafts[len(drafts)-1].Version
	version := func(name string, def int) (*workflow.Draft, error) {
		v := r.URL.Query().Get(name)
		if v == "" {
			v = strconv.Itoa(def)
		}
		n, err := strconv.Atoi(v)
		if d, ok := byVersion[n]; err == nil && ok {
			return d, nil
		}
		return nil, workflow.Errorf(workflow.ErrNotFound, "%s: 答复稿没有版本 %q (case %d has no draft version %q)", name, v, cs.ID, v)
	}
	a, err := version("a", max(latest-1, 1))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	b, err := version("b", latest)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	names, err := s.db.UserNames(r.Context(), ids)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	data.A = draftVersion{Version: a.Version, Round: a.Round, Author: names[a.AuthorID], CreatedAt: a.CreatedAt}
	data.B = draftVersion{Version: b.Version, Round: b.Round, Author: names[b.AuthorID], CreatedAt: b.CreatedAt}
	data.Sections = diffSections(a.Sections, b.Sections)
	for _, sec := range data.Sections {
		data.Changed = data.Changed || sec.Changed
	}
	lang := ui.LangOf(r)
	s.render(w, r, http.StatusOK, "draft_diff", s.page(w, r, ui.Message(lang, "diff.title")+" · "+cs.ProposalNumber, data))
}

// diffSections compares two drafts section by section, by position.
func diffSections(a, b []workflow.Section) []diffSection {
	var out []diffSection
	for i := 0; i < max(len(a), len(b)); i++ {
		var sa, sb workflow.Section
		if i < len(a) {
			sa = a[i]
		}
		if i < len(b) {
			sb = b[i]
		}
		sec := diffSection{N: i + 1, HeadingA: sa.Heading, HeadingB: sb.Heading, HeadingChanged: sa.Heading != sb.Heading}
		sec.Rows = sideBySide(diffLines(diffableLines(sa.Body), diffableLines(sb.Body)))
		sec.Changed = sec.HeadingChanged
		for _, row := range sec.Rows {
			if row.Left.Op != diffSame {
				sec.Changed = true
			}
		}
		out = append(out, sec)
	}
	return out
}
