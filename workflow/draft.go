package workflow

import (
	"strings"
	"unicode/utf8"
)

// The limits of a draft (答复稿), the same for the draft editor's form and the
// JSON API: both save through CleanSections. The editor's heading field has
// maxlength MaxSectionHeading; its "add a section" button stops at
// MaxDraftSections. A request body is bounded too (1 MB, internal/web), which
// usually binds before these do.
const (
	// MaxDraftSections is the most sections a draft has.
	MaxDraftSections = 50
	// MaxSectionHeading is the most characters of a section's heading.
	MaxSectionHeading = 200
	// MaxSectionBody is the most characters of a section's body.
	MaxSectionBody = 50000
)

// CleanSections returns the sections of a draft as they are stored: heading
// and body trimmed, line ends made "\n", empty sections (no heading, no body)
// left out. It refuses (ErrInvalid, naming the section by its number from 1,
// as the editor shows it) more than MaxDraftSections sections, a heading or
// body over its limit, a heading without a body, and a draft with nothing in
// it.
func CleanSections(in []Section) ([]Section, error) {
	if len(in) > MaxDraftSections {
		return nil, Errorf(ErrInvalid, "答复稿最多 %d 节，请合并或删除部分小节后重试 / a draft has at most %d sections: merge or remove some",
			MaxDraftSections, MaxDraftSections)
	}
	var out []Section
	for i, s := range in {
		n := i + 1
		s.Heading = strings.TrimSpace(s.Heading)
		s.Body = strings.TrimSpace(strings.ReplaceAll(s.Body, "\r\n", "\n"))
		if s.Heading == "" && s.Body == "" {
			continue
		}
		if c := utf8.RuneCountInString(s.Heading); c > MaxSectionHeading {
			return nil, Errorf(ErrInvalid, "第%d节的标题有 %d 字，超过上限 %d 字，请缩短 / the heading of section %d has %d characters, more than %d: shorten it",
				n, c, MaxSectionHeading, n, c, MaxSectionHeading)
		}
		if c := utf8.RuneCountInString(s.Body); c > MaxSectionBody {
			return nil, Errorf(ErrInvalid, "第%d节的正文有 %d 字，超过上限 %d 字，请分成几节 / the body of section %d has %d characters, more than %d: split it",
				n, c, MaxSectionBody, n, c, MaxSectionBody)
		}
		if s.Body == "" {
			return nil, Errorf(ErrInvalid, "第%d节“%s”的正文不能为空 / the body of section %d (%s) is empty", n, s.Heading, n, s.Heading)
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, Errorf(ErrInvalid, "答复稿不能为空 / a draft needs at least one section")
	}
	return out, nil
}
