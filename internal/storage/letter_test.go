package storage_test

import (
	"slices"
	"testing"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// A new session's letters read as workflow.DefaultLetterSettings says (the
// columns' SQL defaults mirror it); the administrator's change is read
// back by the next reader and recorded in the administration log in the
// same transaction; settings the rules refuse change nothing and log
// nothing.
func TestLetterSettings(t *testing.T) {
	t.Parallel()
	ab := setupAdmin(t)
	db, ctx := ab.db, ab.ctx
	s, err := db.Session(ctx, ab.session.ID)
	must(t, err)
	def := workflow.DefaultLetterSettings()
	if s.Letter.Opening != def.Opening || s.Letter.Closing != def.Closing || !slices.Equal(s.Letter.CopyTo, def.CopyTo) ||
		s.Letter.PerDeputy != def.PerDeputy || s.Letter.ShowSigner != def.ShowSigner {
		t.Errorf("a new session's letters: %+v, want %+v", s.Letter, def)
	}

	by := workflow.AdminUser(ab.admin)
	want := workflow.LetterSettings{Opening: "您提出的《{标题}》收悉。现答复如下：", Closing: "专此答复。\n感谢您的关心和支持。",
		CopyTo: []string{" 市人民政府办公厅 "}, PerDeputy: false, ShowSigner: true}
	must(t, db.UpdateLetterSettings(ctx, by, ab.session.ID, want))
	got, err := db.SessionByShortName(ctx, ab.session.ShortName)
	must(t, err)
	if got.Letter.Opening != want.Opening || got.Letter.Closing != want.Closing || !slices.Equal(got.Letter.CopyTo, []string{"市人民政府办公厅"}) ||
		got.Letter.PerDeputy || !got.Letter.ShowSigner {
		t.Errorf("read back %+v", got.Letter)
	}
	events, before, err := db.AdminEvents(ctx, storage.AdminEventQuery{Limit: 10})
	must(t, err)
	if len(events) == 0 || events[0].Change != workflow.ChangeSessionLetter || events[0].SessionID != ab.session.ID ||
		events[0].Session != ab.session.ShortName || events[0].Actor.UserID != ab.admin.ID {
		t.Fatalf("the administration log's newest record: %+v", events[0])
	}

	bad := want
	bad.Opening = "  "
	if err := db.UpdateLetterSettings(ctx, by, ab.session.ID, bad); workflow.Code(err) != workflow.ErrInvalid {
		t.Errorf("an empty opening: %v", err)
	}
	bad = want
	bad.CopyTo = []string{"市人民政府办公厅", ""}
	if err := db.UpdateLetterSettings(ctx, by, ab.session.ID, bad); workflow.Code(err) != workflow.ErrInvalid {
		t.Errorf("an unnamed office: %v", err)
	}
	if err := db.UpdateLetterSettings(ctx, by, 999999, want); workflow.Code(err) != workflow.ErrNotFound {
		t.Errorf("an unknown session: %v", err)
	}
	after, total, err := db.AdminEvents(ctx, storage.AdminEventQuery{Limit: 10})
	must(t, err)
	if total != before || after[0].ID != events[0].ID {
		t.Errorf("refused changes were logged: %d records, was %d", total, before)
	}
}
