package web

import (
	"fmt"
	"net/http"

	"github.com/banli-gov/banli/internal/auth"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// attachmentRow is a file in the case page's list.
type attachmentRow struct {
	*storage.Attachment
	// Of says what it belongs to, in words.
	Of string
	// CanDelete: the user may delete it now (workflow.MayAttach).
	CanDelete bool
}

// attachOption is a choice of the upload form's "owner".
type attachOption struct {
	Value string
	Label string
	// MayPublish: a reply's file, which may be public with the reply.
	MayPublish bool
}

// caseAttachments fills the case page's files and upload choices: every
// file of the case and its suggestion, each with what it belongs to and
// whether the user may delete it; the owners the user may attach to now.
func (s *server) caseAttachments(r *http.Request, p *auth.Principal, cs *storage.CaseSummary, access workflow.Access,
	d *caseData, comms []*storage.Communication) error {
	lang := ui.LangOf(r)
	list, err := s.db.CaseAttachments(r.Context(), cs.ProposalID, cs.ID)
	if err != nil {
		return err
	}
	may := mayAttach(p, cs, access)
	for _, a := range list {
		row := attachmentRow{Attachment: a, Of: attachmentOwnerText(lang, a.Owner, a.DraftVersion, a.ReplyRound, a.CommunicationOn, ""),
			CanDelete: !a.Deleted() && may(a.Owner)}
		d.Attachments = append(d.Attachments, row)
	}
	d.AttachMax = sizeText(s.attachmentMax())
	add := func(o workflow.AttachmentOwner, id int64, label string) {
		if !may(o) {
			return
		}
		v := string(o)
		if id != 0 {
			v += fmt.Sprintf(":%d", id)
		}
		d.AttachTo = append(d.AttachTo, attachOption{Value: v, Label: label, MayPublish: o.MayPublish()})
	}
	add(workflow.AttachToCase, 0, ui.Message(lang, "attach.owner.case"))
	add(workflow.AttachToProposal, 0, ui.Message(lang, "attach.owner.proposal"))
	for _, c := range comms {
		add(workflow.AttachToCommunication, c.ID, attachmentOwnerText(lang, workflow.AttachToCommunication, 0, 0, c.HappenedOn, ui.Label(lang, c.Method)))
	}
	if d.Draft != nil {
		add(workflow.AttachToDraft, d.Draft.ID, attachmentOwnerText(lang, workflow.AttachToDraft, d.Draft.Version, 0, workflow.Date{}, ""))
	}
	for _, rep := range d.Replies {
		add(workflow.AttachToReply, rep.ID, attachmentOwnerText(lang, workflow.AttachToReply, 0, rep.Round, workflow.Date{}, ""))
	}
	return nil
}

// mayAttach reports whether the caller, with access to the case, may add
// a file of an owner to it now, and so delete one (workflow.MayAttach).
func mayAttach(p *auth.Principal, cs *storage.CaseSummary, access workflow.Access) func(workflow.AttachmentOwner) bool {
	roles := p.Actor.RolesOn(cs.DepartmentID)
	return func(o workflow.AttachmentOwner) bool {
		if access != workflow.AccessAct {
			return false
		}
		_, err := workflow.MayAttach(o, cs.State, roles)
		return err == nil
	}
}

// attachmentOwnerText says what a file belongs to, in lang.
func attachmentOwnerText(lang string, o workflow.AttachmentOwner, draftVersion, replyRound int, on workflow.Date, method string) string {
	switch o {
	case workflow.AttachToCommunication:
		if method == "" {
			return ui.Label(lang, o) + " " + on.String()
		}
		return ui.Message(lang, "attach.owner.communication", on.String(), method)
	case workflow.AttachToDraft:
		return ui.Message(lang, "attach.owner.draft", draftVersion)
	case workflow.AttachToReply:
		return ui.Message(lang, "attach.owner.reply", replyRound)
	case workflow.AttachToProposal:
		return ui.Message(lang, "attach.owner.proposal")
	}
	return ui.Message(lang, "attach.owner.case")
}

// SizeText is the file's size in words.
func (r attachmentRow) SizeText() string { return sizeText(r.Size) }
