package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"syscall"
	"time"

	simserver "switchyard/sim/server"
)

func simCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("sim")
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:9090", "listen address")
	latency := fs.Float64("latency", 1, "scale of simulated latencies (0 = instant)")
	configPath := fs.String("config", "", "behavior file: seed, knowledge, accuracy and drift per model (docs/simulator.md)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cat := simserver.DemoCatalogs(*latency)
	srv := simserver.New(cat, nil)
	if *configPath != "" {
		c, err := simserver.LoadConfig(*configPath)
		if err == nil {
			err = srv.Apply(c)
		}
		if err != nil {
			fmt.Fprintf(stderr, "switchyard sim: %v\n", err)
			return 1
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "switchyard sim: %v\n", err)
		return 1
	}
	bound := ln.Addr().String()
	fmt.Fprintf(stdout, "Simulated providers on http://%s\n", bound)
	wires := []simserver.Wire{simserver.OpenAI, simserver.Azure, simserver.Anthropic, simserver.Gemini}
	for _, w := range wires {
		var ids []string
		for _, p := range cat[w] {
			ids = append(ids, p.Model)
		}
		sort.Strings(ids)
		fmt.Fprintf(stdout, "  %-9s base_url %-40s models %v\n", w, simserver.BaseURL(bound, w), ids)
	}
	fmt.Fprintf(stdout, "Faults: POST http://%s/_sim/faults {\"kind\":\"rate_limit\",\"model\":\"gpt-4o\",\"count\":3}, or put [[sim:cut]] in a prompt.\n", bound)
	fmt.Fprintf(stdout, "Drift: POST http://%s/_sim/drift {\"model\":\"gpt-4o\",\"verbosity\":1.3,\"refusal_rate\":0.15}; knowledge: %d entries (POST /_sim/knowledge to add).\n", bound, srv.Behavior.Knowledge.Len())
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
	}()
	if err := hs.Serve(ln); err != nil && err != http.ErrServerClosed {
		fmt.Fprintf(stderr, "switchyard sim: %v\n", err)
		return 1
	}
	return 0
}
