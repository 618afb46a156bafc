package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// publicFirstYear is the first year the public list's year filter offers.
const publicFirstYear = 2020

// publicPerPage is the length of a page of the public list.
const publicPerPage = 20

// Bounds of the public list's query: longer input is cut; pages beyond the
// count's cap (storage.SearchCountCap) are not offered — the page asks to
// narrow the search instead.
const (
	maxPublicQuery = 100
	maxPublicPage  = storage.SearchCountCap / publicPerPage
)

// publicCacheControl lets browsers and proxies keep public pages for five
// minutes: they are the same for every visitor of a language (Vary: Cookie
// for banli_lang).
const publicCacheControl = "public, max-age=300"

// publicItem is a reply in the public list.
type publicItem struct {
	Title         string
	URL           string
	ProposalTitle string
	Department    string
	PublishedAt   time.Time
}

// publicList shows GET /public (no login): the published replies, newest
// first, 20 to a page (?page=), searched by ?q= (words, in Chinese any two
// or more characters, of the suggestion's title or number or of the
// reply's text; title hits first) and filtered by ?session= (a session's
// short name), ?unit= (a unit's code), ?class= (A–D) and ?year= (of
// publication). Each item links to the reply's page, /public/replies/{id}.
// An unknown class or year is ignored.
func (s *server) publicList(w http.ResponseWriter, r *http.Request) {
	qs := r.URL.Query()
	q := strings.TrimSpace(qs.Get("q"))
	if len([]rune(q)) > maxPublicQuery {
		q = string([]rune(q)[:maxPublicQuery])
	}
	session, unit := strings.TrimSpace(qs.Get("session")), strings.TrimSpace(qs.Get("unit"))
	class := workflow.ReplyClass(qs.Get("class"))
	if !class.Valid() {
		class = ""
	}
	year, err := strconv.Atoi(qs.Get("year"))
	if err != nil || year < 1990 || year > 2200 {
		year = 0
	}
	page, err := strconv.Atoi(qs.Get("page"))
	if err != nil || page < 1 {
		page = 1
	}
	page = min(page, maxPublicPage)
	ctx := r.Context()
	replies, total, err := s.db.PublishedReplies(ctx, storage.PublicationFilter{Query: q, SessionShort: session,
		Department: unit, Class: class, Year: year, Limit: publicPerPage, Offset: (page - 1) * publicPerPage})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	facets, err := s.db.PublishedFacets(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	more := total > storage.SearchCountCap
	total = min(total, storage.SearchCountCap)
	data := struct {
		Q, Session, Unit, Class string
		Year                    int
		Sessions                []string
		Units                   []storage.PublicationUnit
		Classes                 []string
		Years                   []int
		Items                   []publicItem
		Total                   int
		More                    bool
		Pager                   ui.Pager
	}{Q: q, Session: session, Unit: unit, Class: string(class), Year: year, Sessions: facets.Sessions,
		Units: facets.Departments, Total: total, More: more}
	for _, c := range workflow.AllReplyClasses() {
		data.Classes = append(data.Classes, string(c))
	}
	for y := s.clock.Today().Year; y >= publicFirstYear; y-- {
		data.Years = append(data.Years, y)
	}
	for _, rep := range replies {
		data.Items = append(data.Items, publicItem{Title: rep.Title, URL: publicReplyPath(rep.PublicationID),
			ProposalTitle: rep.ProposalTitle, Department: rep.DepartmentName, PublishedAt: rep.PublishedAt})
	}
	data.Pager = ui.NewPager(page, publicPerPage, total, func(p int) string {
		v := r.URL.Query()
		v.Del("page")
		if p > 1 {
			v.Set("page", strconv.Itoa(p))
		}
		if len(v) == 0 {
			return "/public"
		}
		return "/public?" + v.Encode()
	})
	w.Header().Set("Cache-Control", publicCacheControl)
	w.Header().Add("Vary", "Cookie")
	s.render(w, r, http.StatusOK, "public_list", &ui.Page{Title: ui.Message(ui.LangOf(r), "public.title"), Data: data})
}

// publicReplyPath is the stable URL of a published reply.
func publicReplyPath(publicationID int64) string {
	return "/public/replies/" + strconv.FormatInt(publicationID, 10)
}
