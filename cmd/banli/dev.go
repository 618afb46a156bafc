package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/banli-gov/banli/internal/config"
	"github.com/banli-gov/banli/internal/demo"
	"github.com/banli-gov/banli/internal/mailpit"
	"github.com/banli-gov/banli/internal/pgcluster"
	"github.com/banli-gov/banli/internal/storage"
	"github.com/banli-gov/banli/internal/web"
	"github.com/banli-gov/banli/migrations"
	"github.com/banli-gov/banli/workflow"
)

// cmdDev is the embedded default: with no DATABASE_URL it starts a private
// PostgreSQL cluster kept under the checkout (reused on the next run),
// migrates, loads the demo once and serves.
func cmdDev(ctx context.Context, args []string, io stdio) int {
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	fs.SetOutput(io.Stderr)
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		fmt.Fprintln(io.Stderr, "usage: banli dev   (settings come from the environment; see README)")
		return exitUsage
	}
	cfg, err := config.Load(io.Getenv)
	if err != nil {
		fmt.Fprintf(io.Stderr, "banli dev: %v\n", err)
		return exitUsage
	}
	logger := cfg.Logger(io.Stderr)
	if err := dev(ctx, cfg, io, logger); err != nil && !errors.Is(err, context.Canceled) {
		logger.Error("banli dev stopped", "err", err)
		return 1
	}
	return 0
}

func dev(ctx context.Context, cfg *config.Config, io stdio, log *slog.Logger) error {
	if cfg.DatabaseURL == "" {
		dir := cfg.DevDataDir
		if io.Getenv("BANLI_DEV_DIR") == "" {
			wd, err := os.Getwd()
			if err != nil {
				return fmt.Errorf("error finding the working directory: %w", err)
			}
			if dir, err = pgcluster.DevDir(wd); err != nil {
				return err
			}
		} else if !filepath.IsAbs(dir) {
			abs, err := filepath.Abs(dir)
			if err != nil {
				return fmt.Errorf("BANLI_DEV_DIR: %w", err)
			}
			dir = abs
		}
		log.Info("starting the private PostgreSQL cluster", "dir", dir)
		cluster, err := pgcluster.Start(ctx, pgcluster.Options{Dir: dir, Database: "banli", Logger: log})
		if err != nil {
			return err
		}
		defer func() {
			stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := cluster.Stop(stopCtx); err != nil {
				log.Error("error stopping PostgreSQL", "err", err)
			}
		}()
		cfg.DatabaseURL = cluster.URL()
	}
	sqlDB, err := openSQL(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	_, err = migrations.Up(ctx, sqlDB, nil)
	sqlDB.Close()
	if err != nil {
		return err
	}
	db, err := storage.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	// The process's one clock, for storage and the web alike.
	clock := workflow.SystemClock
	db.Clock = clock
	provider, issuer, err := devProvider(cfg, log)
	if err != nil {
		return err
	}
	loaded, err := demo.Load(ctx, db, demo.Options{Logger: log, Issuer: issuer})
	if err != nil {
		return err
	}
	if loaded {
		log.Info("demo data loaded")
	}
	// notify: mailpit (begin). Without BANLI_SMTP_HOST, banli's e-mail goes
	// to a mailpit started here (internal/mailpit), whose web UI shows every
	// message. It starts in the background on ports chosen now, so the job
	// workers get their SMTP settings at once: its first build takes about a
	// minute, and River retries what is sent before it is up. If it cannot
	// start, banli dev goes on and its e-mail fails.
	if !cfg.SMTP.Enabled() {
		smtpPort, err1 := mailpit.FreePort()
		httpPort, err2 := mailpit.FreePort()
		if err := errors.Join(err1, err2); err != nil {
			log.Warn("no mailpit: banli dev sends no e-mail", "err", err)
		} else {
			mailCtx, cancelMail := context.WithCancel(ctx)
			started := make(chan *mailpit.Server, 1)
			go func() {
				mp, err := mailpit.Start(mailCtx, mailpit.Options{Logger: log, SMTPPort: smtpPort, HTTPPort: httpPort})
				if err != nil && mailCtx.Err() == nil {
					log.Warn("mailpit did not start: banli dev's e-mail will fail", "err", err)
				}
				started <- mp
			}()
			defer func() {
				cancelMail()
				if mp := <-started; mp != nil {
					if err := mp.Stop(); err != nil {
						log.Error("error stopping mailpit", "err", err)
					}
				}
			}()
			cfg.SMTP = config.SMTP{Host: "127.0.0.1", Port: smtpPort, From: "建议办理系统（开发） <banli@localhost>", TLS: config.SMTPTLSNone}
			fmt.Fprintf(io.Stdout, "\n  mail:        http://127.0.0.1:%d (mailpit: every e-mail banli sends)\n", httpPort)
		}
	}
	// notify: mailpit (end)
	fmt.Fprintf(io.Stdout, `
banli is starting at %[1]s
  log in:      %[1]s/login  →  %[2]s: pick any of the %[3]d demo users
               (e.g. scjg.drafter, scjg.reviewer, scjg.approver, dcs.liaison, admin)
  provider:    %[4]s (development only: no passwords, loopback only)
  JSON API:    %[1]s/api/v1 (OpenAPI: %[1]s/api/openapi.json)   health: %[1]s/healthz   readiness: %[1]s/readyz
  metrics:     %[5]s
Stop with Ctrl-C.

`, cfg.BaseURL, "开发用身份提供方 Development provider", len(demo.People()), issuer, devMetricsLine(cfg))
	return serveWith(ctx, cfg, db, clock, log, web.WithDevProvider(provider))
}

// devMetricsLine says where banli dev serves its metrics (startMetrics).
func devMetricsLine(cfg *config.Config) string {
	if cfg.MetricsAddr == "" {
		return cfg.BaseURL + "/metrics (log in as admin)"
	}
	addr := cfg.MetricsAddr
	if host, port, err := net.SplitHostPort(addr); err == nil && (host == "" || host == "0.0.0.0" || host == "::") {
		addr = net.JoinHostPort("localhost", port)
	}
	return "http://" + addr + "/metrics   profiles: http://" + addr + "/debug/pprof/"
}
