package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/banli-gov/banli/workflow"
)

// ImportKind is what a file imported holds: an assignment list (交办清单)
// or a deputies' roster (代表名册).
type ImportKind string

const (
	// ImportProposals is an assignment list: suggestions and their units.
	ImportProposals ImportKind = "proposals"
	// ImportDeputies is a deputies' roster.
	ImportDeputies ImportKind = "deputies"
)

// ImportRecord is the record of one import (导入记录): who ran it, from
// which file, and what it did.
type ImportRecord struct {
	ID        int64
	At        time.Time
	Kind      ImportKind
	SessionID int64 // 0 for a roster imported without a session
	By        workflow.AdminActor
	FileName  string
	// Rows is the number of rows read; Created the suggestions (or
	// deputies) created; Assigned the cases created; Updated the deputies
	// updated; Skipped the rows already there.
	Rows, Created, Assigned, Updated, Skipped int
}

// ImportedUnit is a unit a suggestion of an assignment list goes to.
type ImportedUnit struct {
	DepartmentID int64
	Kind         workflow.CaseKind
}

// ImportedProposal is one suggestion of an assignment list: a new one to
// register (Proposal.ID 0) with existing deputies (Proposal.DeputyIDs, the
// lead first), or an existing one (Proposal.ID set) still to be assigned;
// then assigned to Units, in order (the lead before its co-units), at
// AssignedAt.
type ImportedProposal struct {
	Proposal   *workflow.Proposal
	Units      []ImportedUnit
	AssignedAt time.Time
}

