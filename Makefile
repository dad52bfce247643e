# Switchyard — the two commands that matter:
#   go run ./cmd/switchyard serve --demo     run the router with simulated providers
#   make test                                run every test (race detector on)

GO ?= go

.PHONY: test build node-deps bench fuzz lint

test: node-deps
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

build:
	$(GO) build -o bin/switchyard ./cmd/switchyard

# The npm openai package used by e2e/node, pinned by package-lock.json.
node-deps:
	cd e2e/node && npm ci --no-audit --no-fund --loglevel=error

bench: build
	./bin/switchyard bench --rate 1000 --duration 20s

# Short fuzzing runs of every decoder of outside bytes (seeds run in `make test`).
fuzz:
	./scripts/fuzz.sh 20s

lint:
	gofmt -l . | tee /dev/stderr | (! read)
	$(GO) vet ./...
