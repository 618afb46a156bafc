package ui

import "fmt"

// merge returns the catalogue of parts: for each language, every part's
// keys. A key defined twice, or a language that is not a page language, is
// a programming error and stops the program at start-up.
func merge(parts []map[string]map[string]string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, lang := range Langs() {
		out[lang] = map[string]string{}
	}
	for _, part := range parts {
		for lang, m := range part {
			if out[lang] == nil {
				panic(fmt.Sprintf("ui: messages for unknown language %q", lang))
			}
			for k, v := range m {
				if _, dup := out[lang][k]; dup {
					panic(fmt.Sprintf("ui: message %q (%s) defined twice", k, lang))
				}
				out[lang][k] = v
			}
		}
	}
	return out
}