// ImportProposalList registers and assigns the suggestions of an
// assignment list in one transaction, with createProposal and assign —
// the writing of RegisterProposal and AssignAll, so the same rules, due
// dates, reminder jobs, audit events and notifications apply — and records
// the import (rec, whose ID is set; At, when zero, too). When anything fails, nothing
// is written; the error names the suggestion's number.
func (db *DB) ImportProposalList(ctx context.Context, rec *ImportRecord, items []ImportedProposal, actor workflow.Actor) error {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	rec.Kind, rec.Created, rec.Assigned = ImportProposals, 0, 0
	for _, it := range items {
		p := it.Proposal
		if p.ID == 0 {
			if err := createProposal(ctx, tx, p); err != nil {
				p.ID = 0
				return fmt.Errorf("suggestion %s: %w", p.Number, err)
			}
			rec.Created++
		}
		for _, u := range it.Units {
			_, err := db.assign(ctx, tx, AssignCmd{ProposalID: p.ID, DepartmentID: u.DepartmentID, Kind: u.Kind,
				Actor: actor, At: it.AssignedAt})
			if err != nil {
				return fmt.Errorf("suggestion %s: %w", p.Number, err)
			}
			rec.Assigned++
		}
	}
	if err := appendImport(ctx, tx, db.Clock, rec); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// ImportDeputyRoster creates the deputies of a roster without an ID and
// updates those with one, in one transaction, and records the import
// (rec's Created and Updated are set from deputies).
func (db *DB) ImportDeputyRoster(ctx context.Context, rec *ImportRecord, deputies []*workflow.Deputy) error {
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("error starting transaction: %w", err)
	}
	defer tx.Rollback(ctx)
	rec.Kind, rec.Created, rec.Updated = ImportDeputies, 0, 0
	for _, d := range deputies {
		if d.ID == 0 {
			if err := createDeputy(ctx, tx, d); err != nil {
				return err
			}
			rec.Created++
			continue
		}
		_, err := tx.Exec(ctx, `UPDATE deputies SET name = $2, delegation = $3, affiliation = $4, phone = $5, email = $6
			WHERE id = $1`, d.ID, d.Name, d.Delegation, d.Affiliation, d.Phone, d.Email)
		if err != nil {
			return dbError(err, fmt.Sprintf("deputy %q", d.Name))
		}
		rec.Updated++
	}
	if err := appendImport(ctx, tx, db.Clock, rec); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// appendImport writes the record of an import in its transaction, at
// rec.At (now on clock when zero).
func appendImport(ctx context.Context, tx pgx.Tx, clock workflow.Clock, rec *ImportRecord) error {
	if rec.At.IsZero() {
		rec.At = clock.Now()
	}
	rec.At = rec.At.Truncate(time.Microsecond)
	var actorID, sessionID *int64
	if rec.By.Kind == workflow.AdminByUser {
		actorID = &rec.By.UserID
	}
	if rec.SessionID != 0 {
		sessionID = &rec.SessionID
	}
	err := tx.QueryRow(ctx, `
		INSERT INTO imports (at, kind, session_id, actor_kind, actor_id, actor_name, file_name, rows_read,
		                     created, assigned, updated, skipped)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		rec.At, string(rec.Kind), sessionID, string(rec.By.Kind), actorID, rec.By.Name, rec.FileName, rec.Rows,
		rec.Created, rec.Assigned, rec.Updated, rec.Skipped).Scan(&rec.ID)
	return dbError(err, "import record")
}

// importRow is a row of imports as scanned.
type importRow struct {
	ID        int64     `db:"id"`
	At        time.Time `db:"at"`
	Kind      string    `db:"kind"`
	SessionID int64     `db:"session_id"`
	ActorKind string    `db:"actor_kind"`
	ActorID   int64     `db:"actor_id"`
	ActorName string    `db:"actor_name"`
	FileName  string    `db:"file_name"`
	Rows      int       `db:"rows_read"`
	Created   int       `db:"created"`
	Assigned  int       `db:"assigned"`
	Updated   int       `db:"updated"`
	Skipped   int       `db:"skipped"`
}

// Imports lists the latest imports, newest first, at most limit.
func (db *DB) Imports(ctx context.Context, limit int) ([]*ImportRecord, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT id, at, kind, coalesce(session_id, 0) AS session_id, actor_kind, coalesce(actor_id, 0) AS actor_id,
		       actor_name, file_name, rows_read, created, assigned, updated, skipped
		FROM imports ORDER BY at DESC, id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("error listing imports: %w", err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowToStructByName[importRow])
	if err != nil {
		return nil, fmt.Errorf("error listing imports: %w", err)
	}
	out := make([]*ImportRecord, 0, len(got))
	for _, r := range got {
		out = append(out, &ImportRecord{ID: r.ID, At: r.At, Kind: ImportKind(r.Kind), SessionID: r.SessionID,
			By:       workflow.AdminActor{Kind: workflow.AdminActorKind(r.ActorKind), UserID: r.ActorID, Name: r.ActorName},
			FileName: r.FileName, Rows: r.Rows, Created: r.Created, Assigned: r.Assigned, Updated: r.Updated, Skipped: r.Skipped})
	}
	return out, nil
}

// ExistingProposal is a suggestion already registered under a number that
// an assignment list holds: what the list is compared with.
type ExistingProposal struct {
	workflow.Proposal
	Units []ImportedUnit
}

// ProposalsByNumber returns the suggestions of the session with any of
// the numbers, by number, with their deputies and units.
func (db *DB) ProposalsByNumber(ctx context.Context, sessionID int64, numbers []string) (map[string]*ExistingProposal, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT p.id, p.number, p.kind, p.title, p.body,
		       coalesce((SELECT array_agg(d.deputy_id ORDER BY d.position) FROM proposal_deputies d WHERE d.proposal_id = p.id), '{}'),
		       coalesce((SELECT array_agg(c.department_id ORDER BY c.id) FROM cases c WHERE c.proposal_id = p.id), '{}'),
		       coalesce((SELECT array_agg(c.kind ORDER BY c.id) FROM cases c WHERE c.proposal_id = p.id), '{}')
		FROM proposals p WHERE p.session_id = $1 AND p.number = ANY($2)`, sessionID, numbers)
	if err != nil {
		return nil, fmt.Errorf("error looking up suggestions by number: %w", err)
	}
	defer rows.Close()
	out := map[string]*ExistingProposal{}
	for rows.Next() {
		e := &ExistingProposal{}
		var kind string
		var depts []int64
		var kinds []string
		if err := rows.Scan(&e.ID, &e.Number, &kind, &e.Title, &e.Body, &e.DeputyIDs, &depts, &kinds); err != nil {
			return nil, fmt.Errorf("error looking up suggestions by number: %w", err)
		}
		e.SessionID, e.Kind = sessionID, workflow.ProposalKind(kind)
		for i, d := range depts {
			e.Units = append(e.Units, ImportedUnit{DepartmentID: d, Kind: workflow.CaseKind(kinds[i])})
		}
		out[e.Number] = e
	}
	return out, rows.Err()
}

// SaveImportUpload keeps a file uploaded on the import page for its import
// after the preview, and returns its id. Uploads older than a day are
// deleted on the way.
func (db *DB) SaveImportUpload(ctx context.Context, userID int64, kind ImportKind, sessionID int64, fileName string, content []byte) (int64, error) {
	now := db.Clock.Now()
	if _, err := db.Pool.Exec(ctx, `DELETE FROM import_uploads WHERE created_at < $1`, now.Add(-24*time.Hour)); err != nil {
		return 0, fmt.Errorf("error deleting old uploads: %w", err)
	}
	var session *int64
	if sessionID != 0 {
		session = &sessionID
	}
	var id int64
	err := db.Pool.QueryRow(ctx, `INSERT INTO import_uploads (user_id, kind, session_id, file_name, content, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, userID, string(kind), session, fileName, content, now).Scan(&id)
	return id, dbError(err, "uploaded file")
}

// ImportUpload is a file kept between the preview and the import.
type ImportUpload struct {
	ID        int64
	Kind      ImportKind
	SessionID int64
	FileName  string
	Content   []byte
}

// ImportUploadOf returns the upload with that id if userID uploaded it;
// else not found.
func (db *DB) ImportUploadOf(ctx context.Context, userID, id int64) (*ImportUpload, error) {
	u := &ImportUpload{ID: id}
	var kind string
	err := db.Pool.QueryRow(ctx, `SELECT kind, coalesce(session_id, 0), file_name, content FROM import_uploads
		WHERE id = $1 AND user_id = $2`, id, userID).Scan(&kind, &u.SessionID, &u.FileName, &u.Content)
	if err != nil {
		return nil, dbError(err, "uploaded file")
	}
	u.Kind = ImportKind(kind)
	return u, nil
}

// DeleteImportUpload deletes an upload once imported.
func (db *DB) DeleteImportUpload(ctx context.Context, id int64) error {
	_, err := db.Pool.Exec(ctx, `DELETE FROM import_uploads WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("error deleting uploaded file: %w", err)
	}
	return nil
}

// SearchDeputies returns a page of the deputies whose name or delegation
// contains q (every deputy for an empty q), by name, and whether more
// follow.
func (db *DB) SearchDeputies(ctx context.Context, q string, limit, offset int) ([]*workflow.Deputy, bool, error) {
	if limit < 1 || limit > 100 || offset < 0 {
		return nil, false, workflow.Errorf(workflow.ErrInvalid, "deputy search: limit %d, offset %d out of range", limit, offset)
	}
	pattern := "%" + likeEscape(q) + "%"
	rows, err := db.Pool.Query(ctx, `SELECT id, name, delegation, affiliation, phone, email FROM deputies
		WHERE name LIKE $1 OR delegation LIKE $1
		ORDER BY (name = $2) DESC, name, delegation, id LIMIT $3 OFFSET $4`, pattern, q, limit+1, offset)
	if err != nil {
		return nil, false, fmt.Errorf("error searching deputies: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*workflow.Deputy, error) {
		var d workflow.Deputy
		err := row.Scan(&d.ID, &d.Name, &d.Delegation, &d.Affiliation, &d.Phone, &d.Email)
		return &d, err
	})
	if err != nil {
		return nil, false, fmt.Errorf("error searching deputies: %w", err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

// likeEscape escapes the wildcards of a LIKE pattern (PostgreSQL's default
// escape character is the backslash).
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
