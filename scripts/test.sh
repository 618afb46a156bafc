#!/usr/bin/env bash
# Runs every check CI runs: gofmt, go vet, and all tests with the race
# detector against one temporary PostgreSQL cluster shared by every package.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

start=$SECONDS
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# PostgreSQL's server binaries: the tests start their own cluster from them.
if ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null && ! command -v pg_config >/dev/null; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "== installing PostgreSQL (apt-get install postgresql)"
		# Debian's postinst also starts a cluster on port 5432 where the init
		# system allows it; harmless, the tests use their own on a free port.
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -q
		apt-get install -y -q postgresql
	else
		echo "PostgreSQL server binaries not found: install them (Debian/Ubuntu: sudo apt-get install postgresql)" >&2
		exit 1
	fi
fi

# Chromium for the browser tests (chromedp drives Debian's chromium).
if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null && [ -z "${BANLI_CHROMIUM:-}" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "== installing Chromium (apt-get install chromium)"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -q
		apt-get install -y -q chromium fonts-wqy-microhei
	else
		echo "Chromium not found: install it (Debian/Ubuntu: sudo apt-get install chromium) or set BANLI_CHROMIUM" >&2
		exit 1
	fi
fi

# poppler-utils for the letter tests (pdftotext reads the PDF letters back).
if ! command -v pdftotext >/dev/null; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "== installing poppler-utils (apt-get install poppler-utils)"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -q
		apt-get install -y -q poppler-utils
	else
		echo "pdftotext not found: install it (Debian/Ubuntu: sudo apt-get install poppler-utils)" >&2
		exit 1
	fi
fi

echo "== gofmt"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	mapfile -t gofiles < <(git ls-files --cached --others --exclude-standard -- '*.go')
else
	mapfile -t gofiles < <(find . -name '*.go' -not -path './.banli/*' -not -path './bin/*')
fi
unformatted=""
if [ "${#gofiles[@]}" -gt 0 ]; then
	unformatted=$(gofmt -l "${gofiles[@]}")
fi
if [ -n "$unformatted" ]; then
	echo "gofmt: these files need formatting (run make fmt):" >&2
	echo "$unformatted" >&2
	exit 1
fi

echo "== go vet"
go vet ./...

echo "== staticcheck"
# A tool of the module (go.mod's tool directive): the version is pinned there.
go tool staticcheck ./...

echo "== go test -race"
# A built binary, not go run: signals and exit status reach it directly.
go build -o "$tmp/banli" ./cmd/banli
status=0
"$tmp/banli" with-postgres -- go test -race -count=1 ./... || status=$?

echo "== done in $((SECONDS - start))s"
exit "$status"
