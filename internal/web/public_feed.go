package web

import (
	"encoding/xml"
	"net/http"
	"strings"
	"time"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// publicFeedSize is how many of the newest publications the feed carries.
const publicFeedSize = 50

// atomFeed is an Atom feed (RFC 4287).
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published"`
	Link      atomLink   `xml:"link"`
	Author    atomPerson `xml:"author"`
	Summary   atomText   `xml:"summary"`
	Content   atomText   `xml:"content"`
}

// publicFeed answers GET /public/feed.atom (no login): an Atom feed of the
// 50 newest publications. Each entry's id and link are the reply's stable
// URL under BANLI_BASE_URL, updated and published its publication time,
// author its unit (来源), summary the suggestion's title and content the
// reply's full text as plain text.
func (s *server) publicFeed(w http.ResponseWriter, r *http.Request) {
	replies, _, err := s.db.PublishedReplies(r.Context(), storage.PublicationFilter{Limit: publicFeedSize})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	base := s.cfg.BaseURL
	feed := atomFeed{
		ID:    base + "/public",
		Title: "人大代表建议答复公开 · banli",
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: base + "/public/feed.atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/public"},
		},
		Author: atomPerson{Name: "人大代表建议办理 banli"},
	}
	updated := time.Unix(0, 0)
	for _, rep := range replies {
		if rep.PublishedAt.After(updated) {
			updated = rep.PublishedAt
		}
		u := base + publicReplyPath(rep.PublicationID)
		at := atomTime(rep.PublishedAt)
		feed.Entries = append(feed.Entries, atomEntry{
			ID: u, Title: rep.Title, Updated: at, Published: at,
			Link:    atomLink{Rel: "alternate", Type: "text/html", Href: u},
			Author:  atomPerson{Name: rep.DepartmentName},
			Summary: atomText{Type: "text", Body: rep.ProposalTitle},
			Content: atomText{Type: "text", Body: publicNoted(rep.Public.PublicNoteZH(), replyText(rep.Sections))},
		})
	}
	feed.Updated = atomTime(updated)
	out, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Cache-Control", publicCacheControl)
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(out)
	_, _ = w.Write([]byte("\n"))
}

// atomTime formats t as RFC 3339 in Asia/Shanghai.
func atomTime(t time.Time) string { return t.In(ui.Shanghai()).Format(time.RFC3339) }

// publicNoted puts the portal's note on what is published (本答复摘要公开)
// before a reply's text; the text alone when there is none.
func publicNoted(note, text string) string {
	if note == "" {
		return text
	}
	return note + "\n\n" + text
}

// replyText is a reply's text as plain text: each heading and paragraph on
// its own, separated by blank lines.
func replyText(sections []workflow.Section) string {
	var parts []string
	for _, sec := range sections {
		if sec.Heading != "" {
			parts = append(parts, sec.Heading)
		}
		parts = append(parts, ui.Paragraphs(sec.Body)...)
	}
	return strings.Join(parts, "\n\n")
}
