package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/banli-gov/banli/workflow"
)

// Full-text search for Chinese (检索). PostgreSQL's parsers do not split
// Chinese into words, and pg_trgm needs three characters, so banli indexes
// character bigrams, computed here in Go at write time and stored as
// tsvector columns (lexemes only, no positions) with GIN indexes:
//
//   - a run of Han characters c1…cn gives the bigrams c1c2 … c(n-1)cn and
//     its last character cn alone, so that every character starts some
//     lexeme of the run;
//   - a run of other letters and digits gives the run, lower-cased, as one
//     lexeme (at most maxWordBytes bytes);
//   - anything else (punctuation, spaces) separates runs.
//
// A query word of two or more Han characters becomes the AND of its
// bigrams; a single character becomes a prefix query (字:*), matching every
// lexeme that starts with it; a Latin or digit run a prefix of a word.
// Words separated by spaces are ANDed. The AND of bigrams can match a text
// that has every bigram but not in one place (a false positive, rare in
// practice); it never misses a text that contains the word.

// maxWordBytes bounds a non-Han lexeme (tsvector allows 2 KiB).
const maxWordBytes = 64

// searchLexemes returns the lexemes of texts, sorted and without repeats.
func searchLexemes(texts ...string) []string {
	seen := map[string]struct{}{}
	for _, t := range texts {
		for _, run := range searchRuns(t) {
			for _, l := range run.lexemes(true) {
				seen[l] = struct{}{}
			}
		}
	}
	out := make([]string, 0, len(seen))
	for l := range seen {
		out = append(out, l)
	}
	slices.Sort(out)
	return out
}

// SearchVector returns the search vector (a tsvector of lexemes, see
// above) of texts: what the search columns (proposals.search_title,
// proposals.search_body, replies.search_text) hold. Loaders that write
// with COPY fill the columns with it.
func SearchVector(texts ...string) pgtype.TSVector {
	ls := searchLexemes(texts...)
	v := pgtype.TSVector{Valid: true, Lexemes: make([]pgtype.TSVectorLexeme, len(ls))}
	for i, l := range ls {
		v.Lexemes[i].Word = l
	}
	return v
}

// searchRun is a run of Han characters or of other letters and digits.
type searchRun struct {
	han   bool
	runes []rune
}

// lexemes returns the lexemes of the run. Within a document (last is
// true) a Han run ends with its last character alone; a query's last Han
// run needs no such lexeme.
func (r searchRun) lexemes(doc bool) []string {
	if !r.han {
		w := strings.ToLower(string(r.runes))
		for len(w) > maxWordBytes {
			_, n := utf8.DecodeLastRuneInString(w)
			w = w[:len(w)-n]
		}
		return []string{w}
	}
	var out []string
	for i := 0; i+1 < len(r.runes); i++ {
		out = append(out, string(r.runes[i:i+2]))
	}
	if doc || len(r.runes) == 1 {
		out = append(out, string(r.runes[len(r.runes)-1]))
	}
	return out
}

func searchRuns(s string) []searchRun {
	var runs []searchRun
	var cur *searchRun
	for _, c := range s {
		han := unicode.Is(unicode.Han, c)
		if !han && !unicode.IsLetter(c) && !unicode.IsDigit(c) {
			cur = nil
			continue
		}
		if cur == nil || cur.han != han {
			runs = append(runs, searchRun{han: han})
			cur = &runs[len(runs)-1]
		}
		cur.runes = append(cur.runes, c)
	}
	return runs
}

// searchQuery turns the words of q (separated by spaces) into a tsquery in
// PostgreSQL's syntax, every term ANDed; "" when q has no searchable
// character.
func searchQuery(q string) string {
	var terms []string
	seen := map[string]bool{}
	add := func(t string) {
		if !seen[t] {
			seen[t] = true
			terms = append(terms, t)
		}
	}
	for _, word := range strings.Fields(q) {
		for _, run := range searchRuns(word) {
			ls := run.lexemes(false)
			if !run.han || len(run.runes) == 1 {
				// A prefix: a word's start, or a character that starts a
				// bigram (or ends a run).
				add(quoteLexeme(ls[0]) + ":*")
				continue
			}
			for _, l := range ls {
				add(quoteLexeme(l))
			}
		}
	}
	return strings.Join(terms, " & ")
}

// quoteLexeme quotes a lexeme for tsquery input.
func quoteLexeme(l string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(l) + "'"
}

// ProposalSearchVectors returns the search vectors of a proposal: of its
// title, number and the title its published reply gets
// (workflow.ReplyTitle, 关于{session}第{number}号建议的答复) in search_title
// (title hits, and the portal); of all that with its body and its
// deputies' names in search_body (the staff search: words may be spread
// over title and body).
func ProposalSearchVectors(title, number, sessionShort, body string, deputyNames []string) (titleVec, bodyVec pgtype.TSVector) {
	titles := []string{title, number, workflow.ReplyTitle(sessionShort, number)}
	return SearchVector(titles...), SearchVector(append(append(titles, body), deputyNames...)...)
}

// ReplySearchVector returns the search vector of a reply's text: its
// sections' headings and bodies.
func ReplySearchVector(sections []workflow.Section) pgtype.TSVector {
	texts := make([]string, 0, 2*len(sections))
	for _, s := range sections {
		texts = append(texts, s.Heading, s.Body)
	}
	return SearchVector(texts...)
}

// PublicSearchVector returns the search vector of what the public may read
// of a signed reply (workflow.SignedText.Public): the portal's search
// (replies.search_public) never finds a withheld passage, nor the full
// text of a reply of which only the summary is published. Empty when
// nothing of it is public.
func PublicSearchVector(r workflow.SignedText) pgtype.TSVector {
	pt, ok := r.Public()
	if !ok {
		return SearchVector()
	}
	return ReplySearchVector(pt.Sections)
}

// proposalSearchVectors reads the names of p's deputies inside tx and
// returns p's search vectors.
func proposalSearchVectors(ctx context.Context, tx pgx.Tx, p *workflow.Proposal) (pgtype.TSVector, pgtype.TSVector, error) {
	rows, err := tx.Query(ctx, `SELECT name FROM deputies WHERE id = ANY($1)`, p.DeputyIDs)
	if err != nil {
		return pgtype.TSVector{}, pgtype.TSVector{}, fmt.Errorf("error reading the deputies of proposal %s: %w", p.Number, err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return pgtype.TSVector{}, pgtype.TSVector{}, fmt.Errorf("error reading the deputies of proposal %s: %w", p.Number, err)
	}
	var short string
	if err := tx.QueryRow(ctx, `SELECT short_name FROM congress_sessions WHERE id = $1`, p.SessionID).Scan(&short); err != nil {
		return pgtype.TSVector{}, pgtype.TSVector{}, dbError(err, fmt.Sprintf("congress session %d", p.SessionID))
	}
	t, b := ProposalSearchVectors(p.Title, p.Number, short, p.Body, names)
	return t, b, nil
}
