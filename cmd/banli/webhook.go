package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/banli-gov/banli/internal/notify"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/workflow"
)

const webhookUsage = `usage:
  banli webhook list
  banli webhook set --department CODE --format wecom|dingtalk --url URL [--secret S] [--disabled]
  banli webhook remove --department CODE
A department's group robot (企业微信 or 钉钉群机器人) gets the department's
notifications. The URL carries the robot's key or access_token: list shows it
masked. --secret is a DingTalk robot's signing secret (加签), if it has one.`

// cmdWebhook administers the departments' group robots.
func cmdWebhook(ctx context.Context, args []string, io stdio) int {
	if len(args) == 0 {
		fmt.Fprintln(io.Stderr, webhookUsage)
		return exitUsage
	}
	return withDB(ctx, "webhook", io, func(db *storage.DB) error {
		fs := flag.NewFlagSet("webhook "+args[0], flag.ContinueOnError)
		fs.SetOutput(io.Stderr)
		dept := fs.String("department", "", "department code")
		switch args[0] {
		case "list":
			if len(args) > 1 {
				return usageError(webhookUsage)
			}
			return listWebhooks(ctx, db, io)
		case "set":
			format := fs.String("format", "", "wecom or dingtalk")
			url := fs.String("url", "", "the robot's webhook URL")
			secret := fs.String("secret", "", "DingTalk signing secret")
			disabled := fs.Bool("disabled", false, "record the webhook but send it nothing")
			if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
				return usageError(webhookUsage)
			}
			if *dept == "" || *format == "" || *url == "" {
				return workflow.Errorf(workflow.ErrInvalid, "--department, --format and --url are required")
			}
			d, err := db.DepartmentByCode(ctx, *dept)
			if err != nil {
				return err
			}
			w := &storage.DepartmentWebhook{DepartmentID: d.ID, Format: *format, URL: strings.TrimSpace(*url),
				Secret: *secret, Enabled: !*disabled}
			if err := db.SetDepartmentWebhook(ctx, w); err != nil {
				return err
			}
			state := "enabled"
			if !w.Enabled {
				state = "disabled"
			}
			fmt.Fprintf(io.Stdout, "webhook of department %s set: %s %s (%s%s)\n", d.Code, w.Format, notify.MaskURL(w.URL), state, signedNote(w))
			return nil
		case "remove":
			if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 || *dept == "" {
				return usageError(webhookUsage)
			}
			d, err := db.DepartmentByCode(ctx, *dept)
			if err != nil {
				return err
			}
			if err := db.RemoveDepartmentWebhook(ctx, d.ID); err != nil {
				return err
			}
			fmt.Fprintf(io.Stdout, "webhook of department %s removed\n", d.Code)
			return nil
		}
		return usageError(webhookUsage)
	})
}

func listWebhooks(ctx context.Context, db *storage.DB, io stdio) error {
	hooks, err := db.DepartmentWebhooks(ctx)
	if err != nil {
		return err
	}
	codes, err := departmentCodes(ctx, db)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(io.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "DEPARTMENT\tFORMAT\tURL\tSIGNED\tSTATUS\tUPDATED")
	for _, h := range hooks {
		signed, status := "no", "enabled"
		if h.Secret != "" {
			signed = "yes"
		}
		if !h.Enabled {
			status = "disabled"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", codes[h.DepartmentID], h.Format, notify.MaskURL(h.URL), signed, status,
			workflow.DateOf(h.UpdatedAt))
	}
	return w.Flush()
}

func signedNote(w *storage.DepartmentWebhook) string {
	if w.Secret != "" {
		return ", signed"
	}
	return ""
}
