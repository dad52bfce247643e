// Package e2e holds Switchyard's end-to-end tests: the official OpenAI and
// Anthropic Go SDKs (and, from node/, the npm openai and @anthropic-ai/sdk
// packages) talking to a real router over HTTP, in front of the simulated
// providers of every wire format.
//
// Each test has a router and simulators of its own, so most call
// t.Parallel: they mostly wait (on fault timeouts, stalls, simulated
// latency: run one at a time under -race, the package kept about two
// thirds of one core busy), and side by side it takes about a quarter
// less (a clean-clone .ci/run on 2 cores: 522 s, against 690-715 s one at
// a time; go test -race -json ./e2e with /usr/bin/time -v shows both; with
// the agent CLI and adaptive tests side by side too, 398-429 s in three
// clean-clone runs of 2026-12-07).
// A test stays serial when it checks that no goroutine of the process is left
// (goleak sees every test's; such a test runs its own cases side by side
// and checks once they all closed: TestFaultSuiteResponsesUpstream;
// runCampaign's cases stay one at a time, their stall timeouts too tight
// for a loaded machine), or when it measures latency or
// memory (TestDemotionAndPromotion, TestResponsesStoredBytesGrowLinearly),
// or its outcome depends on when asynchronous work lands under load
// (the compaction-by-router fault tests' timeouts,
// TestRealtimeOutlivesRequestTimeout: each failed once side by side at
// -parallel 3 while other packages ran). TestAdaptiveRouting, which
// failed so once too, runs side by side again: its driver waits for each
// rating to be learned before the next request, so its learning does not
// depend on timing, and its one input that does, latency demotion (a
// demoted gpt-4o leaves the scorer one candidate), is off there; it names
// any request the scorer did not choose for. Serial tests run first, then
// the parallel ones, -parallel (GOMAXPROCS) at a time. A test whose
// subtests call t.Parallel calls it too: otherwise its subtests run in the
// serial phase, holding it up (the opencode CLI's cost 50 s so).
package e2e
