// Command banli is the single binary of banli (办理): the web server, the
// embedded development setup and the operator's tools, as subcommands.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // the business calendar is Asia/Shanghai, on any host
)

// stdio is where a subcommand reads its environment and writes its output;
// tests pass their own.
type stdio struct {
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

// command is one subcommand of banli.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, io stdio) int
}

// exitUsage is the exit status for bad arguments or input.
const exitUsage = 2

func commands() []command {
	return []command{
		{"serve", "serve the web application (DATABASE_URL required)", cmdServe},
		{"dev", "start a private PostgreSQL, migrate, load the demo and serve", cmdDev},
		{"migrate", "apply database migrations (up | status | down-to VERSION)", cmdMigrate},
		{"demo", "load the demo data (once), or --synthetic N scale data", cmdDemo},
		{"deadline", "compute a due date: --rule NAME --from YYYY-MM-DD", cmdDeadline},
		{"calendar", "list holidays and make-up working days: --year YYYY", cmdCalendar},
		{"export", "download statistics as a spreadsheet: stats --session SHORT_NAME [--year Y] -o FILE.xlsx|.csv; the handling report: report --session SHORT_NAME -o FILE.docx", cmdExport},
		{"deadlines", "check or sync every case's deadlines and reminder jobs: check | sync", cmdDeadlines},
		{"audit", "audit tools: verify", cmdAudit},
		{"user", "administer users and roles: list, add, grant, revoke, disable, …", cmdUser},
		{"department", "administer departments: list, add", cmdDepartment},
		{"supervisor-label", "print or set the name of the supervising role (督办人员)", cmdSupervisorLabel},
		{"import", "import an assignment list or a deputies' roster: proposals | deputies [--dry-run] FILE", cmdImport},
		{"letter", "write a suggestion's reply letters: --session S --number N --format pdf|docx -o FILE", cmdLetter},
		{"webhook", "departments' group robots (WeCom, DingTalk): list, set, remove", cmdWebhook},
		{"bench", "seed N synthetic proposals, run the server and measure it (make bench)", cmdBench},
		{"with-postgres", "run a command against a temporary PostgreSQL cluster", cmdWithPostgres},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], stdio{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, io stdio) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(io.Stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], io)
		}
	}
	fmt.Fprintf(io.Stderr, "banli: unknown command %q\n\n", args[0])
	usage(io.Stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: banli <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-17s %s\n", c.name, c.summary)
	}
}
