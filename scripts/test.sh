#!/usr/bin/env bash
# The body of `make test`: the gates CI holds every change to.
#
# gofmt and a tidy go.mod are checked first (seconds). Then every test runs
# with the race detector while `go vet` and staticcheck run beside it at the
# lowest CPU priority (nice 19): they build and analyse every package
# without the race detector, minutes of CPU that the tests leave idle while
# they wait on simulated upstreams, timeouts and browsers. The tests keep
# their cores (a nice-19 process yields to them at once), and the run ends
# when both are done. A failure of any gate fails the run; vet's and
# staticcheck's output is printed after the tests'.
set -uo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
STATICCHECK=${STATICCHECK:-$GO run honnef.co/go/tools/cmd/staticcheck@v0.8.2}

unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
	echo "gofmt needed:"
	echo "$unformatted"
	exit 1
fi
$GO mod tidy -diff || exit 1

lintlog=$(mktemp)
trap 'rm -f "$lintlog"' EXIT
trap 'kill 0' INT TERM # background jobs ignore SIGINT: stop vet and staticcheck too
# shellcheck disable=SC2086 # STATICCHECK is a command line
(nice -n 19 $GO vet ./... && nice -n 19 $STATICCHECK ./...) >"$lintlog" 2>&1 &
lint=$!

$GO test -race -count=1 -timeout 30m ./...
tests=$?

wait "$lint"
linted=$?
echo "== go vet and staticcheck"
cat "$lintlog"
if [ "$linted" -ne 0 ]; then
	echo "go vet or staticcheck failed (exit $linted)"
fi
[ "$tests" -eq 0 ] && [ "$linted" -eq 0 ]
