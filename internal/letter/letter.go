// Package letter decides what a reply letter (答复函) and a co-opinion
// letter (协办意见函) say — once, as a Letter — and renders a Letter as
// DOCX (to finish in WPS or Word) and as PDF (fonts embedded, text
// extractable). The case page's print view renders the same Letter.
//
// The layout is GB/T 9704-2012's letter format (信函格式): the 函头 with the
// unit's name over a double rule, the 文号 (and 签发人 where the session asks
// for it), the class mark, the title, the salutation, the opening, the
// sections, the closing, the unit and the 成文日期 (the sign-off date), the
// 附注 for disclosure, the contact person, and the 抄送 line.
package letter

import (
	"context"
	"fmt"
	"strings"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

// Kind is what a letter is.
type Kind string

const (
	// KindReply is the reply to a deputy (答复函).
	KindReply Kind = "reply"
	// KindCoOpinion is a co-handling unit's opinion to the lead unit
	// (协办意见函).
	KindCoOpinion Kind = "co_opinion"
)

// Section is a part of the letter's body: a heading (一、工作开展情况) and
// its paragraphs.
type Section struct {
	Heading    string
	Paragraphs []string
}

// Letter is what one letter says, in the order it says it. Empty fields
// are left out.
type Letter struct {
	Kind Kind
	// Unit is the issuing unit: its name heads the letter (函头) and signs it.
	Unit string
	// DocumentNumber is the 文号 (武市监建〔2024〕294号).
	DocumentNumber string
	// Signer is the 签发人, named when the session's settings ask for it.
	Signer string
	// ClassMark is the reply's class as marked (B类).
	ClassMark string
	// Title is 关于市十五届人大三次会议第20240294号建议的答复.
	Title string
	// Addressee is whom the letter is to (陈明远 for a deputy, the lead
	// unit for a co-opinion); Salutation is how it opens (陈明远代表：).
	Addressee  string
	Salutation string
	Opening    string
	Sections   []Section
	Closing    []string
	// Date is the 成文日期, the sign-off date written officially
	// (2024年9月2日).
	Date string
	// Note is the 附注 (（此件主动公开）); Contact the contact person and
	// phone (（联系人：王晓燕，联系电话：027-85880294）).
	Note    string
	Contact string
	// CopyTo are those the letter is copied to (抄送).
	CopyTo []string
	// FileName is a name for the letter's file, without extension:
	// 20240294-陈明远 or 20240294-协办意见-武汉市科技创新局.
	FileName string
}

// CopyLine is the 抄送 line: 抄送：市人大常委会代表工作委员会，市人民政府办公厅。
func (l *Letter) CopyLine() string {
	if len(l.CopyTo) == 0 {
		return ""
	}
	return "抄送：" + strings.Join(l.CopyTo, "，") + "。"
}

// SignerLine is 签发人：张伟, or "".
func (l *Letter) SignerLine() string {
	if l.Signer == "" {
		return ""
	}
	return "签发人：" + l.Signer
}

func sections(ss []workflow.Section) []Section {
	out := make([]Section, 0, len(ss))
	for _, s := range ss {
		out = append(out, Section{Heading: strings.TrimSpace(s.Heading), Paragraphs: ui.Paragraphs(s.Body)})
	}
	return out
}

func lines(s string) []string { return ui.Paragraphs(s) }

// ReplyFacts is what a reply letter is made of.
type ReplyFacts struct {
	SessionShort string
	Number       string
	// ProposalTitle is the suggestion's title (关于…的建议).
	ProposalTitle string
	Unit          string
	// Deputies are the deputies' names, the lead deputy first.
	Deputies []string
	Reply    *storage.CaseReply
	Settings workflow.LetterSettings
}

// Replies decides the letters of a signed reply: one to each deputy
// (逐人答复), or, when the session says so, one to the lead deputy copied to
// the others.
func Replies(f ReplyFacts) []*Letter {
	rp := f.Reply
	base := Letter{
		Kind: KindReply, Unit: f.Unit, DocumentNumber: rp.DocumentNumber, ClassMark: rp.Class.ClassMark(),
		Title:    workflow.ReplyTitle(f.SessionShort, f.Number),
		Opening:  f.Settings.OpeningFor(f.ProposalTitle, f.Number),
		Sections: sections(rp.Sections), Closing: lines(f.Settings.Closing),
		Date: workflow.DateOf(rp.SignedAt).OfficialDate(), Note: rp.Disclosure.Note(),
		CopyTo: append([]string(nil), f.Settings.CopyTo...),
	}
	if f.Settings.ShowSigner {
		base.Signer = rp.SignedByName
	}
	if rp.ContactPerson != "" || rp.ContactPhone != "" {
		var parts []string
		if rp.ContactPerson != "" {
			parts = append(parts, "联系人："+rp.ContactPerson)
		}
		if rp.ContactPhone != "" {
			parts = append(parts, "联系电话："+rp.ContactPhone)
		}
		base.Contact = "（" + strings.Join(parts, "，") + "）"
	}
	to := f.Deputies
	if !f.Settings.PerDeputy && len(to) > 1 {
		for _, d := range to[1:] {
			base.CopyTo = append(base.CopyTo, d+"代表")
		}
		to = to[:1]
	}
	var out []*Letter
	for _, d := range to {
		l := base
		l.CopyTo = append([]string(nil), base.CopyTo...)
		l.Addressee, l.Salutation = d, d+"代表："
		l.FileName = f.Number + "-" + d
		out = append(out, &l)
	}
	return out
}

// CoOpinionFacts is what a co-opinion letter is made of.
type CoOpinionFacts struct {
	SessionShort  string
	Number        string
	ProposalTitle string
	// Unit is the co-handling unit; LeadUnit the lead unit it writes to.
	Unit     string
	LeadUnit string
	Deputies []string
	Opinion  *storage.CoOpinion
}

// CoOpinionLetter decides the letter that carries a co-handling unit's
// signed opinion to the lead unit (协办意见函).
func CoOpinionLetter(f CoOpinionFacts) *Letter {
	who := "代表"
	switch {
	case len(f.Deputies) == 1:
		who = f.Deputies[0] + "代表"
	case len(f.Deputies) > 1:
		who = f.Deputies[0] + "等代表"
	}
	return &Letter{
		Kind: KindCoOpinion, Unit: f.Unit,
		Title:     fmt.Sprintf("关于%s第%s号建议的协办意见", f.SessionShort, f.Number),
		Addressee: f.LeadUnit, Salutation: f.LeadUnit + "：",
		Opening:  fmt.Sprintf("%s提出的《%s》（第%s号）收悉。经研究，现将我单位协办意见函告如下：", who, f.ProposalTitle, f.Number),
		Sections: sections(f.Opinion.Sections), Closing: []string{"特此函告。"},
		Date:     workflow.DateOf(f.Opinion.SignedAt).OfficialDate(),
		FileName: f.Number + "-协办意见-" + f.Unit,
	}
}

// ForCase decides the letters of case cs: for a case that replies to the
// deputy, the letters of its reply of round (the latest when 0), not found
// before one is signed; for a co-handling case, its co-opinion letter, not
// found before it is signed. It does not check who asks.
func ForCase(ctx context.Context, db *storage.DB, cs *storage.CaseSummary, round int) ([]*Letter, error) {
	deps, err := db.ProposalDeputies(ctx, cs.ProposalID)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(deps))
	for _, d := range deps {
		names = append(names, d.Name)
	}
	p, err := db.Proposal(ctx, cs.ProposalID)
	if err != nil {
		return nil, err
	}
	if cs.Kind == workflow.KindCo {
		op, err := db.SignedCoOpinion(ctx, cs.ID)
		if workflow.Code(err) == workflow.ErrNotFound {
			return nil, workflow.Errorf(workflow.ErrNotFound, "这件协办件的协办意见尚未签发。")
		}
		if err != nil {
			return nil, err
		}
		lead := ""
		cases, err := db.ProposalCases(ctx, cs.ProposalID)
		if err != nil {
			return nil, err
		}
		for _, c := range cases {
			if c.Kind == workflow.KindLead && c.State != workflow.StateReturned {
				lead = c.DepartmentName
			}
		}
		return []*Letter{CoOpinionLetter(CoOpinionFacts{SessionShort: cs.SessionShort, Number: cs.ProposalNumber,
			ProposalTitle: p.Title, Unit: cs.DepartmentName, LeadUnit: lead, Deputies: names, Opinion: op})}, nil
	}
	replies, err := db.CaseReplies(ctx, cs.ID)
	if err != nil {
		return nil, err
	}
	var reply *storage.CaseReply
	for _, rp := range replies {
		if round == 0 || rp.Round == round {
			reply = rp
		}
	}
	if reply == nil {
		return nil, workflow.Errorf(workflow.ErrNotFound, "这件建议尚无签发的答复。")
	}
	session, err := db.Session(ctx, cs.SessionID)
	if err != nil {
		return nil, err
	}
	return Replies(ReplyFacts{SessionShort: cs.SessionShort, Number: cs.ProposalNumber, ProposalTitle: p.Title,
		Unit: cs.DepartmentName, Deputies: names, Reply: reply, Settings: session.Letter}), nil
}

// ForProposal decides the reply letters of suggestion number of the session
// with that short name: the latest signed reply of each unit that replies
// to the deputies (the lead unit, or each unit of a 分办), for the command
// line. Not found when no reply is signed yet.
func ForProposal(ctx context.Context, db *storage.DB, sessionShort, number string) ([]*Letter, error) {
	p, err := db.ProposalByNumber(ctx, sessionShort, number)
	if err != nil {
		return nil, err
	}
	cases, err := db.ProposalCases(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	var out []*Letter
	units := 0
	for _, c := range cases {
		if !c.Kind.RepliesToDeputy() || c.State == workflow.StateReturned {
			continue
		}
		cs, err := db.CaseSummaryOf(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		ls, err := ForCase(ctx, db, cs, 0)
		if workflow.Code(err) == workflow.ErrNotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		units++
		out = append(out, ls...)
	}
	if len(out) == 0 {
		return nil, workflow.Errorf(workflow.ErrNotFound, "%s第%s号建议尚无签发的答复。", sessionShort, number)
	}
	if units > 1 {
		// Several units reply (分办): the file names say which.
		for _, l := range out {
			l.FileName = number + "-" + l.Unit + "-" + l.Addressee
		}
	}
	return out, nil
}
