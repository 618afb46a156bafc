#!/usr/bin/env bash
# make bench: build banli and run `banli bench` — a private PostgreSQL
# cluster, BENCH_N synthetic proposals (default 100000), banli serve as a
# child process, one table printed and appended to BENCHMARKS.md. Needs only
# Go and Debian's postgresql package; mailpit is built from go.mod.
# Extra arguments go to banli bench (banli bench -h lists them), e.g.
#   BENCH_N=5000 make bench BENCH_ARGS='--duration 5s --requests 40'
set -euo pipefail
cd "$(dirname "$0")/.."
go build -o bin/banli ./cmd/banli
exec nice bin/banli bench --write BENCHMARKS.md "$@"
