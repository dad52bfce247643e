#!/usr/bin/env bash
# The body of `make test`: the gates CI holds every change to.
#
# gofmt and a tidy go.mod are checked first (seconds). Then `go vet -race`
# compiles every package with the race detector and vets it; the tests,
# which need those very compilations, reuse them from the build cache, and
# so does staticcheck (vet and staticcheck without -race compiled every
# package a second time, without the race detector: after the race build
# of ./server's tests, vet of ./server took 61 CPU-s with -race and 304
# without, staticcheck 60 and 280; docs/benchmarks.md). Then every test
# runs with the race detector (in package order: listing ./e2e, the
# longest, first had it hold one of go test's -p workers for its whole run
# while the other packages went through the other one, and the clean-clone
# run took longer); staticcheck runs beside the tests at
# the lowest CPU priority (nice 19), on the same race-detector build
# (GOFLAGS=-race), in the CPU the tests leave idle while they wait on
# simulated upstreams, timeouts and browsers. A failure of any gate fails
# the run; vet's and staticcheck's output is printed after the tests'.
set -uo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
STATICCHECK_VERSION=${STATICCHECK_VERSION:-v0.8.2}

unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
	echo "gofmt needed:"
	echo "$unformatted"
	exit 1
fi
$GO mod tidy -diff || exit 1

lintlog=$(mktemp)
bin=$(mktemp -d)
trap 'rm -rf "$lintlog" "$bin"' EXIT
trap 'kill 0' INT TERM # background jobs ignore SIGINT: stop staticcheck too

echo "== go vet -race (building every package for the tests too)"
$GO vet -race ./... >"$lintlog" 2>&1
vetted=$?

# staticcheck itself is built without the race detector (a race-detector
# build of it runs several times slower); it then loads the module's
# packages with it.
(
	GOBIN=$bin nice -n 19 $GO install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION" &&
		nice -n 19 env GOFLAGS="${GOFLAGS:-} -race" "$bin/staticcheck" ./...
) >>"$lintlog" 2>&1 &
staticchecked=$!

# One more package at a time than there are CPUs (go test's default -p
# is their number): a test binary spends much of its run waiting (on
# simulated upstreams, timeouts, PostgreSQL, a browser), and while e2e's
# run held one of two workers, the other 86 packages' runs (about 740 s,
# 310 CPU-s) went through the other one at a time (docs/benchmarks.md).
$GO test -race -count=1 -timeout 30m -p "${TEST_PACKAGES:-$(($(nproc) + 1))}" ./...
tests=$?

wait "$staticchecked"
linted=$?
echo "== go vet and staticcheck"
cat "$lintlog"
if [ "$vetted" -ne 0 ] || [ "$linted" -ne 0 ]; then
	echo "go vet (exit $vetted) or staticcheck (exit $linted) failed"
fi
[ "$tests" -eq 0 ] && [ "$vetted" -eq 0 ] && [ "$linted" -eq 0 ]
