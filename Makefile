# Switchyard — the two commands that matter:
#   go run ./cmd/switchyard serve --demo     run the router with simulated providers
#   make test                                run every test (race detector on)

GO ?= go
STATICCHECK_VERSION ?= v0.8.2
STATICCHECK ?= $(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

.PHONY: test build node-deps bench fuzz lint

# The gates CI holds every change to: formatting, a tidy go.mod, vet,
# staticcheck, and every test with the race detector (scripts/test.sh:
# vet first, on the race-detector build the tests reuse; staticcheck beside
# the tests at the lowest CPU priority).
test: node-deps
	GO="$(GO)" STATICCHECK_VERSION="$(STATICCHECK_VERSION)" ./scripts/test.sh

build:
	$(GO) build -o bin/switchyard ./cmd/switchyard

# The npm openai and @anthropic-ai/sdk packages used by e2e/node, and the
# Claude Code, Codex, Qwen Code and opencode CLIs e2e/claude_code_cli_test.go,
# e2e/codex_cli_test.go, e2e/qwen_code_cli_test.go and
# e2e/opencode_cli_test.go run, each pinned by
# its package-lock.json.
node-deps:
	cd e2e/node && npm ci --no-audit --no-fund --loglevel=error
	cd e2e/claudecode && npm ci --no-audit --no-fund --loglevel=error
	cd e2e/codex && npm ci --no-audit --no-fund --loglevel=error
	cd e2e/qwencode && npm ci --no-audit --no-fund --loglevel=error
	cd e2e/opencode && npm ci --no-audit --no-fund --loglevel=error

bench: build
	./bin/switchyard bench --rate 1000 --duration 20s

# Short fuzzing runs of every decoder of outside bytes (seeds run in `make test`).
fuzz:
	./scripts/fuzz.sh 20s

lint:
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) mod tidy -diff
	$(GO) vet ./...
	$(STATICCHECK) ./...
