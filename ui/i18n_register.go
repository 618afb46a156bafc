package ui

import "fmt"

// register adds one part's messages to the catalogue, from the init of the
// file that holds them (i18n_<part>.go), so parts of the UI keep their
// texts beside each other without one shared list. A key defined twice is
// a programming error and stops the program at start-up.
func register(part map[string]map[string]string) {
	for lang, m := range part {
		if messages[lang] == nil {
			panic(fmt.Sprintf("ui: messages for unknown language %q", lang))
		}
		for k, v := range m {
			if _, dup := messages[lang][k]; dup {
				panic(fmt.Sprintf("ui: message %q (%s) defined twice", k, lang))
			}
			messages[lang][k] = v
		}
	}
}
