package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/banli-gov/banli/ui"
)

// langCookieMaxAge is how long a browser keeps its choice of language.
const langCookieMaxAge = 365 * 24 * time.Hour

// langSwitch handles GET /lang?to=en&next=/public: it keeps the language in
// the banli_lang cookie and sends the browser (303) back to next, a path of
// this site (the page the switch was clicked on), or to / when next is
// missing or points elsewhere. An unknown language is 400. A GET, since
// it changes nothing but a preference of the browser's own, and so the
// switch is a plain link.
func (s *server) langSwitch(w http.ResponseWriter, r *http.Request) {
	lang, ok := ui.ParseLang(r.URL.Query().Get("to"))
	if !ok {
		http.Error(w, "unknown language: to=zh-CN or to=en", http.StatusBadRequest)
		return
	}
	s.setCookie(w, ui.LangCookie, lang, langCookieMaxAge)
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
}

// localPath returns next when it is a path (with its query) of this site,
// and "/" otherwise: never another origin.
func localPath(next string) string {
	if next == "" || len(next) > 2048 || next[0] != '/' || strings.HasPrefix(next, "//") {
		return "/"
	}
	for _, c := range next {
		if c < 0x20 || c == 0x7f || c == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}
