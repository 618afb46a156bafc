package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/banli-gov/banli/workflow"
)

// pick returns a random element of xs.
func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// between returns a random int in [lo, hi].
func between(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }

// phrase fills a vocabulary phrase: %[1]s the topic, %[2]s a district,
// %[3]d and %[4]d numbers. Phrases without verbs are returned as they are.
func phrase(r *rand.Rand, p, topic string) string {
	if !strings.Contains(p, "%") {
		return p
	}
	return fmt.Sprintf(p, topic, pick(r, synthDistricts), between(r, 3, 480), between(r, 2, 90))
}

func synthName(r *rand.Rand) string {
	name := pick(r, synthSurnames) + pick(r, synthGiven)
	if r.IntN(10) < 7 {
		name += pick(r, synthGiven)
	}
	return name
}

func synthAffiliation(r *rand.Rand, delegation string) string {
	place := strings.TrimSuffix(delegation, "代表团")
	if strings.HasPrefix(place, "解放军") {
		return "解放军驻汉某部干部"
	}
	a := pick(r, synthAffiliations)
	switch strings.Count(a, "%s") {
	case 1:
		return fmt.Sprintf(a, place)
	default:
		second := pick(r, synthStreets)
		if strings.Contains(a, "第%s中学") {
			second = pick(r, []string{"一", "二", "三", "四", "六", "十一", "十四"})
		}
		if strings.Count(a, "%s") == 3 {
			return fmt.Sprintf(a, place, second, pick(r, []string{"幸福", "和平", "光明", "建设", "民主", "新村"}))
		}
		return fmt.Sprintf(a, place, second)
	}
}

// synthTitle makes a title 关于…的建议 on one of the unit's topics; it
// returns the title and the topic.
func synthTitle(r *rand.Rand, u *synthUnit) (string, string) {
	topic := pick(r, u.topics)
	scope := pick(r, synthScopes)
	if scope == "%s" {
		scope = pick(r, synthDistricts)
	}
	for _, d := range synthDistricts {
		if strings.HasPrefix(topic, d) {
			scope = ""
		}
	}
	aspect := pick(r, synthAspects)
	if strings.HasSuffix(topic, "问题") || strings.HasSuffix(topic, "工作") || strings.HasSuffix(topic, "管理") && aspect == "管理" {
		aspect = ""
	}
	switch r.IntN(12) {
	case 0:
		return "关于解决" + scope + topic + "中突出问题的建议", topic
	case 1:
		return "关于" + scope + topic + "的几点建议", topic
	}
	return "关于" + pick(r, synthVerbs) + scope + topic + aspect + "的建议", topic
}

var cnNumbers = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// synthBody writes a proposal's text of 1,000 to 3,000 characters: the
// background, the problems and the suggestions, as deputies write them.
func synthBody(r *rand.Rand, topic string) string {
	target := between(r, 1000, 3000)
	n := 0 // characters so far, headings and numbering included
	add := func(list []string, p string) []string {
		n += utf8.RuneCountInString(p)
		return append(list, p)
	}
	background := add(add(nil, phrase(r, pick(r, synthBackground), topic)), phrase(r, pick(r, synthBackground), topic))
	problems := make([][]string, between(r, 3, 5))
	suggestions := make([][]string, between(r, 3, 6))
	n += 16 + 4*len(problems) + 4*len(suggestions)
	for i := range problems {
		problems[i] = add(nil, phrase(r, pick(r, synthProblems), topic))
	}
	for i := range suggestions {
		suggestions[i] = add(nil, phrase(r, pick(r, synthSuggestions), topic))
	}
	for n < target {
		switch r.IntN(3) {
		case 0:
			background = add(background, phrase(r, pick(r, synthBackground), topic))
		case 1:
			i := r.IntN(len(problems))
			problems[i] = add(problems[i], phrase(r, pick(r, synthProblems), topic))
		default:
			i := r.IntN(len(suggestions))
			suggestions[i] = add(suggestions[i], phrase(r, pick(r, synthSuggestions), topic))
		}
	}
	var b strings.Builder
	b.Grow(3 * (n + 16))
	for _, p := range background {
		b.WriteString(p)
	}
	b.WriteString("\n\n一、存在的问题\n")
	for i, ps := range problems {
		b.WriteString("（" + cnNumbers[i] + "）")
		for _, p := range ps {
			b.WriteString(p)
		}
		b.WriteString("\n")
	}
	b.WriteString("\n二、具体建议\n")
	for i, ps := range suggestions {
		b.WriteString(strconv.Itoa(i+1) + ". ")
		for _, p := range ps {
			b.WriteString(p)
		}
		b.WriteString("\n")
	}
	return strings.TrimSpace(b.String())
}

// synthReplySections writes a reply draft (答复稿) on topic: the work done
// and the next steps, 400 to 1,200 characters.
func synthReplySections(r *rand.Rand, topic string) []workflow.Section {
	target := between(r, 400, 1200)
	var work, next []string
	n := 0
	for n < target {
		var p string
		if len(next) < 2 || r.IntN(3) > 0 {
			p = phrase(r, pick(r, synthReplyWork), topic)
			work = append(work, p)
		} else {
			p = phrase(r, pick(r, synthReplyNext), topic)
			next = append(next, p)
		}
		n += utf8.RuneCountInString(p)
	}
	if len(next) == 0 {
		next = append(next, phrase(r, pick(r, synthReplyNext), topic))
	}
	return []workflow.Section{
		{Heading: "一、工作开展情况", Body: strings.Join(work, "\n\n")},
		{Heading: "二、下一步工作打算", Body: strings.Join(next, "\n\n")},
	}
}

// synthCoSections writes a co-handling unit's opinion (协办意见).
func synthCoSections(r *rand.Rand, topic string) []workflow.Section {
	var paras []string
	for range between(r, 2, 4) {
		paras = append(paras, phrase(r, pick(r, synthCoOpinion), topic))
	}
	return []workflow.Section{{Heading: "协办意见", Body: strings.Join(paras, "\n\n")}}
}

// revise returns a new version of sections: one more paragraph in one of
// them, as a drafter's revision after a review comment.
func revise(r *rand.Rand, sections []workflow.Section, topic string) []workflow.Section {
	out := make([]workflow.Section, len(sections))
	copy(out, sections)
	i := r.IntN(len(out))
	out[i].Body += "\n\n" + phrase(r, pick(r, synthReplyWork), topic)
	return out
}
