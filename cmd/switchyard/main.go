// Command switchyard is the Switchyard LLM router: an OpenAI-compatible
// gateway that picks a model per request and fails over between providers.
//
//	switchyard serve --demo                 run with built-in simulated providers
//	switchyard serve --config FILE          run with real providers
//	switchyard sim --addr 127.0.0.1:9090    run the simulated providers alone
//	switchyard load --url URL --rate 2      send simulated users' traffic to a router
//	switchyard config check FILE            validate a configuration
//	switchyard config init                  print a commented example configuration
//	switchyard bench …                      measure the router's added latency
//	switchyard requests list|show …         read the request log
//	switchyard learn fit …                  fit a prompt-level router from outcome data
//	switchyard replay …                     prove a learned router offline on outcome data
//	switchyard replay --log …               value other policies on the request log (IPS)
//	switchyard report …                     the weekly report and its recommendations
//	switchyard drift run|report|pin …       golden prompt sets: drift detection (docs/drift.md)
//	switchyard keys create|list|revoke|rotate   managed API keys
//	switchyard responses reencrypt          stored responses under the current encryption key
package main

import (
	"fmt"
	"io"
	"os"

	_ "switchyard/provider/all"
)

const usage = `Switchyard — a self-hosted LLM router with an OpenAI-compatible API.

Usage:
  switchyard serve --demo [--addr 127.0.0.1:8080]   run with simulated providers (no keys, no network)
  switchyard serve --demo --traffic 2                … with simulated users sending traffic (docs/demo.md)
  switchyard serve --config switchyard.yaml          run with the providers in a config file
  switchyard sim [--addr ADDR] [--config FILE]       run the simulated providers alone
  switchyard load --url URL [--sim URL] --rate 2     send simulated users' traffic to a router (docs/demo.md)
  switchyard config check switchyard.yaml            validate a config file and report every mistake
  switchyard config init                             print a commented example config
  switchyard route explain --demo "prompt"           show where a prompt would go, and why
  switchyard classify "prompt"                       show the category and features the classifier sees
  switchyard classify train --data FILE.jsonl ...    retrain the classifier (see docs/classifier.md)
  switchyard guard scan "prompt"                     score a prompt for injection and jailbreak attempts
  switchyard guard eval [--errors N]                 the injection scanner measured with families held out (docs/security.md)
  switchyard guard train                             retrain the injection scanner's embedded model
  switchyard bench [flags]                           measure the router's added latency (see docs/benchmarks.md)
  switchyard requests list --store switchyard.db     the requests recorded (or --url of a router; see docs/admin-api.md)
  switchyard requests show --store switchyard.db ID  one request: its plan, attempts and signals
  switchyard learn fit --data FILE.csv.gz --out model.bin   fit a prompt-level router from outcome data (see docs/learning.md)
  switchyard replay --data FILE.csv.gz [--holdout 0.3] [--json]  replay outcome data: quality vs cost of the learned router
  switchyard replay --log --store switchyard.db [--since 7d]  how other policies would have done on the request log (IPS)
  switchyard report --store switchyard.db --since 7d  cost, satisfaction and recommendations (see docs/report.md)
  switchyard drift run [--config FILE] [--json]      run golden prompt sets now and compare with the baseline (see docs/drift.md)
  switchyard drift run --demo --sim-drift gpt-4o-mini=verbosity:1.3,refusal:0.15 --runs 3   watch a simulated model drift
  switchyard drift report --config FILE              the history of golden runs
  switchyard keys create --tenant T [--rpm N ...]    make a managed client key; keys list|revoke|rotate (see docs/tenants.md)
  switchyard responses reencrypt [--config FILE]     stored responses and conversations under the current encryption key (docs/security.md)
  switchyard health [--url http://127.0.0.1:8080/readyz]  exit 0 when the router is ready (a container's health check)
  switchyard version

Run 'switchyard COMMAND -h' for a command's flags.
`

var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches a command line and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "serve":
		return serveCmd(args[1:], stdout, stderr)
	case "sim":
		return simCmd(args[1:], stdout, stderr)
	case "load":
		return loadCmd(args[1:], stdout, stderr)
	case "config":
		return configCmd(args[1:], stdout, stderr)
	case "bench":
		return benchCmd(args[1:], stdout, stderr)
	case "classify":
		return classifyCmd(args[1:], stdout, stderr)
	case "route":
		return routeCmd(args[1:], stdout, stderr)
	case "guard":
		return guardCmd(args[1:], stdout, stderr)
	case "requests":
		return requestsCmd(args[1:], stdout, stderr)
	case "learn":
		return learnCmd(args[1:], stdout, stderr)
	case "replay":
		return replayCmd(args[1:], stdout, stderr)
	case "report":
		return reportCmd(args[1:], stdout, stderr)
	case "drift":
		return driftCmd(args[1:], stdout, stderr)
	case "keys":
		return keysCmd(args[1:], stdout, stderr)
	case "responses":
		return responsesCmd(args[1:], stdout, stderr)
	case "health":
		return healthCmd(args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "switchyard", version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "switchyard: unknown command %q\n\n%s", args[0], usage)
	return 2
}
