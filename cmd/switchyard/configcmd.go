package main

import (
	"errors"
	"fmt"
	"io"

	"switchyard/config"
	"switchyard/cost"
	"switchyard/gateway"
	"switchyard/server"
)

func configCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, "usage: switchyard config check FILE | switchyard config init\n")
		return 2
	}
	switch args[0] {
	case "init":
		stdout.Write(config.Example())
		return 0
	case "check":
		if len(args) != 2 {
			fmt.Fprint(stderr, "usage: switchyard config check FILE\n")
			return 2
		}
		return configCheck(args[1], stdout, stderr)
	}
	fmt.Fprintf(stderr, "switchyard config: unknown subcommand %q (check, init)\n", args[0])
	return 2
}

// configCheck loads the configuration and the routes' learned models (as
// serve would) and reports every mistake.
func configCheck(path string, stdout, stderr io.Writer) int {
	cfg, err := config.Load(path)
	if err == nil {
		_, err = gateway.LoadLearned(cfg)
	}
	for i := 0; err == nil && i < len(cfg.Drift.Sets); i++ {
		_, err = server.LoadDriftSet(&cfg.Drift.Sets[i])
	}
	if err != nil {
		var errs config.Errors
		if errors.As(err, &errs) {
			for _, e := range errs {
				fmt.Fprintln(stderr, e.Error())
			}
			fmt.Fprintf(stderr, "%s: %d problem(s) found\n", path, len(errs))
		} else {
			fmt.Fprintf(stderr, "%s: %v\n", path, err)
		}
		return 1
	}
	fmt.Fprintf(stdout, "%s: OK — %d provider(s), %d deployment(s), %d route(s)\n",
		path, len(cfg.Providers), len(cfg.Deployments), len(cfg.Routes))
	if cfg.AuthDisabled() {
		fmt.Fprintln(stdout, "warning: auth.keys is empty, so any client can call the router; set keys before exposing it beyond localhost")
	}
	for _, w := range append(cfg.AuthWarnings(), cost.Warnings(cfg)...) {
		fmt.Fprintln(stdout, "warning: "+w)
	}
	return 0
}
