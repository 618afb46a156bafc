package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// svDeputyPage is the page size of the deputy picker's search.
const svDeputyPage = 20

// svDeputyHit is a deputy found by the picker's search.
type svDeputyHit struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Delegation string `json:"delegation"`
	// Label is what the picker writes into the field: 姓名（代表团）,
	// which the registration form reads back.
	Label string `json:"label"`
}

// deputySearch answers GET /deputies/search?q=&page= (liaison only) with
// a page of the deputies whose name or delegation contains q, as JSON
// ({deputies, more}): the registration form's deputy picker.
func (s *server) deputySearch(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	page, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || page < 1 || page > 1000 {
		page = 1
	}
	found, more, err := s.db.SearchDeputies(r.Context(), q, svDeputyPage, (page-1)*svDeputyPage)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := struct {
		Deputies []svDeputyHit `json:"deputies"`
		More     bool          `json:"more"`
	}{Deputies: []svDeputyHit{}, More: more}
	for _, d := range found {
		label := d.Name
		if d.Delegation != "" {
			label += "（" + d.Delegation + "）"
		}
		out.Deputies = append(out.Deputies, svDeputyHit{ID: d.ID, Name: d.Name, Delegation: d.Delegation, Label: label})
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(out)
}
