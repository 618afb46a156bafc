package workflow

import "testing"

// The letter's marks as offices write them: B类, the 附注 of each
// disclosure, the 成文日期 without leading zeros; the opening with the
// suggestion's title and number put in.
func TestLetterMarks(t *testing.T) {
	t.Parallel()
	if got := ClassB.ClassMark(); got != "B类" {
		t.Errorf("class mark %q", got)
	}
	for d, want := range map[Disclosure]string{DisclosePublic: "（此件主动公开）", DiscloseSummary: "（此件摘要公开）",
		DiscloseOnRequest: "（此件依申请公开）", DiscloseNone: "（此件不予公开）"} {
		if got := d.Note(); got != want {
			t.Errorf("%s: note %q, want %q", d, got, want)
		}
	}
	for _, d := range AllDisclosures() {
		if d.Note() == "" {
			t.Errorf("%s has no 附注", d)
		}
	}
	if got := (Date{Year: 2024, Month: 9, Day: 2}).OfficialDate(); got != "2024年9月2日" {
		t.Errorf("official date %q", got)
	}
	got := DefaultLetterSettings().OpeningFor("关于加快推进科技成果转化的建议", "20240294")
	if want := "您提出的《关于加快推进科技成果转化的建议》（第20240294号）收悉。现答复如下："; got != want {
		t.Errorf("opening %q, want %q", got, want)
	}
}

func TestLetterSettingsValidate(t *testing.T) {
	t.Parallel()
	long := ""
	for range 501 {
		long += "字"
	}
	ok := DefaultLetterSettings()
	tests := []struct {
		name  string
		edit  func(*LetterSettings)
		guard string
	}{
		{"the defaults", func(*LetterSettings) {}, ""},
		{"no closing, no copies", func(s *LetterSettings) { s.Closing, s.CopyTo = "", nil }, ""},
		{"no opening", func(s *LetterSettings) { s.Opening = " " }, RuleLetterOpening},
		{"an opening too long", func(s *LetterSettings) { s.Opening = long }, RuleLetterOpening},
		{"a closing too long", func(s *LetterSettings) { s.Closing = long }, RuleLetterClosing},
		{"an unnamed office", func(s *LetterSettings) { s.CopyTo = []string{"市人民政府办公厅", " "} }, RuleLetterCopyTo},
		{"eleven offices", func(s *LetterSettings) { s.CopyTo = make([]string, 11) }, RuleLetterCopyTo},
	}
	for _, tt := range tests {
		s := ok
		s.CopyTo = append([]string(nil), ok.CopyTo...)
		tt.edit(&s)
		err := s.Validate()
		switch {
		case tt.guard == "" && err != nil:
			t.Errorf("%s: refused: %v", tt.name, err)
		case tt.guard != "" && (err == nil || err.Guard != tt.guard):
			t.Errorf("%s: %v, want the rule %s", tt.name, err, tt.guard)
		}
	}
}
