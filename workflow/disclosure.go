package workflow

import (
	"fmt"
	"slices"
	"strings"
)

// The publication rules (公开): what of a signed reply the public reads.
// The portal's page, its list and feed, the portal's search index and the
// exports all take the public text from PublicText, so what is published
// is decided here once.

// WithheldNote replaces each run of withheld passages in the public text
// (区分处理).
const WithheldNote = "（此处有删节，依法不予公开）"

// Paragraphs splits a section's body into its paragraphs: every line break
// ("\n", "\r\n" or "\r") ends one, as in text pasted from Word or WPS;
// paragraphs are trimmed and never empty. Passages are counted in them, and
// every page that shows a reply renders them (ui.Paragraphs).
func Paragraphs(text string) []string {
	var out []string
	text = strings.ReplaceAll(text, "\r\n", "\n")
	for _, p := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Passage names one paragraph of a reply's text, to withhold from the
// public (区分处理): the index of its section and of the paragraph within
// that section's body (Paragraphs), both from 0.
type Passage struct {
	Section   int `json:"section"`
	Paragraph int `json:"paragraph"`
}

// String is the passage as a form value: "section.paragraph".
func (p Passage) String() string { return fmt.Sprintf("%d.%d", p.Section, p.Paragraph) }

// ParsePassage reads a passage from its form value ("section.paragraph").
func ParsePassage(s string) (Passage, bool) {
	var p Passage
	var rest string
	n, err := fmt.Sscanf(s, "%d.%d%s", &p.Section, &p.Paragraph, &rest)
	if n != 2 || (err != nil && rest != "") || p.Section < 0 || p.Paragraph < 0 || p.String() != s {
		return Passage{}, false
	}
	return p, true
}

// CheckPassages checks the passages an approver withholds against the text
// being signed: each must be a paragraph of it, and not all of them (a reply
// that cannot be published at all is 不予公开, with a reason). It returns
// the passages sorted, without repeats.
func CheckPassages(sections []Section, withheld []Passage) ([]Passage, error) {
	out := slices.Clone(withheld)
	slices.SortFunc(out, func(a, b Passage) int {
		if a.Section != b.Section {
			return a.Section - b.Section
		}
		return a.Paragraph - b.Paragraph
	})
	out = slices.Compact(out)
	total := 0
	for _, s := range sections {
		total += len(Paragraphs(s.Body))
	}
	for _, p := range out {
		if p.Section >= len(sections) || p.Paragraph >= len(Paragraphs(sections[p.Section].Body)) {
			return nil, &Error{Code: ErrInvalid, Rule: "passage",
				Message: "选择不予公开的段落在答复稿中找不到，请刷新页面后重新选择。", Detail: fmt.Sprintf("passage %s is not in the reply", p)}
		}
	}
	if len(out) > 0 && len(out) == total {
		return nil, &Error{Code: ErrInvalid, Rule: "passage_all",
			Message: "答复的每一段都选为不予公开；如全文都不宜公开，请将公开属性选为“不予公开”并填写理由。", Detail: "every passage withheld"}
	}
	return out, nil
}

// SignedText is what disclosure looks at of a signed reply: its text, the
// decision taken at sign-off, the summary written for 摘要公开 and the
// passages withheld (区分处理).
type SignedText struct {
	Sections   []Section
	Disclosure Disclosure
	Summary    string
	Withheld   []Passage
}

// PublicText is the text of a reply as the public reads it.
type PublicText struct {
	// Sections is the published text: the reply with each run of withheld
	// passages replaced by WithheldNote, or, for 摘要公开, the summary alone.
	Sections []Section
	// Summary says the text is the reply's summary (摘要公开): the portal
	// says so.
	Summary bool
	// Omitted counts the passages left out (区分处理).
	Omitted int
}

// Public returns what of the reply the public may read; ok is false when
// nothing is (依申请公开, 不予公开). A reply published in full with nothing
// withheld is its text exactly as signed.
func (r SignedText) Public() (pt PublicText, ok bool) {
	switch r.Disclosure {
	case DiscloseSummary:
		return PublicText{Sections: []Section{{Body: strings.TrimSpace(r.Summary)}}, Summary: true}, true
	case DisclosePublic:
	default:
		return PublicText{}, false
	}
	pt.Sections = make([]Section, len(r.Sections))
	for i, s := range r.Sections {
		marked := r.MarkedParagraphs(i)
		if !slices.ContainsFunc(marked, func(p MarkedParagraph) bool { return p.Withheld }) {
			pt.Sections[i] = s
			continue
		}
		var keep []string
		for j, p := range marked {
			switch {
			case !p.Withheld:
				keep = append(keep, p.Text)
			case j == 0 || !marked[j-1].Withheld:
				keep = append(keep, WithheldNote)
				pt.Omitted++
			default:
				pt.Omitted++
			}
		}
		pt.Sections[i] = Section{Heading: s.Heading, Body: strings.Join(keep, "\n")}
	}
	return pt, true
}

// MarkedParagraph is one paragraph of a signed reply, marked when it is
// withheld from the public: how staff pages show the text.
type MarkedParagraph struct {
	Passage
	Text     string
	Withheld bool
}

// MarkedSection is one section of a signed reply with its paragraphs
// marked.
type MarkedSection struct {
	Heading    string
	Paragraphs []MarkedParagraph
}

// Marked returns the reply's text with each paragraph marked when withheld:
// the whole text, as staff read it.
func (r SignedText) Marked() []MarkedSection {
	out := make([]MarkedSection, len(r.Sections))
	for i, s := range r.Sections {
		out[i] = MarkedSection{Heading: s.Heading, Paragraphs: r.MarkedParagraphs(i)}
	}
	return out
}

// MarkedParagraphs returns the paragraphs of section i, each marked when
// withheld.
func (r SignedText) MarkedParagraphs(i int) []MarkedParagraph {
	if i < 0 || i >= len(r.Sections) {
		return nil
	}
	ps := Paragraphs(r.Sections[i].Body)
	out := make([]MarkedParagraph, len(ps))
	for j, p := range ps {
		at := Passage{Section: i, Paragraph: j}
		out[j] = MarkedParagraph{Passage: at, Text: p, Withheld: slices.Contains(r.Withheld, at)}
	}
	return out
}

// PublicNoteZH is what the portal says of a reply's published text:
// "本答复摘要公开" for a summary, that passages were left out, or nothing
// for a reply published in full.
func (pt PublicText) PublicNoteZH() string {
	switch {
	case pt.Summary:
		return "本答复摘要公开。"
	case pt.Omitted > 0:
		return "本答复依法删节部分内容后公开。"
	}
	return ""
}

// PublicNoteEN is PublicNoteZH in English.
func (pt PublicText) PublicNoteEN() string {
	switch {
	case pt.Summary:
		return "Only a summary of this reply is published."
	case pt.Omitted > 0:
		return "This reply is published with passages left out as the law allows."
	}
	return ""
}
