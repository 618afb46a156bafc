package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/banli-gov/banli/internal/imports"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/ui"
	"github.com/banli-gov/banli/workflow"
)

const importUsage = `usage:
  banli import proposals [--session SHORT_NAME] [--dry-run] FILE
  banli import deputies [--session SHORT_NAME] [--dry-run] FILE
FILE is an XLSX workbook (its first sheet) or a CSV file (UTF-8 or GBK).
An assignment list (交办清单) has the columns 建议编号, 标题, 内容, 领衔代表, 联名代表,
代表团, 分类, 主办单位, 协办单位, 分办单位, 交办日期, 是否重点; a roster (代表名册)
姓名, 代表团, 工作单位及职务, 手机, 邮箱. The session is the latest unless named.
The import is all or nothing: every problem is listed, and nothing is written
while there is one.`

// cmdImport imports an assignment list or a deputies' roster.
func cmdImport(ctx context.Context, args []string, io stdio) int {
	if len(args) == 0 || (args[0] != "proposals" && args[0] != "deputies") {
		fmt.Fprintln(io.Stderr, importUsage)
		return exitUsage
	}
	kind := args[0]
	fs := flag.NewFlagSet("import "+kind, flag.ContinueOnError)
	fs.SetOutput(io.Stderr)
	sessionName := fs.String("session", "", "short name of the congress session (default: the latest)")
	dryRun := fs.Bool("dry-run", false, "check and preview; write nothing")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 1 {
		fmt.Fprintln(io.Stderr, importUsage)
		return exitUsage
	}
	path := fs.Arg(0)
	return withDB(ctx, "import", io, func(db *storage.DB) error {
		data, err := readImportFile(path)
		if err != nil {
			return err
		}
		session, err := importSession(ctx, db, *sessionName, kind == "proposals")
		if err != nil {
			return err
		}
		by := cliActor(io)
		if kind == "deputies" {
			return importDeputies(ctx, db, session, filepath.Base(path), data, *dryRun, by, io)
		}
		return importProposals(ctx, db, session, filepath.Base(path), data, *dryRun, by, io)
	})
}

// readImportFile reads the file, refusing one over imports.MaxBytes
// before reading it.
func readImportFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, workflow.Errorf(workflow.ErrInvalid, "cannot read %s: %v", path, err)
	}
	if st.Size() > imports.MaxBytes {
		return nil, workflow.Errorf(workflow.ErrInvalid, "%s", imports.Problem{Code: "tooLarge", Args: []any{imports.MaxBytes >> 20}}.Message(ui.LangZH))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, workflow.Errorf(workflow.ErrInvalid, "cannot read %s: %v", path, err)
	}
	return data, nil
}

// importSession is the session named, or the latest; nil when none exists
// and none is needed.
func importSession(ctx context.Context, db *storage.DB, short string, need bool) (*workflow.CongressSession, error) {
	if short != "" {
		return db.SessionByShortName(ctx, short)
	}
	sessions, err := db.Sessions(ctx)
	if err != nil {
		return nil, err
	}
	if len(sessions) == 0 {
		if need {
			return nil, workflow.Errorf(workflow.ErrInvalid, "no congress session yet: an administrator adds one first")
		}
		return nil, nil
	}
	return sessions[0], nil
}

// printProblems prints every problem of a file, one a line, and returns
// the error that ends the command.
func printProblems(ps []imports.Problem, io stdio) error {
	for _, p := range ps {
		fmt.Fprintln(io.Stderr, p.Message(ui.LangZH))
	}
	return workflow.Errorf(workflow.ErrInvalid, "%s", ui.MessageN(ui.LangZH, "import.problems", len(ps)))
}

func printUnknown(unknown []string, io stdio) {
	if len(unknown) > 0 {
		fmt.Fprintln(io.Stderr, ui.Message(ui.LangZH, "import.unknownColumns", strings.Join(unknown, "、")))
	}
}

func importProposals(ctx context.Context, db *storage.DB, session *workflow.CongressSession, name string, data []byte,
	dryRun bool, by workflow.AdminActor, io stdio) error {
	plan, err := imports.PlanProposals(ctx, db, session, name, data, db.Clock.Now())
	if err != nil {
		return err
	}
	printUnknown(plan.Unknown, io)
	if !plan.OK() {
		return printProblems(plan.Problems, io)
	}
	fmt.Fprintf(io.Stdout, "%s: %s\n", session.ShortName, ui.Message(ui.LangZH, "import.summary", plan.Rows,
		plan.Count(imports.StatusCreate), plan.Cases(), plan.Count(imports.StatusSkip), plan.Count(imports.StatusAssign)))
	w := tabwriter.NewWriter(io.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "行\t编号\t处理\t标题\t领衔代表\t主办/分办\t协办\t交办日期\t重点")
	for _, it := range plan.Items {
		units := it.LeadUnit
		if units == "" {
			units = strings.Join(it.Separate, "、")
		}
		key := ""
		if it.Key {
			key = "是"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", it.Row, it.Number, ui.Message(ui.LangZH, "import.status."+string(it.Status)),
			it.Title, it.Lead, units, strings.Join(it.CoUnits, "、"), it.AssignedOn, key)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if dryRun {
		fmt.Fprintln(io.Stdout, "dry run: nothing written")
		return nil
	}
	liaison := workflow.Actor{Roles: []workflow.Role{workflow.RoleLiaison}}
	rec, err := imports.ImportProposalPlan(ctx, db, plan, by, liaison)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "imported: %d suggestions created, %d cases assigned, %d skipped (import %d)\n",
		rec.Created, rec.Assigned, rec.Skipped, rec.ID)
	return nil
}

func importDeputies(ctx context.Context, db *storage.DB, session *workflow.CongressSession, name string, data []byte,
	dryRun bool, by workflow.AdminActor, io stdio) error {
	plan, err := imports.PlanDeputies(ctx, db, session, name, data, db.Clock.Now())
	if err != nil {
		return err
	}
	printUnknown(plan.Unknown, io)
	if !plan.OK() {
		return printProblems(plan.Problems, io)
	}
	fmt.Fprintln(io.Stdout, ui.Message(ui.LangZH, "import.summaryRoster", plan.Rows,
		plan.Count(imports.StatusCreate), plan.Count(imports.StatusUpdate), plan.Count(imports.StatusSkip)))
	w := tabwriter.NewWriter(io.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "行\t处理\t姓名\t代表团\t工作单位及职务\t手机\t邮箱")
	for _, it := range plan.Items {
		status := ui.Message(ui.LangZH, "import.status."+string(it.Status))
		if it.Status == imports.StatusCreate {
			status = ui.Message(ui.LangZH, "import.status.createDeputy")
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", it.Row, status, it.Name, it.Delegation, it.Affiliation, it.Phone, it.Email)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if dryRun {
		fmt.Fprintln(io.Stdout, "dry run: nothing written")
		return nil
	}
	rec, err := imports.ImportDeputyPlan(ctx, db, plan, by)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "imported: %d deputies created, %d updated, %d unchanged (import %d)\n",
		rec.Created, rec.Updated, rec.Skipped, rec.ID)
	return nil
}
