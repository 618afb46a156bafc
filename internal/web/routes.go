package web

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/banli-gov/banli/internal/metrics"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// routes lists every route of banli. Keep it the only place that does.
func (s *server) routes() http.Handler {
	r := chi.NewRouter()
	// Security headers on every response, 404s included; banli dev's
	// provider replaces the CSP on its own pages. Every request's input is
	// bounded and checked before any route sees it (input.go).
	r.Use(s.logRequests, s.recoverPanics, s.securityHeaders, s.checkInput)

	if s.probesOnly {
		r.Get("/healthz", s.healthz)
		r.Get("/readyz", s.readyz)
		return r
	}

	// Unknown URLs, and known ones asked with another method: the 404 page
	// in the layout, with the caller when logged in (not_found.go). Set
	// before the sub-routers below, which inherit it.
	unknown := s.authenticate(http.HandlerFunc(s.notFound)).ServeHTTP
	r.NotFound(unknown)
	r.MethodNotAllowed(unknown)

	// Probes: outside the sessions, so that a browser's cookie never makes
	// the liveness probe depend on the database.
	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)

	// banli dev's OpenID provider, outside banli's sessions (server.go).
	if s.devProvider != nil {
		r.Mount(DevProviderPath, s.devProvider)
	}

	// The UI's static files (content-hashed URLs, cached for a year) and
	// the language switch: the same for everyone, outside the sessions.
	r.Handle(ui.StaticPrefix+"*", s.ui.Static())
	r.Get("/lang", s.langSwitch)

	// The public portal (公开答复): no login, no session, the same for every
	// visitor (public_*.go). Only published replies are reachable.
	r.Route("/public", func(r chi.Router) {
		r.Get("/", s.publicList)
		r.Get("/feed.atom", s.publicFeed)
		r.Get("/replies/{id}", s.publicReply)
		r.Get("/replies/{id}/attachments/{aid}", s.publicReplyAttachment)
		r.Get("/{session}/{number}", s.publicReplyByNumber)
	})
	// End of the public portal.

	r.Group(func(r chi.Router) {
		// Login: every route gets its caller, if any (auth_middleware.go).
		// Pages of the application and the JSON API add s.requireLogin and
		// s.checkCSRF to their group.
		r.Use(s.authenticate)
		r.Get("/login", s.loginPage)
		r.Get("/login/{provider}", s.loginStart)
		r.Get("/auth/{provider}/callback", s.loginCallback)
		r.With(s.checkCSRF).Post("/logout", s.logout)
		r.With(s.requireLogin, s.checkCSRF).Get("/me", s.me)
		// End of login.

		// Case work (begin): the workbench (工作台) at /, the case page and
		// its forms, the draft editor and diff, the reply's print view
		// (workbench*.go, case_*.go, communication_*.go, draft_*.go,
		// reply_*.go, feedback_link_create.go); and the deputy's feedback
		// form, without login: its signed link is the permission
		// (feedback_form.go, feedback_token.go).
		r.Group(func(r chi.Router) {
			r.Use(s.requireLogin, s.checkCSRF)
			r.Get("/", s.workbench)
			r.Get("/cases/export", s.caseListExport)
			r.Get("/queue/export", s.queueExport)
			r.Post("/inbox/read-all", s.workbenchInboxReadAll)
			r.Post("/inbox/{id}/read", s.workbenchInboxRead)
			r.Get(settingsNotificationsPath, s.settingsNotifications)
			r.Post(settingsNotificationsPath, s.settingsNotificationsSave)
			r.Get("/cases/{id}", s.caseShow)
			r.Post("/cases/{id}/actions/{action}", s.caseAct)
			r.Post("/cases/{id}/communications", s.communicationAdd)
			r.Post("/cases/{id}/progress", s.progressAdd)
			// Files (attachment_*.go); the upload's body bound is input.go's.
			r.Post("/cases/{id}/attachments", s.attachmentAdd)
			r.Post("/cases/{id}/attachments/{aid}/delete", s.attachmentDelete)
			r.Get("/attachments/{id}", s.attachmentGet)
			r.Post("/cases/{id}/feedback-link", s.feedbackLinkCreate)
			r.Post("/cases/{id}/feedback-link/revoke", s.feedbackLinkRevoke)
			r.Get("/cases/{id}/draft", s.draftEdit)
			r.Post(draftEditorRoute, s.draftSave)
			r.Post(draftAutosaveRoute, s.draftAutosave)
			r.Post("/cases/{id}/draft/discard", s.draftDiscard)
			r.Get("/cases/{id}/draft/diff", s.draftDiff)
			r.Get("/cases/{id}/reply/print", s.replyPrint)
			r.Get("/cases/{id}/letter", s.caseLetter)
		})
		r.Get("/feedback/{token}", s.feedbackForm)
		r.Post("/feedback/{token}", s.feedbackRecord)
		// The deputy's own page, without login: its signed link is the
		// permission (deputy_page.go, deputy_token.go).
		r.Get("/deputy/{token}", s.deputyPage)
		r.Get("/deputy/{token}/attachments/{aid}", s.deputyAttachment)
		r.Get("/deputy/{token}/cases/{case}/feedback", s.deputyFeedback)
		// Case work (end).

		// Supervision, assignment and administration (begin): the liaison's
		// pages (督办, 登记, 交办: supervision_*.go, proposal_*.go,
		// assignment_*.go, import_*.go, deputy_search.go) and the
		// administrator's (管理: admin_*.go).
		// Forms POST with the CSRF token and redirect (303) on success.
		r.Group(func(r chi.Router) {
			r.Use(s.requireLogin, s.checkCSRF, s.requireRole(workflow.RoleLiaison))
			r.Get("/supervision", s.supervisionDashboard)
			r.Get("/supervision/cases", s.supervisionCases)
			r.Get("/supervision/export", s.supervisionExport)
			r.Get("/supervision/report", s.supervisionReport)
			r.Get("/supervision/cases/export", s.supervisionCasesExport)
			r.Get("/supervision/requests", s.supervisionRequests)
			r.Get("/supervision/requests/export", s.supervisionRequestsExport)
			r.Get("/proposals/new", s.proposalNew)
			r.Post("/proposals/new", s.proposalCreate)
			r.Get("/proposals/{id}", s.proposalShow)
			r.Post("/proposals/{id}/assign", s.assignmentCreate)
			r.Get("/proposals/import", s.importPage)
			r.Get("/proposals/import/template/{kind}.xlsx", s.importTemplate)
			r.Post(importPreviewPath, s.importPreview)
			r.Post("/proposals/import/{id}", s.importRun)
			r.Get("/deputies/search", s.deputySearch)
			r.Post("/proposals/{id}/key", s.proposalKeyMark)
			r.Post("/proposals/{id}/key/remove", s.proposalKeyUnmark)
			r.Post("/proposals/{id}/merge", s.proposalMerge)
			r.Post("/proposals/{id}/unmerge", s.proposalUnmerge)
			r.Post("/proposals/{id}/attachments", s.proposalAttachmentAdd)
			r.Post("/proposals/{id}/attachments/{aid}/delete", s.proposalAttachmentDelete)
			r.Post("/proposals/{id}/deputies/{deputy}/link", s.deputyLinkCreate)
			r.Post("/proposals/{id}/deputies/{deputy}/link/revoke", s.deputyLinkRevoke)
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireLogin, s.checkCSRF, s.requireRole(workflow.RoleAdmin))
			r.Get("/admin", s.adminIndex)
			r.Get("/admin/departments", s.adminDepartments)
			r.Post("/admin/departments", s.adminDepartmentCreate)
			r.Get("/admin/users", s.adminUsers)
			r.Get("/admin/users/{id}", s.adminUser)
			r.Post("/admin/users/{id}/grant", s.adminUserGrant)
			r.Post("/admin/users/{id}/revoke", s.adminUserRevoke)
			r.Post("/admin/users/{id}/department", s.adminUserDepartment)
			r.Post("/admin/users/{id}/disable", s.adminUserDisable)
			r.Post("/admin/users/{id}/enable", s.adminUserEnable)
			r.Post("/admin/users/{id}/principal", s.adminUserPrincipal)
			r.Get("/admin/log", s.adminLog)
			r.Post("/admin/supervisor-label", s.adminSupervisorLabelSet)
			r.Get("/admin/sessions", s.adminSessions)
			r.Post("/admin/sessions", s.adminSessionCreate)
			r.Get("/admin/sessions/{id}", s.adminSession)
			r.Post("/admin/sessions/{id}/rules", s.adminSessionRules)
			r.Post("/admin/sessions/{id}/reminders", s.adminSessionReminders)
			r.Post("/admin/sessions/{id}/letter", s.adminSessionLetter)
			r.Get("/admin/holidays", s.adminHolidays)
			r.Post("/admin/holidays", s.adminHolidaySet)
			r.Post("/admin/holidays/{date}/remove", s.adminHolidayRemove)
		})
		// Supervision, assignment and administration (end).

		// The JSON API (api_v1.go: the table of its operations, which also
		// writes its OpenAPI document, openapi.go): every case query and
		// action is scoped to the caller (storage.CaseFor,
		// storage.CasesVisibleTo, workflow.Decide). Version 1 is served
		// under /api/v1; the same routes answer under /api, as before the
		// API had a version, with /api/inbox for /api/v1/notifications.
		r.Route("/api", func(r chi.Router) {
			r.Get(strings.TrimPrefix(openAPIPath, "/api"), s.openAPI)
			r.Group(func(r chi.Router) {
				r.Use(s.requireLogin, s.checkCSRF)
				s.apiRoutes(r, true)
				r.Route(strings.TrimPrefix(apiBasePath, "/api"), func(r chi.Router) { s.apiRoutes(r, false) })
			})
		})

		// River's web UI and its JSON API, for administrators, on a server
		// with a River client (admin_jobs.go). Its single-page app cannot
		// send banli's CSRF token: a same-origin check stands in for
		// checkCSRF, and its responses get a CSP of their own.
		if s.jobs != nil {
			r.With(s.requireLogin, s.requireRole(workflow.RoleAdmin), s.checkSameOrigin).
				Mount(AdminJobsPath, s.adminJobs())
		}

		// The metrics, for administrators, unless a listener of their own
		// (BANLI_METRICS_ADDR) serves them; Go's profiles never here.
		if s.metrics != nil && s.cfg.MetricsAddr == "" {
			r.With(s.requireLogin, s.requireRole(workflow.RoleAdmin)).Get(metrics.Path, s.metrics.Handler().ServeHTTP)
		}
	})
	return r
}
