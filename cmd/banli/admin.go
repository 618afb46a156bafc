package main

import (
	"context"
	"flag"
	"fmt"
	osuser "os/user"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

const userUsage = `usage:
  banli user list
  banli user add --name NAME [--email EMAIL] [--department CODE] [--role R1,R2] [--issuer URL --subject SUB]
  banli user grant USER ROLE        (USER: an id or an e-mail address)
  banli user revoke USER ROLE
  banli user set-department USER CODE
  banli user disable USER           (also ends every session of theirs)
  banli user enable USER
  banli user history USER           (the administration log of the user, newest first)
roles: drafter, reviewer, approver, liaison, admin`

const departmentUsage = `usage:
  banli department list
  banli department add --code CODE --name NAME [--short SHORT] [--liaison-office]`

// cmdUser administers users and their roles.
func cmdUser(ctx context.Context, args []string, io stdio) int {
	if len(args) == 0 {
		fmt.Fprintln(io.Stderr, userUsage)
		return exitUsage
	}
	return withDB(ctx, "user", io, func(db *storage.DB) error {
		by := cliActor(io)
		sub, rest := args[0], args[1:]
		switch sub {
		case "list":
			return listUsers(ctx, db, io)
		case "add":
			return addUser(ctx, db, by, rest, io)
		case "grant", "revoke":
			if len(rest) != 2 {
				return usageError(userUsage)
			}
			u, err := findUser(ctx, db, rest[0])
			if err != nil {
				return err
			}
			r := workflow.Role(rest[1])
			if sub == "grant" {
				err = db.GrantRole(ctx, by, u.ID, r)
			} else {
				err = db.RevokeRole(ctx, by, u.ID, r)
			}
			if err == nil {
				fmt.Fprintf(io.Stdout, "%s %s: user %d (%s)\n", sub, r, u.ID, u.Name)
			}
			return err
		case "set-department":
			if len(rest) != 2 {
				return usageError(userUsage)
			}
			u, err := findUser(ctx, db, rest[0])
			if err != nil {
				return err
			}
			if err := db.SetUserDepartment(ctx, by, u.ID, rest[1]); err != nil {
				return err
			}
			fmt.Fprintf(io.Stdout, "user %d (%s) now in department %s\n", u.ID, u.Name, rest[1])
			return nil
		case "disable", "enable":
			if len(rest) != 1 {
				return usageError(userUsage)
			}
			u, err := findUser(ctx, db, rest[0])
			if err != nil {
				return err
			}
			if sub == "disable" {
				err = db.DisableUser(ctx, by, u.ID)
			} else {
				err = db.EnableUser(ctx, by, u.ID)
			}
			if err == nil {
				fmt.Fprintf(io.Stdout, "user %d (%s) %sd\n", u.ID, u.Name, sub)
			}
			return err
		case "history":
			if len(rest) != 1 {
				return usageError(userUsage)
			}
			u, err := findUser(ctx, db, rest[0])
			if err != nil {
				return err
			}
			return userHistory(ctx, db, u, io)
		}
		return usageError(userUsage)
	})
}

func listUsers(ctx context.Context, db *storage.DB, io stdio) error {
	users, err := db.Users(ctx)
	if err != nil {
		return err
	}
	depts, err := departmentCodes(ctx, db)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(io.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tEMAIL\tDEPARTMENT\tROLES\tSTATUS\tIDENTITY")
	for _, u := range users {
		roles := strings.Join(enumStrings(u.Roles), ",")
		status := "active"
		switch {
		case u.Disabled:
			status = "disabled"
		case len(u.Roles) == 0:
			status, roles = "awaiting role", "-"
		}
		identity := "-"
		if u.Subject != "" {
			identity = u.Issuer + " " + u.Subject
		}
		dept := depts[u.DepartmentID]
		if dept == "" {
			dept = "-"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Name, u.Email, dept, roles, status, identity)
	}
	return w.Flush()
}

func addUser(ctx context.Context, db *storage.DB, by workflow.AdminActor, args []string, io stdio) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(io.Stderr)
	name := fs.String("name", "", "display name")
	email := fs.String("email", "", "e-mail address")
	dept := fs.String("department", "", "department code")
	roles := fs.String("role", "", "roles, comma-separated")
	issuer := fs.String("issuer", "", "OIDC issuer of the user's identity (with --subject)")
	subject := fs.String("subject", "", "OIDC subject (sub claim)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return usageError(userUsage)
	}
	if strings.TrimSpace(*name) == "" {
		return workflow.Errorf(workflow.ErrInvalid, "--name is required")
	}
	if (*issuer == "") != (*subject == "") {
		return workflow.Errorf(workflow.ErrInvalid, "--issuer and --subject go together")
	}
	u := &workflow.User{Name: strings.TrimSpace(*name), Email: strings.TrimSpace(*email), Issuer: *issuer, Subject: *subject}
	if *dept != "" {
		d, err := db.DepartmentByCode(ctx, *dept)
		if err != nil {
			return err
		}
		u.DepartmentID = d.ID
	}
	for _, r := range strings.Split(*roles, ",") {
		if r = strings.TrimSpace(r); r != "" {
			u.Roles = append(u.Roles, workflow.Role(r))
		}
	}
	if err := db.CreateUserAs(ctx, by, u); err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "user %d (%s) created\n", u.ID, u.Name)
	return nil
}

