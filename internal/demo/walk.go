package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

// walker moves one demo case through the workflow with the storage API, so
// the demo's cases and audit chains are exactly what real use produces.
type walker struct {
	l    *loader
	c    *workflow.Case
	unit string // department code
	t    time.Time
	gap  time.Duration
}

func (l *loader) assign(ctx context.Context, proposalID int64, unit string, kind workflow.CaseKind, when time.Time) (*walker, error) {
	c, err := l.db.Assign(ctx, storage.AssignCmd{ProposalID: proposalID, DepartmentID: l.depts[unit], Kind: kind,
		Actor: l.users["dcs.liaison"], At: when, Backfill: true})
	if err != nil {
		return nil, fmt.Errorf("assign proposal %d to %s: %w", proposalID, unit, err)
	}
	return &walker{l: l, c: c, unit: unit, t: when, gap: 2 * 24 * time.Hour}, nil
}

// next advances the walker's clock by its gap and returns the new time.
func (w *walker) next() time.Time { return w.after(w.gap) }

// after advances the walker's clock by d, on to a working day, and returns
// the new time. A step that a weekend or holiday would push past now is
// taken an hour after the last one instead, on the same working day: the
// demo's recent work must lie neither in the future nor on a day off.
func (w *walker) after(d time.Duration) time.Time {
	t := w.l.workday(w.t.Add(d))
	if t.After(w.l.now) && !w.t.Add(d).After(w.l.now) {
		t = w.t.Add(min(time.Hour, w.l.now.Sub(w.t)/2))
	}
	w.t = t
	return w.t
}

func (w *walker) act(ctx context.Context, action workflow.Action, who string, when time.Time, in workflow.Input, opt ...func(*storage.TransitionCmd)) error {
	login := who
	if who != "dcs.liaison" && who != "dcs.liaison2" {
		login = w.unit + "." + who
	}
	cmd := storage.TransitionCmd{CaseID: w.c.ID, Action: action, Actor: w.l.users[login], ExpectedVersion: w.c.Version, Input: in, At: when,
		Backfill: true}
	for _, o := range opt {
		o(&cmd)
	}
	c, err := w.l.db.Transition(ctx, cmd)
	if err != nil {
		return fmt.Errorf("case %d (%s): %s by %s: %w", w.c.ID, w.unit, action, login, err)
	}
	w.c = c
	if when.After(w.t) {
		w.t = when
	}
	return nil
}

func (w *walker) draft(ctx context.Context, who string, when time.Time, sections []workflow.Section) error {
	ds, err := w.l.db.Drafts(ctx, w.c.ID)
	if err != nil {
		return err
	}
	base := 0
	if len(ds) > 0 {
		base = ds[len(ds)-1].Version
	}
	_, err = w.l.db.SaveDraft(ctx, storage.SaveDraftCmd{CaseID: w.c.ID, Actor: w.l.users[w.unit+"."+who], BaseVersion: base,
		Sections: sections, At: when})
	if err != nil {
		return fmt.Errorf("case %d (%s): save draft: %w", w.c.ID, w.unit, err)
	}
	return nil
}

// stages is the order a replying case passes through on the way to closure.
var stages = []workflow.State{
	workflow.StateAssigned, workflow.StateDrafting, workflow.StateInReview, workflow.StateAwaitingApproval,
	workflow.StateApproved, workflow.StateReplied, workflow.StateClosed,
}

func stageIndex(s workflow.State) int {
	for i, st := range stages {
		if st == s {
			return i
		}
	}
	return -1
}

// walkTo takes the case forward to target along the main path: accept, draft,
// submit, forward, sign, send; for closed and rehandling it stops at replied
// and the caller records the feedback. A co-handling case ends at
// opinion_submitted when target is past awaiting_approval.
func (w *walker) walkTo(ctx context.Context, target workflow.State, sections []workflow.Section, sign workflow.Input) error {
	goal := stageIndex(target)
	switch target {
	case workflow.StateOpinionSubmitted:
		goal = stageIndex(workflow.StateApproved)
	case workflow.StateRehandling, workflow.StateClosed:
		goal = stageIndex(workflow.StateReplied) // feedback is the caller's
	}
	for stageIndex(w.c.State) < goal && w.c.State != workflow.StateOpinionSubmitted {
		var err error
		switch w.c.State {
		case workflow.StateAssigned:
			err = w.act(ctx, workflow.ActionAccept, "drafter", w.next(), workflow.Input{})
		case workflow.StateDrafting:
			if err = w.draft(ctx, "drafter", w.next(), sections); err == nil {
				err = w.act(ctx, workflow.ActionSubmit, "drafter", w.next(), workflow.Input{})
			}
		case workflow.StateInReview:
			err = w.act(ctx, workflow.ActionForward, "reviewer", w.next(), workflow.Input{})
		case workflow.StateAwaitingApproval:
			err = w.act(ctx, workflow.ActionSign, "approver", w.next(), sign, func(c *storage.TransitionCmd) {
				c.ContactPerson, c.ContactPhone = w.l.nameOf(w.unit+".drafter"), "027-8588"+fmt.Sprintf("%04d", w.c.ID%10000)
			})
		case workflow.StateApproved:
			err = w.act(ctx, workflow.ActionSend, "drafter", w.next(), workflow.Input{})
		default:
			return fmt.Errorf("case %d: no way forward from %s", w.c.ID, w.c.State)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// feedback records the deputy's form through the liaison.
func (w *walker) feedback(ctx context.Context, work, result workflow.Rating, when time.Time) error {
	return w.act(ctx, workflow.ActionRecordFeedback, "dcs.liaison", when, workflow.Input{WorkRating: work, ResultRating: result},
		func(c *storage.TransitionCmd) {
			c.ContactMethod, c.MetBy = workflow.ContactMeeting, w.l.nameOf(w.unit+".approver")
			if result == workflow.RatingDissatisfied {
				c.Remarks = "答复内容较为原则，希望进一步细化具体措施和时间表。"
			}
		})
}

func (l *loader) nameOf(login string) string {
	for _, p := range People() {
		if p.Login == login {
			return p.Name
		}
	}
	return login
}
