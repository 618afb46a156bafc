package workflow

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// LetterSettings are a session's rules for the reply letter (答复函), the
// 公文 a unit sends each deputy: what it says before and after the reply's
// sections, whom it is copied to (抄送), whether each 联名代表 gets a letter
// of their own (逐人答复) or the 领衔代表 one with copies, and whether the
// letter names its 签发人.
type LetterSettings struct {
	// Opening is the paragraph after the salutation; {标题} stands for the
	// suggestion's title (关于…的建议) and {编号} for its number.
	Opening string
	// Closing is the paragraph after the sections (专此答复。), one
	// paragraph per line.
	Closing string
	// CopyTo are the offices the letter is copied to (抄送), in order.
	CopyTo []string
	// PerDeputy: one letter to each deputy of the suggestion (逐人答复);
	// otherwise one letter to the lead deputy, copied to the others.
	PerDeputy bool
	// ShowSigner: the letter names its 签发人 beside the 文号.
	ShowSigner bool
}

// Placeholders of LetterSettings.Opening.
const (
	PlaceholderTitle  = "{标题}"
	PlaceholderNumber = "{编号}"
)

// DefaultLetterSettings are the letter rules of a new session: the usual
// opening and closing, copied to the congress's 代表工作机构 and the
// government office, one letter per deputy, no 签发人.
func DefaultLetterSettings() LetterSettings {
	return LetterSettings{
		Opening:   "您提出的《" + PlaceholderTitle + "》（第" + PlaceholderNumber + "号）收悉。现答复如下：",
		Closing:   "专此答复。",
		CopyTo:    []string{"市人大常委会代表工作委员会", "市人民政府办公厅"},
		PerDeputy: true,
	}
}

// Rule names of the letter settings, set as Error.Guard when one refuses.
const (
	// RuleLetterOpening: the opening is given and not too long.
	RuleLetterOpening = "letter_opening"
	// RuleLetterClosing: the closing is not too long.
	RuleLetterClosing = "letter_closing"
	// RuleLetterCopyTo: at most 10 offices, each named in at most 60
	// characters.
	RuleLetterCopyTo = "letter_copy_to"
)

// Validate checks the settings: an opening of at most 500 characters, a
// closing of at most 500, at most 10 offices to copy to, each named.
func (s LetterSettings) Validate() *Error {
	if o := strings.TrimSpace(s.Opening); o == "" || utf8.RuneCountInString(o) > 500 {
		return &Error{Code: ErrInvalid, Guard: RuleLetterOpening, Message: "答复函的开头语须填写，且不超过500字。"}
	}
	if utf8.RuneCountInString(s.Closing) > 500 {
		return &Error{Code: ErrInvalid, Guard: RuleLetterClosing, Message: "答复函的结束语不能超过500字。"}
	}
	if len(s.CopyTo) > 10 {
		return &Error{Code: ErrInvalid, Guard: RuleLetterCopyTo, Message: "抄送单位最多10个。"}
	}
	for _, c := range s.CopyTo {
		if c = strings.TrimSpace(c); c == "" || utf8.RuneCountInString(c) > 60 {
			return &Error{Code: ErrInvalid, Guard: RuleLetterCopyTo, Message: "每个抄送单位须写明名称，且不超过60字。"}
		}
	}
	return nil
}

// OpeningFor is the opening with the suggestion's title and number put in.
func (s LetterSettings) OpeningFor(title, number string) string {
	return strings.NewReplacer(PlaceholderTitle, title, PlaceholderNumber, number).Replace(s.Opening)
}

// ClassMark is the class as the letter marks it: B类.
func (c ReplyClass) ClassMark() string { return string(c) + "类" }

// Note is the 附注 a letter carries for its disclosure: （此件主动公开）.
func (d Disclosure) Note() string {
	switch d {
	case DisclosePublic:
		return "（此件主动公开）"
	case DiscloseSummary:
		return "（此件摘要公开）"
	case DiscloseOnRequest:
		return "（此件依申请公开）"
	case DiscloseNone:
		return "（此件不予公开）"
	}
	return ""
}

// OfficialDate writes a date the way a 公文 dates itself (成文日期, GB/T
// 9704-2012 §7.3.5.2): 2024年9月2日, without leading zeros.
func (d Date) OfficialDate() string {
	return fmt.Sprintf("%d年%d月%d日", d.Year, int(d.Month), d.Day)
}
