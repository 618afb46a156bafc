package main

import (
	"context"
	"fmt"

	"github.com/banli-gov/banli/internal/storage"
)

const supervisorLabelUsage = `usage: banli supervisor-label [NAME]
  without NAME: print the name the supervising role goes by (督办人员 by default)
  with NAME:    set it, e.g. 人大代表工作机构 or 政府督查室 (recorded in the administration log)`

// cmdSupervisorLabel prints or sets the name the supervising role goes by
// in this deployment (storage.DB.SupervisorLabel).
func cmdSupervisorLabel(ctx context.Context, args []string, io stdio) int {
	if len(args) > 1 || len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprintln(io.Stderr, supervisorLabelUsage)
		return exitUsage
	}
	return withDB(ctx, "supervisor-label", io, func(db *storage.DB) error {
		if len(args) == 1 {
			if err := db.SetSupervisorLabel(ctx, cliActor(io), args[0]); err != nil {
				return err
			}
		}
		label, err := db.SupervisorLabel(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(io.Stdout, label)
		return nil
	})
}
