# banli: make run (development server), make test (what CI runs).

.PHONY: run test build vet fmt

run:
	go run ./cmd/banli dev

test:
	bash scripts/test.sh

build:
	go build -o bin/banli ./cmd/banli

vet:
	go vet ./...

fmt:
	gofmt -w $$(git ls-files --cached --others --exclude-standard -- '*.go')
