package web

import (
	"slices"
	"strings"
	"testing"
)

// TestDiffLines: the edit script keeps a longest common subsequence, and
// replaying it gives back both sides.
func TestDiffLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string // lines separated by |
		want string // the script: =x kept, -x removed, +x added
	}{
		{"", "", ""},
		{"a", "a", "=a"},
		{"", "a|b", "+a +b"},
		{"a|b", "", "-a -b"},
		{"a|b|c", "a|x|c", "=a -b +x =c"},
		{"a|b|c|d", "b|c|e", "-a =b =c -d +e"},
		{"x|a|b", "a|b|y", "-x =a =b +y"},
		{"a|b|a|c", "a|c", "=a -b -a =c"},
	}
	split := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, "|")
	}
	for _, tc := range tests {
		a, b := split(tc.a), split(tc.b)
		edits := diffLines(a, b)
		var got []string
		var left, right []string
		for _, e := range edits {
			mark := map[string]string{diffSame: "=", diffRemoved: "-", diffAdded: "+"}[e.Op]
			got = append(got, mark+e.Text)
			if e.Op != diffAdded {
				left = append(left, e.Text)
			}
			if e.Op != diffRemoved {
				right = append(right, e.Text)
			}
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("diffLines(%q, %q) = %q, want %q", tc.a, tc.b, strings.Join(got, " "), tc.want)
		}
		if !slices.Equal(left, a) || !slices.Equal(right, b) {
			t.Errorf("diffLines(%q, %q) does not replay: %q, %q", tc.a, tc.b, left, right)
		}
	}
}

// TestSideBySide: a changed line sits beside its replacement; extra
// removals or additions face an empty cell.
func TestSideBySide(t *testing.T) {
	t.Parallel()
	rows := sideBySide(diffLines([]string{"a", "b", "c", "d"}, []string{"a", "B", "c", "e", "f"}))
	var got []string
	for _, r := range rows {
		got = append(got, r.Left.Op+":"+r.Left.Text+"|"+r.Right.Op+":"+r.Right.Text)
	}
	want := []string{"same:a|same:a", "del:b|ins:B", "same:c|same:c", "del:d|ins:e", "empty:|ins:f"}
	if !slices.Equal(got, want) {
		t.Errorf("sideBySide = %q, want %q", got, want)
	}
	if got := diffableLines("  一\r\n\r\n二  \n\n\n三"); !slices.Equal(got, []string{"一", "二", "三"}) {
		t.Errorf("diffableLines = %q", got)
	}
}

// TestDiffWords: a paragraph changed in one date is one paragraph changed,
// only the date's changed numbers marked on either side; English words are
// compared whole; paragraphs with little in common are not paired.
func TestDiffWords(t *testing.T) {
	t.Parallel()
	marked := func(parts []diffPart, open, close string) string {
		var b strings.Builder
		for _, p := range parts {
			if p.Changed {
				b.WriteString(open + p.Text + close)
			} else {
				b.WriteString(p.Text)
			}
		}
		return b.String()
	}
	tests := []struct {
		a, b        string
		left, right string // "" when not paired
	}{
		{"我局已于2024年9月30日完成整改，并向代表当面反馈。", "我局已于2024年10月8日完成整改，并向代表当面反馈。",
			"我局已于2024年[9月30]日完成整改，并向代表当面反馈。", "我局已于2024年{10月8}日完成整改，并向代表当面反馈。"},
		{"第二段：原来的措施。", "第二段：改进后的措施。", "第二段：[原来]的措施。", "第二段：{改进后}的措施。"},
		{"The reply was sent on Monday to the deputy.", "The reply was sent on Tuesday to the deputy.",
			"The reply was sent on [Monday] to the deputy.", "The reply was sent on {Tuesday} to the deputy."},
		{"完全不同的一段话。", "另起炉灶写新内容", "", ""},
	}
	for _, tc := range tests {
		l, r, ok := diffWords(tc.a, tc.b)
		if !ok {
			if tc.left != "" {
				t.Errorf("diffWords(%q, %q) not paired", tc.a, tc.b)
			}
			continue
		}
		if tc.left == "" {
			t.Errorf("diffWords(%q, %q) paired: %v %v", tc.a, tc.b, l, r)
			continue
		}
		if got := marked(l, "[", "]"); got != tc.left {
			t.Errorf("left of %q = %q, want %q", tc.a, got, tc.left)
		}
		if got := marked(r, "{", "}"); got != tc.right {
			t.Errorf("right of %q = %q, want %q", tc.b, got, tc.right)
		}
	}
}
