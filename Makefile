# banli: make run (development server), make test (what CI runs), make bench
# (the load benchmark at BENCH_N proposals, default 100000; see BENCHMARKS.md).

.PHONY: run test bench build vet fmt

run:
	go run ./cmd/banli dev

test:
	bash scripts/test.sh

bench:
	bash scripts/bench.sh $(BENCH_ARGS)

build:
	go build -o bin/banli ./cmd/banli

vet:
	go vet ./...

fmt:
	gofmt -w $$(git ls-files --cached --others --exclude-standard -- '*.go')
