package web

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/letter"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// caseShow shows GET /cases/{id}, the case page: the suggestion and its
// deputies, the assignment and its due dates, the deadlines with working
// days left, the draft, the co-opinions, the replies, the feedback, the
// extension requests, the contacts with the deputy (with a form to record
// one), the timeline of every audit event, and one form per action the
// transition table allows this user now (workflow.ActionsFor). A case the
// user may not see is not found.
func (s *server) caseShow(w http.ResponseWriter, r *http.Request) {
	p := mustPrincipal(r)
	cs, access, err := s.caseFromURL(r, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.renderCase(w, r, p, cs, access, http.StatusOK, caseForm{})
}

// caseForm is what a case page shows beyond the case: the flash, and the
// input of a refused form, kept so the user need not type it again.
type caseForm struct {
	Flash *ui.Flash
	// Action names the action whose form was refused; Input is its input.
	Action workflow.Action
	Input  actionInput
	// Comm is the input of a refused contact record (面商).
	Comm commInput
	// FeedbackLink is a deputy's feedback link just created, and when it
	// expires.
	FeedbackLink    string
	FeedbackExpires time.Time
}

// actionInput is the input of an action form, as typed.
type actionInput struct {
	Comment          string
	Class            string
	Disclosure       string
	DisclosureReason string
	DocumentNumber   string
	ContactPerson    string
	ContactPhone     string
	Due              string
	WorkRating       string
	ResultRating     string
	ContactMethod    string
	MetBy            string
	Remarks          string
	// Summary is the summary published for 摘要公开; Withheld the passages
	// ticked to leave out of the public text ("section.paragraph").
	Summary  string
	Withheld []string
	// Destination is where a suggestion not handled as a suggestion went.
	Destination string
}

// DraftPassages is the latest draft's text paragraph by paragraph: the
// passages the sign-off form lets the approver withhold (区分处理).
func (d caseData) DraftPassages() []workflow.MarkedSection {
	if d.Draft == nil {
		return nil
	}
	return workflow.SignedText{Sections: d.Draft.Sections}.Marked()
}

// Withholds reports whether the passage p was ticked to withhold.
func (in actionInput) Withholds(p workflow.Passage) bool {
	return slices.Contains(in.Withheld, p.String())
}

// commInput is the input of the contact form (面商记录), as typed.
type commInput struct {
	Method       string
	HappenedOn   string
	Participants string
	Summary      string
}

// actionForm is the form of one action the user may take: what it asks
// for, derived from the transition row's guards.
type actionForm struct {
	Action workflow.Action
	// Outcomes are the states the action can lead to (record_feedback: 已办结
	// or 重办, as the ratings decide); Stays: it leaves the state as it is
	// (an extension, a waiver).
	Outcomes []workflow.State
	Stays    bool
	// CommentRequired: the row's guard comment_given.
	CommentRequired bool
	// Reply: sign-off of a reply (reply_decided): class, disclosure, 文号,
	// contact person and phone.
	Reply bool
	// Due: an extension's due date (extension_within_cap), at most DueMax.
	Due    bool
	DueMax workflow.Date
	// Feedback: the deputy's form (feedback_complete).
	Feedback bool
	// Destination: where a converted suggestion went (destination_given).
	Destination bool
	Input       actionInput
	// Failed marks the form whose action was just refused.
	Failed bool
	// Disabled: a guard on the case's facts stands in the way (Reason, in
	// words for people); the page shows the button disabled, no form.
	Disabled bool
	Reason   string
}

// caseData is the data of the view "case".
type caseData struct {
	Case         *storage.CaseSummary
	Access       workflow.Access
	ReadOnly     bool // the lead unit reading a co-handling unit's case
	Proposal     *workflow.Proposal
	SessionName  string
	Deputies     []storage.ProposalDeputy
	ShowContacts bool
	// Units are the proposal's cases: who handles it and how.
	Units []caseUnit
	// Dues are the assignment's due dates; Deadlines the active ones, with
	// working days left.
	Dues      []caseDue
	Deadlines []*dueView
	Draft     *workflow.Draft
	DraftBy   string
	CanDraft  bool
	// CoOpinions: the co-handling units' cases with their latest drafts,
	// for the lead unit and the liaison.
	CoOpinions     []caseUnit
	ShowCoOpinions bool
	Replies        []*storage.CaseReply
	Feedback       []*storage.Feedback
	Extensions     []*storage.Extension
	Communications []commRow
	CanCommunicate bool
	CommMethods    []workflow.ContactMethod
	Comm           commInput
	Timeline       []eventRow
	Actions        []actionForm
	// Choices of the action forms.
	Classes     []workflow.ReplyClass
	Disclosures []workflow.Disclosure
	Ratings     []workflow.Rating
	Methods     []workflow.ContactMethod
	// CanLink: the liaison may create the deputy's feedback link (a sent
	// reply awaiting feedback); Link is one just created.
	CanLink bool
	// CanReassign: a returned case, to the liaison, links to the
	// proposal's assignment form (重新交办).
	CanReassign bool
	Link        string
	LinkExpires time.Time
	Today       workflow.Date
	// Key is the suggestion's key mark (重点建议) when IsKey; Progress its
	// progress reports (办理进展) on this case, newest first, and
	// CanReport whether the user may file one. Merge says how the
	// suggestion takes part in merged handling (并案).
	Key       workflow.KeyMark
	IsKey     bool
	Progress  []progressRow
	CanReport bool
	Merge     storage.ProposalMerge
	// Attachments are the files of the case and its suggestion, deleted
	// ones included; AttachTo what the user may attach a file to now
	// (none: no upload form); AttachMax the size limit, in words.
	Attachments []attachmentRow
	AttachTo    []attachOption
	AttachMax   string
	// Letters are the addressees of the latest reply's letters (答复函),
	// in order, for their download links; none before a reply is signed.
	Letters []string
	// CoLetter: a co-handling case whose opinion is signed offers its
	// co-opinion letter (协办意见函).
	CoLetter bool
	// LeadReplies are the lead unit's replies sent to the deputies, for a
	// co-handling unit to read on its own case page; LeadUnit names it.
	LeadReplies []*storage.CaseReply
	LeadUnit    string
}

// progressRow is a progress report with its author's name.
type progressRow struct {
	*workflow.ProgressReport
	Author string
}

// caseUnit is one case of the proposal in the assignment table.
type caseUnit struct {
	*storage.ProposalCase
	// Visible: the user may open that case.
	Visible bool
	Current bool
}

// caseDue is a due date of the assignment.
type caseDue struct {
	Key string // catalogue key of its name
	Due workflow.Date
	// Provisional marks a date counted without Year's holiday data.
	Provisional bool
	Year        int
}

// commRow is a contact with the deputy.
type commRow struct {
	*storage.Communication
	RecordedBy string
}

// renderCase answers with the case page of cs for p, with status and
// form (a flash, a refused form's input, a link just created).
func (s *server) renderCase(w http.ResponseWriter, r *http.Request, p *auth.Principal, cs *storage.CaseSummary,
	access workflow.Access, status int, form caseForm) {
	data, err := s.caseData(r, p, cs, access, form)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	pg := s.page(w, r, cs.ProposalNumber+" "+cs.ProposalTitle, data)
	if form.Flash != nil {
		pg.Flash = form.Flash
	}
	s.render(w, r, status, "case", pg)
}

// caseData gathers the case page.
func (s *server) caseData(r *http.Request, p *auth.Principal, cs *storage.CaseSummary, access workflow.Access, form caseForm) (*caseData, error) {
	ctx := r.Context()
	lang := ui.LangOf(r)
	roles := p.Actor.RolesOn(cs.DepartmentID)
	d := &caseData{Case: cs, Access: access, ReadOnly: access != workflow.AccessAct, ShowContacts: access == workflow.AccessAct,
		Classes: workflow.AllReplyClasses(), Disclosures: workflow.AllDisclosures(), Ratings: workflow.AllRatings(),
		Methods: workflow.AllContactMethods(), Comm: form.Comm, Link: form.FeedbackLink, LinkExpires: form.FeedbackExpires,
		Today: s.clock.Today()}
	var err error
	if d.Proposal, err = s.db.Proposal(ctx, cs.ProposalID); err != nil {
		return nil, err
	}
	session, err := s.db.Session(ctx, d.Proposal.SessionID)
	if err != nil {
		return nil, err
	}
	d.SessionName = session.Name
	if d.Deputies, err = s.db.ProposalDeputies(ctx, cs.ProposalID); err != nil {
		return nil, err
	}
	if !d.ShowContacts {
		// Only the case's own unit and the liaison office see how to reach
		// the deputies.
		for i := range d.Deputies {
			d.Deputies[i].Phone, d.Deputies[i].Email = "", ""
		}
	}

	units, err := s.db.ProposalCases(ctx, cs.ProposalID)
	if err != nil {
		return nil, err
	}
	depts := map[int64]string{}
	for _, u := range units {
		depts[u.DepartmentID] = u.DepartmentName
		cu := caseUnit{ProposalCase: u, Current: u.ID == cs.ID,
			Visible: p.Actor.AccessTo(&workflow.Case{DepartmentID: u.DepartmentID, Kind: u.Kind}, cs.LeadDepartmentID) != workflow.AccessNone}
		d.Units = append(d.Units, cu)
		if u.ID == cs.ID {
			d.Draft = u.LatestDraft
		}
		if u.Kind == workflow.KindCo && u.State.Live() {
			d.CoOpinions = append(d.CoOpinions, cu)
		}
	}
	d.ShowCoOpinions = cs.Kind == workflow.KindLead && access == workflow.AccessAct
	if cs.Kind == workflow.KindCo {
		d.CoLetter = cs.State == workflow.StateOpinionSubmitted
		if err := s.leadReplies(ctx, d, units); err != nil {
			return nil, err
		}
	}

	cal, err := s.db.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	due := func(key string, date workflow.Date, provisional bool) {
		d.Dues = append(d.Dues, caseDue{Key: key, Due: date, Provisional: provisional, Year: provisionalYear(cal, d.Today, date)})
	}
	pv := cs.Provisional
	switch cs.Kind {
	case workflow.KindCo:
		due("case.due.coOpinion", cs.CoOpinionDue, pv.CoOpinion)
	default:
		due("case.due.reply", cs.ReplyDue, pv.Reply)
	}
	due("case.due.returnWindow", cs.ReturnDue, pv.Return)
	if cs.Kind.RepliesToDeputy() {
		due("case.due.extensionCap", cs.ExtensionCap.Date, cs.ExtensionCap.Provisional)
	}
	if !cs.RehandleDue.IsZero() {
		due("case.due.rehandle", cs.RehandleDue, pv.Rehandle)
	}
	stored, err := s.db.CaseDeadlines(ctx, cs.ID)
	if err != nil {
		return nil, err
	}
	for _, dl := range stored {
		if !dl.Ended {
			d.Deadlines = append(d.Deadlines, dueOf(cal, d.Today, dl.Kind, dl.Due, dl.Provisional))
		}
	}

	if d.Replies, err = s.db.CaseReplies(ctx, cs.ID); err != nil {
		return nil, err
	}
	if len(d.Replies) > 0 && cs.Kind.RepliesToDeputy() {
		letters, err := letter.ForCase(ctx, s.db, cs, 0)
		if err != nil {
			return nil, err
		}
		for _, l := range letters {
			d.Letters = append(d.Letters, l.Addressee)
		}
	}
	if d.Feedback, err = s.db.CaseFeedback(ctx, cs.ID); err != nil {
		return nil, err
	}
	if d.Extensions, err = s.db.CaseExtensions(ctx, cs.ID); err != nil {
		return nil, err
	}
	comms, err := s.db.Communications(ctx, cs.ID)
	if err != nil {
		return nil, err
	}
	events, err := s.db.CaseEvents(ctx, cs.ID)
	if err != nil {
		return nil, err
	}
	ids := eventActors(events)
	for _, c := range comms {
		ids = append(ids, c.RecordedBy)
	}
	if d.Draft != nil {
		ids = append(ids, d.Draft.AuthorID)
	}
	if d.Key, d.IsKey, err = s.db.KeyMarkOf(ctx, cs.ProposalID); err != nil {
		return nil, err
	}
	if d.Merge, err = s.db.MergeOf(ctx, cs.ProposalID); err != nil {
		return nil, err
	}
	reports, err := s.db.ProgressReports(ctx, cs.ID)
	if err != nil {
		return nil, err
	}
	for _, rep := range reports {
		ids = append(ids, rep.AuthorID)
	}
	names, err := s.db.UserNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, rep := range reports {
		d.Progress = append(d.Progress, progressRow{ProgressReport: rep, Author: names[rep.AuthorID]})
	}
	for _, c := range comms {
		d.Communications = append(d.Communications, commRow{Communication: c, RecordedBy: names[c.RecordedBy]})
	}
	if d.Draft != nil {
		d.DraftBy = names[d.Draft.AuthorID]
	}
	d.Timeline = timeline(events, names, depts, lang)

	if access == workflow.AccessAct {
		_, errDraft := workflow.MayRecord(workflow.RecordSaveDraft, cs.State, roles)
		d.CanDraft = errDraft == nil
		_, errComm := workflow.MayRecord(workflow.RecordAddCommunication, cs.State, roles)
		d.CanCommunicate = errComm == nil
		d.CommMethods = []workflow.ContactMethod{workflow.ContactMeeting, workflow.ContactVisit, workflow.ContactPhone}
		_, errReport := workflow.MayRecord(workflow.RecordAddProgressReport, cs.State, roles)
		d.CanReport = errReport == nil && d.IsKey && cs.Kind.RepliesToDeputy()
		d.CanLink = workflow.MayLinkFeedback(&cs.Case, roles) == nil
		if d.CanLink && d.Link == "" {
			if d.Link, d.LinkExpires, err = s.issuedFeedbackLink(ctx, cs); err != nil {
				return nil, err
			}
		}
		offers, err := s.offers(ctx, cs, p.Actor)
		if err != nil {
			return nil, err
		}
		d.Actions = actionForms(lang, cs, offers, d.Extensions, form)
	}
	d.CanReassign = cs.State == workflow.StateReturned && isLiaison(p.Actor)
	if err := s.caseAttachments(r, p, cs, access, d, comms); err != nil {
		return nil, err
	}
	return d, nil
}

// leadReplies gives a co-handling unit's case page the lead unit's replies
// once they are sent to the deputies: what was finally answered, which
// co-units never saw before.
func (s *server) leadReplies(ctx context.Context, d *caseData, units []*storage.ProposalCase) error {
	for _, u := range units {
		if u.Kind != workflow.KindLead || u.State == workflow.StateReturned {
			continue
		}
		d.LeadUnit = u.DepartmentName
		replies, err := s.db.CaseReplies(ctx, u.ID)
		if err != nil {
			return err
		}
		for _, rp := range replies {
			if !rp.SentAt.IsZero() {
				d.LeadReplies = append(d.LeadReplies, rp)
			}
		}
	}
	return nil
}

// actionForms builds the forms of the actions workflow offers the user on
// the case (s.offers: the one list of buttons, with the guards on the
// case's facts evaluated), each asking for what its row's guards check;
// an action a state guard stands in the way of is a disabled button with
// the reason, in lang, and no form.
func actionForms(lang string, cs *storage.CaseSummary, offers []workflow.Offer, exts []*storage.Extension, form caseForm) []actionForm {
	var out []actionForm
	for _, o := range offers {
		t := o.Transition
		f := actionForm{Action: t.Action, Stays: t.SelfLoop()}
		if !o.Enabled() {
			f.Disabled, f.Reason = true, refusalText(lang, o.Refusal)
		}
		kind := cs.Kind
		if t.Machine == workflow.MachinePublication {
			kind = ""
		}
		for _, row := range workflow.Table() {
			if row.Machine == t.Machine && row.From == t.From && row.Action == t.Action && row.AppliesTo(kind) &&
				!slices.Contains(f.Outcomes, row.To) {
				f.Outcomes = append(f.Outcomes, row.To)
			}
		}
		for _, g := range t.GuardNames() {
			switch g {
			case workflow.GuardCommentGiven.Name:
				f.CommentRequired = true
			case workflow.GuardReplyDecided.Name:
				f.Reply = true
			case workflow.GuardExtensionWithinCap.Name:
				f.Due, f.DueMax = true, cs.ExtensionCap.Date
			case workflow.GuardFeedbackComplete.Name:
				f.Feedback = true
			case workflow.GuardDestinationGiven.Name:
				f.Destination = true
			}
		}
		if t.Action == workflow.ActionGrantExtension {
			// The liaison grants what was asked for unless they change it.
			for _, e := range exts {
				if e.State == workflow.ExtensionRequested {
					f.Input.Due = e.WantedDue.String()
				}
			}
		}
		if t.Action == form.Action {
			f.Input, f.Failed = form.Input, true
		}
		out = append(out, f)
	}
	return out
}