// userHistory prints the administration log of user u, newest first.
func userHistory(ctx context.Context, db *storage.DB, u *workflow.User, io stdio) error {
	w := tabwriter.NewWriter(io.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "TIME\tCHANGE\tBY\tROLE\tDEPARTMENT")
	const page = 500
	for offset := 0; ; offset += page {
		events, total, err := db.AdminEvents(ctx, storage.AdminEventQuery{UserID: u.ID, Limit: page, Offset: offset})
		if err != nil {
			return err
		}
		for _, e := range events {
			by := e.Actor.Name
			if e.Actor.Kind != workflow.AdminByUser {
				by = string(e.Actor.Kind) + " (" + e.Actor.Name + ")"
			}
			dept := e.Department
			if e.Change == workflow.ChangeUserDepartment {
				dept = firstNonEmpty(e.PreviousDepartment, "-") + " → " + dept
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", e.At.In(workflow.Zone()).Format("2006-01-02 15:04"), e.Change, by,
				firstNonEmpty(string(e.Role), "-"), firstNonEmpty(dept, "-"))
		}
		if offset+page >= total {
			break
		}
	}
	return w.Flush()
}

// cliActor is the command line as the administration log records it: run
// by the operating-system user, with no banli account.
func cliActor(io stdio) workflow.AdminActor {
	if u, err := osuser.Current(); err == nil && u.Username != "" {
		return workflow.CommandLine(u.Username)
	}
	return workflow.CommandLine(io.Getenv("USER"))
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func findUser(ctx context.Context, db *storage.DB, ref string) (*workflow.User, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		return db.User(ctx, id)
	}
	if strings.Contains(ref, "@") {
		return db.UserByEmail(ctx, ref)
	}
	return nil, workflow.Errorf(workflow.ErrInvalid, "user %q: give an id or an e-mail address", ref)
}

// cmdDepartment administers departments.
func cmdDepartment(ctx context.Context, args []string, io stdio) int {
	if len(args) == 0 {
		fmt.Fprintln(io.Stderr, departmentUsage)
		return exitUsage
	}
	return withDB(ctx, "department", io, func(db *storage.DB) error {
		switch args[0] {
		case "list":
			ds, err := db.Departments(ctx)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(io.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tCODE\tNAME\tSHORT\tKIND")
			for _, d := range ds {
				kind := "unit"
				if d.LiaisonOffice {
					kind = "liaison office"
				}
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", d.ID, d.Code, d.Name, d.ShortName, kind)
			}
			return w.Flush()
		case "add":
			fs := flag.NewFlagSet("department add", flag.ContinueOnError)
			fs.SetOutput(io.Stderr)
			code := fs.String("code", "", "short code, lower case letters, digits, - and _")
			name := fs.String("name", "", "full name, e.g. 武汉市市场监督管理局")
			short := fs.String("short", "", "short name, e.g. 市市场监管局")
			office := fs.Bool("liaison-office", false, "the liaison office (督办), not a handling unit")
			if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
				return usageError(departmentUsage)
			}
			if *code == "" || strings.TrimSpace(*name) == "" {
				return workflow.Errorf(workflow.ErrInvalid, "--code and --name are required")
			}
			d := &workflow.Department{Code: *code, Name: strings.TrimSpace(*name), ShortName: strings.TrimSpace(*short), LiaisonOffice: *office}
			if err := db.CreateDepartmentAs(ctx, cliActor(io), d); err != nil {
				return err
			}
			fmt.Fprintf(io.Stdout, "department %d (%s) created\n", d.ID, d.Code)
			return nil
		}
		return usageError(departmentUsage)
	})
}

func departmentCodes(ctx context.Context, db *storage.DB) (map[int64]string, error) {
	ds, err := db.Departments(ctx)
	if err != nil {
		return nil, err
	}
	m := map[int64]string{}
	for _, d := range ds {
		m[d.ID] = d.Code
	}
	return m, nil
}

// usageError is a bad invocation: its text is the usage.
type usageError string

func (u usageError) Error() string { return string(u) }

// withDB runs fn on the database at DATABASE_URL and turns its error into an
// exit status: 2 for bad input (usage, invalid, not found, conflict), 1 for
// anything else.
func withDB(ctx context.Context, name string, io stdio, fn func(*storage.DB) error) int {
	cfg, ok := needDatabase(name, io)
	if !ok {
		return exitUsage
	}
	db, err := storage.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		fmt.Fprintf(io.Stderr, "banli %s: %v\n", name, err)
		return 1
	}
	defer db.Close()
	err = fn(db)
	switch e := err.(type) {
	case nil:
		return 0
	case usageError:
		fmt.Fprintln(io.Stderr, string(e))
		return exitUsage
	}
	fmt.Fprintf(io.Stderr, "banli %s: %s\n", name, workflow.Message(err))
	if workflow.Code(err) == workflow.ErrInternal {
		fmt.Fprintf(io.Stderr, "banli %s: %v\n", name, err)
		return 1
	}
	return exitUsage
}

func enumStrings[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
