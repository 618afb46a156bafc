package web

import (
	"net/http"

	"github.com/banli-gov/banli/internal/storage"
)

// svRequests is the data of the view "supervision_requests".
type svRequests struct {
	Returns    []storage.ReturnRequest
	Extensions []storage.ExtensionRequest
	// ExportReturns and ExportExtensions download each list (XLSX, CSV).
	ExportReturns, ExportExtensions [2]string
}

// supervisionRequests shows GET /supervision/requests (liaison only): the
// return requests (申请退回) and extension requests (延期申请) pending
// across all units, each with a link to its case page (/cases/{id}), where
// the liaison rules on it.
func (s *server) supervisionRequests(w http.ResponseWriter, r *http.Request) {
	var d svRequests
	var err error
	if d.Returns, err = s.db.PendingReturnRequests(r.Context()); err != nil {
		s.writeError(w, r, err)
		return
	}
	if d.Extensions, err = s.db.PendingExtensionRequests(r.Context()); err != nil {
		s.writeError(w, r, err)
		return
	}
	for i, f := range []string{"xlsx", "csv"} {
		d.ExportReturns[i] = "/supervision/requests/export?list=returns&format=" + f
		d.ExportExtensions[i] = "/supervision/requests/export?list=extensions&format=" + f
	}
	s.render(w, r, http.StatusOK, "supervision_requests", s.page(w, r, message(r, "sv.requests.title"), &d))
}
