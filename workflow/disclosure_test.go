package workflow

import (
	"slices"
	"strings"
	"testing"
)

var replyText = []Section{
	{Heading: "一、工作开展情况", Body: "一是出台政策。\n二是涉及企业名单：甲公司、乙公司。\n三是开展培训。"},
	{Heading: "二、下一步工作打算", Body: "继续推进。"},
}

func TestPublicText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		r        SignedText
		ok       bool
		want     []Section
		summary  bool
		omitted  int
		noteHas  string
		mustLack string
	}{
		{name: "published in full: the text as signed",
			r: SignedText{Sections: replyText, Disclosure: DisclosePublic}, ok: true, want: replyText},
		{name: "a passage withheld: a note in its place",
			r:  SignedText{Sections: replyText, Disclosure: DisclosePublic, Withheld: []Passage{{0, 1}}},
			ok: true, omitted: 1, noteHas: "删节", mustLack: "甲公司",
			want: []Section{{Heading: "一、工作开展情况", Body: "一是出台政策。\n" + WithheldNote + "\n三是开展培训。"}, replyText[1]}},
		{name: "adjacent passages withheld: one note",
			r:  SignedText{Sections: replyText, Disclosure: DisclosePublic, Withheld: []Passage{{0, 1}, {0, 2}}},
			ok: true, omitted: 2, noteHas: "删节", mustLack: "培训",
			want: []Section{{Heading: "一、工作开展情况", Body: "一是出台政策。\n" + WithheldNote}, replyText[1]}},
		{name: "摘要公开: the summary alone, said so",
			r:  SignedText{Sections: replyText, Disclosure: DiscloseSummary, Summary: " 已出台政策并开展培训。 "},
			ok: true, summary: true, noteHas: "本答复摘要公开", mustLack: "甲公司",
			want: []Section{{Body: "已出台政策并开展培训。"}}},
		{name: "依申请公开: nothing public", r: SignedText{Sections: replyText, Disclosure: DiscloseOnRequest}},
		{name: "不予公开: nothing public", r: SignedText{Sections: replyText, Disclosure: DiscloseNone}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pt, ok := tt.r.Public()
			if ok != tt.ok {
				t.Fatalf("public: %v, want %v", ok, tt.ok)
			}
			if !slices.Equal(pt.Sections, tt.want) || pt.Summary != tt.summary || pt.Omitted != tt.omitted {
				t.Errorf("got %+v", pt)
			}
			if !strings.Contains(pt.PublicNoteZH(), tt.noteHas) || (tt.noteHas != "") != (pt.PublicNoteEN() != "") {
				t.Errorf("note %q / %q, want it to hold %q", pt.PublicNoteZH(), pt.PublicNoteEN(), tt.noteHas)
			}
			for _, s := range pt.Sections {
				if tt.mustLack != "" && strings.Contains(s.Heading+s.Body, tt.mustLack) {
					t.Errorf("the public text holds %q: %+v", tt.mustLack, pt.Sections)
				}
			}
		})
	}
}

func TestCheckPassages(t *testing.T) {
	t.Parallel()
	got, err := CheckPassages(replyText, []Passage{{1, 0}, {0, 1}, {0, 1}})
	if err != nil || !slices.Equal(got, []Passage{{0, 1}, {1, 0}}) {
		t.Errorf("sorted, without repeats: %v %v", got, err)
	}
	if _, err := CheckPassages(replyText, []Passage{{0, 3}}); Code(err) != ErrInvalid {
		t.Errorf("a paragraph that is not there: %v", err)
	}
	if _, err := CheckPassages(replyText, []Passage{{0, 0}, {0, 1}, {0, 2}, {1, 0}}); Code(err) != ErrInvalid || !strings.Contains(Message(err), "不予公开") {
		t.Errorf("every paragraph withheld: %v", err)
	}
	for in, ok := range map[string]bool{"0.1": true, "12.3": true, "1": false, "a.b": false, "-1.0": false, "1.2.3": false, "01.2": false} {
		if _, got := ParsePassage(in); got != ok {
			t.Errorf("ParsePassage(%q): %v, want %v", in, got, ok)
		}
	}
}
