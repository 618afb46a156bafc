package web

import (
	"net/http"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// statisticsResponse is the 督办 dashboard's statistics as the API gives
// them: the figures' definitions (workflow.AllFigures), then every
// handling unit's figures and the totals, each figure as its numerator and
// denominator (the same counts as the dashboard, the lists and the
// exports: storage.Statistics).
type statisticsResponse struct {
	SessionID int64             `json:"session_id,omitempty"`
	Year      int               `json:"year,omitempty"`
	Today     workflow.Date     `json:"today"`
	Figures   []figureView      `json:"figures"`
	Total     unitFiguresView   `json:"total"`
	Units     []unitFiguresView `json:"units"`
}

// figureView is one figure's definition.
type figureView struct {
	Key          string `json:"key"`
	NameZH       string `json:"name_zh"`
	NameEN       string `json:"name_en"`
	DefinitionZH string `json:"definition_zh"`
	DefinitionEN string `json:"definition_en"`
}

// unitFiguresView is one unit's figures, or the totals (no department).
type unitFiguresView struct {
	Department string `json:"department,omitempty" doc:"the unit's code; absent for the totals"`
	Name       string `json:"name,omitempty"`
	Cases      int    `json:"cases"`
	DueSoon    int    `json:"due_soon"`
	Overdue    int    `json:"overdue"`
	// Withdrawn and Converted count suggestions that ended without a
	// reply, outside every rate.
	Withdrawn int                 `json:"withdrawn"`
	Converted int                 `json:"converted"`
	Rates     map[string]rateView `json:"rates" doc:"each figure by its key"`
}

// rateView is a rate as its two counts and its percentage ("—" when the
// denominator is 0).
type rateView struct {
	Num     int    `json:"num"`
	Den     int    `json:"den"`
	Percent string `json:"percent"`
}

func newUnitFiguresView(code, name string, f storage.Figures) unitFiguresView {
	v := unitFiguresView{Department: code, Name: name, Cases: f.Cases, DueSoon: f.DueSoon, Overdue: f.Overdue,
		Withdrawn: f.Withdrawn, Converted: f.Converted, Rates: map[string]rateView{}}
	for _, fig := range workflow.AllFigures() {
		r := f.Rate(fig)
		v.Rates[string(fig)] = rateView{Num: r.Num, Den: r.Den, Percent: r.Percent()}
	}
	return v
}

// apiStatistics answers GET /api/v1/statistics (liaison): the figures of a
// session (?session=ID, the latest by default) or of a year of assignment
// (?year=), as the dashboard reads its scope (svScope).
func (s *server) apiStatistics(w http.ResponseWriter, r *http.Request) {
	sv, err := s.svStatistics(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	st := sv.Statistics
	out := statisticsResponse{SessionID: sv.Scope.SessionID, Year: sv.Scope.Year, Today: sv.Today,
		Total: newUnitFiguresView("", "", st.Total), Units: make([]unitFiguresView, 0, len(st.Units))}
	for _, fig := range workflow.AllFigures() {
		out.Figures = append(out.Figures, figureView{Key: string(fig), NameZH: fig.LabelZH(), NameEN: fig.LabelEN(),
			DefinitionZH: fig.DefinitionZH(), DefinitionEN: fig.DefinitionEN()})
	}
	for _, u := range st.Units {
		out.Units = append(out.Units, newUnitFiguresView(u.Department.Code, u.Department.Name, u.Figures))
	}
	writeJSON(w, http.StatusOK, out)
}
