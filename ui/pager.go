package ui

// Pager is the paging of a list, for the common template "pager":
// {{template "pager" dict "Pager" .Data.Pager}}.
type Pager struct {
	// Page is the current page, from 1.
	Page int
	// Pages is the number of pages (at least 1).
	Pages int
	// Prev and Next are the URLs of the neighbouring pages; empty at the
	// ends.
	Prev, Next string
}

// NewPager returns the pager of page (from 1) of a list of total items,
// perPage to a page; urlFor gives the URL of a page.
func NewPager(page, perPage, total int, urlFor func(page int) string) Pager {
	if perPage < 1 {
		perPage = 1
	}
	p := Pager{Page: max(page, 1), Pages: max((total+perPage-1)/perPage, 1)}
	if p.Page > 1 {
		p.Prev = urlFor(min(p.Page-1, p.Pages))
	}
	if p.Page < p.Pages {
		p.Next = urlFor(p.Page + 1)
	}
	return p
}
