package ui

import (
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/banli-gov/banli/workflow"
)

// Shanghai returns the zone of the business calendar, Asia/Shanghai, in
// which pages and feeds show times.
func Shanghai() *time.Location { return workflow.Zone() }

// Layouts of FormatDate and FormatDateTime.
const (
	dateLayout     = "2006-01-02"
	dateTimeLayout = "2006-01-02 15:04"
)

// FormatDate formats v as YYYY-MM-DD in Asia/Shanghai: a time.Time, a
// *time.Time or a workflow.Date; zero and nil values give "".
func FormatDate(v any) string { return formatTime(v, dateLayout) }

// FormatDateTime formats v as YYYY-MM-DD HH:MM in Asia/Shanghai; a
// workflow.Date gives its date alone.
func FormatDateTime(v any) string { return formatTime(v, dateTimeLayout) }

func formatTime(v any, layout string) string {
	switch t := v.(type) {
	case time.Time:
		if t.IsZero() {
			return ""
		}
		return t.In(workflow.Zone()).Format(layout)
	case *time.Time:
		if t == nil {
			return ""
		}
		return formatTime(*t, layout)
	case workflow.Date:
		if t.IsZero() {
			return ""
		}
		return t.String()
	case *workflow.Date:
		if t == nil {
			return ""
		}
		return formatTime(*t, layout)
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// labeler is a value of one of workflow's closed sets: State, Role,
// CaseKind, Action, ReplyClass, Disclosure, Rating, ContactMethod,
// ProposalKind, ExtensionState, DeadlineKind.
type labeler interface {
	LabelZH() string
	LabelEN() string
}

// Label returns the label of a workflow value (a State, Role, CaseKind,
// ProposalKind, Action, ReplyClass, Disclosure, Rating, ContactMethod,
// ExtensionState or DeadlineKind) in lang: LabelEN in English, LabelZH
// otherwise; or the value itself as text when it has none.
func Label(lang string, v any) string {
	if l, ok := v.(labeler); ok {
		s := l.LabelZH()
		if lang == LangEN {
			s = l.LabelEN()
		}
		if s != "" {
			return s
		}
	}
	return fmt.Sprint(v)
}

// funcs returns the template functions, bound to a page language.
//
//	t "key" [args…]        the catalogue's text in the page's language (Message)
//	tn "key" n [args…]     the plural form of key for n, n its first argument (MessageN)
//	static "banli.css"     /static/banli.css?v=<content hash>
//	date v                 YYYY-MM-DD in Asia/Shanghai (time.Time, *time.Time, workflow.Date)
//	datetime v             YYYY-MM-DD HH:MM in Asia/Shanghai
//	label v                the label of any workflow value in the page's language (Label)
//	stateLabel s           label of a workflow.State or its string
//	roleLabel r            label of a workflow.Role or its string
//	kindLabel k            label of a workflow.CaseKind or its string
//	proposalKindLabel k    label of a workflow.ProposalKind or its string
//	ratingLabel r          label of a workflow.Rating or its string
//	classLabel c           label of a workflow.ReplyClass or its string
//	td "key" args…         t, with each argument marked as Chinese data (zh)
//	tm "key" args…         t as HTML, zh-marked arguments kept (MessageHTML)
//	zh v                   v marked as Chinese data: <span lang="zh-CN">v</span> (Zh)
//	dict "k" v …           a map[string]any, to pass several values to a template
//	url "/path" "k" v …    path with the pairs as an encoded query (empty values left out)
//	urlpath "a" v …        "/a/v…" with every segment path-escaped
//	langURL "en" .URL      the language switch's link, coming back to .URL
//	paragraphs s           s split at every line break, for <p> each (Paragraphs)
//	add a b                a + b (page numbers)
func (e *Engine) funcs(lang string) template.FuncMap {
	return template.FuncMap{
		"t":        func(key string, args ...any) string { return Message(lang, key, args...) },
		"static":   e.StaticURL,
		"date":     FormatDate,
		"datetime": FormatDateTime,
		"tn":       func(key string, n int, args ...any) string { return MessageN(lang, key, n, args...) },
		"label":    func(v any) string { return Label(lang, v) },
		"stateLabel": func(v any) string {
			return Label(lang, typed[workflow.State](v))
		},
		"roleLabel": func(v any) string {
			return Label(lang, typed[workflow.Role](v))
		},
		"kindLabel": func(v any) string {
			return Label(lang, typed[workflow.CaseKind](v))
		},
		"proposalKindLabel": func(v any) string {
			return Label(lang, typed[workflow.ProposalKind](v))
		},
		"ratingLabel": func(v any) string {
			return Label(lang, typed[workflow.Rating](v))
		},
		"classLabel": func(v any) string {
			return Label(lang, typed[workflow.ReplyClass](v))
		},
		"zh":         Zh,
		"td":         func(key string, args ...any) template.HTML { return messageData(lang, key, args...) },
		"tm":         func(key string, args ...any) template.HTML { return MessageHTML(lang, key, args...) },
		"dict":       dict,
		"url":        buildURL,
		"urlpath":    URLPath,
		"langURL":    LangURL,
		"paragraphs": Paragraphs,
		"add":        func(a, b int) int { return a + b },
	}
}

// Zh marks v, a text that is data (a name, a title, a comment: Chinese
// whatever the page's language), as Chinese: <span lang="zh-CN">v</span>,
// escaped; "" for an empty v. Pages in English show data as it is, and a
// test reads everything outside such marks as the page's own words.
func Zh(v any) template.HTML {
	s := fmt.Sprint(v)
	if v == nil || s == "" {
		return ""
	}
	return template.HTML(`<span lang="zh-CN">` + template.HTMLEscapeString(s) + `</span>`)
}

// messageData is the catalogue's text of key in lang, escaped, with each
// of args, data, marked as Chinese (Zh).
func messageData(lang, key string, args ...any) template.HTML {
	marked := make([]any, len(args))
	for i, a := range args {
		marked[i] = Zh(a)
	}
	return MessageHTML(lang, key, marked...)
}

// MessageHTML is Message as HTML: the text escaped, each argument too
// but for a template.HTML one (Zh's mark, another MessageHTML), inserted
// as it is. It writes words with data inside (names, units) so that the
// data keep their mark.
func MessageHTML(lang, key string, args ...any) template.HTML {
	escaped := make([]any, len(args))
	for i, a := range args {
		switch a := a.(type) {
		case template.HTML:
			escaped[i] = string(a)
		case int, int64:
			escaped[i] = a // for %d
		default:
			escaped[i] = template.HTMLEscapeString(fmt.Sprint(a))
		}
	}
	return template.HTML(fmt.Sprintf(template.HTMLEscapeString(Message(lang, key)), escaped...))
}

// typed turns a string into the workflow type T, for a label of a value
// that a page's data carries as a string; other values stay as they are.
func typed[T ~string](v any) any {
	if s, ok := v.(string); ok {
		return T(s)
	}
	return v
}

// dict builds a map from key-value pairs: {{template "x" dict "A" 1 "B" .}}.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// buildURL returns path with the key-value pairs as its query, encoded;
// pairs with an empty or zero value are left out.
func buildURL(path string, kv ...any) (string, error) {
	if len(kv)%2 != 0 {
		return "", fmt.Errorf("url: odd number of arguments")
	}
	q := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return "", fmt.Errorf("url: key %v is not a string", kv[i])
		}
		switch v := kv[i+1].(type) {
		case nil:
			continue
		case string:
			if v == "" {
				continue
			}
		case int:
			if v == 0 {
				continue
			}
		case int64:
			if v == 0 {
				continue
			}
		}
		q.Add(k, fmt.Sprint(kv[i+1]))
	}
	if len(q) == 0 {
		return path, nil
	}
	return path + "?" + q.Encode(), nil
}

// URLPath joins segments into an absolute path, each segment escaped:
// URLPath("public", "市十五届人大三次会议", "20240294").
func URLPath(segments ...any) string {
	var b strings.Builder
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(strings.Trim(fmt.Sprint(s), "/")))
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

// LangURL is the language switch's link to lang, coming back to next (the
// page's path and query).
func LangURL(lang, next string) string {
	return "/lang?" + url.Values{"to": {lang}, "next": {next}}.Encode()
}

// Paragraphs splits text into its paragraphs: every line break ("\n",
// "\r\n" or "\r") ends one, as in text pasted from Word or WPS, where a
// paragraph is one line; blank lines are not needed and count for nothing.
// Paragraphs are trimmed and never empty. It is the one rule of every page
// and feed that shows a draft or a reply: the editor, the letter, the
// portal's reply page and its feed, and the draft diff's lines.
func Paragraphs(text string) []string { return workflow.Paragraphs(text) }
