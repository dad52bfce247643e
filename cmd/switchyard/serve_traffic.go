package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"

	"switchyard/demo"
	"switchyard/demo/traffic"
	"switchyard/server"
	"switchyard/sim/workload"
)

// This file is serve --demo --traffic: simulated users sending the demo's
// workload to the router's own listener, as clients (package
// demo/traffic), so that the dashboard, the report and route "learned"
// have traffic to show from the start.

// serveMode is what serve runs besides the router.
type serveMode struct {
	// demo: the router is the demo (simulated providers).
	demo bool
	// traffic is the simulated users' visits a second, 0 none; items
	// are the questions they ask.
	traffic float64
	items   []workload.Item
}

// trafficSeed seeds the demo traffic's visits and ratings.
const trafficSeed = 1

// checkTraffic reports what is wrong with --traffic rate: it needs
// --demo and a rate in (0, traffic.MaxRate].
func checkTraffic(rate float64, demoMode bool) error {
	switch {
	case rate == 0:
		return nil
	case !demoMode:
		return fmt.Errorf("--traffic is for --demo; to send traffic to another router, use 'switchyard load'")
	case !(rate > 0 && rate <= traffic.MaxRate):
		return fmt.Errorf("--traffic %v: want visits a second in (0, %d], e.g. 2", rate, traffic.MaxRate)
	}
	return nil
}

// startTraffic starts the demo traffic to ls's API listener when mode
// asks for it, and returns the function that stops it (a no-op without
// traffic). The traffic starts no visit once ctx is done.
func startTraffic(ctx context.Context, ls server.Listeners, mode serveMode, log *slog.Logger) (stop func(), err error) {
	if mode.traffic == 0 {
		return func() {}, nil
	}
	g, err := traffic.Start(ctx, traffic.Options{
		URL: "http://" + ls.API.Addr().String(), Rate: mode.traffic, Seed: trafficSeed,
		Items: mode.items, Mix: traffic.DemoMix(), Logger: log,
	})
	if err != nil {
		return nil, err
	}
	return func() { g.Stop() }, nil
}

// trafficBanner says that traffic is running, what it is, and where to
// see what it does.
func trafficBanner(w io.Writer, ls server.Listeners, mode serveMode) {
	if mode.traffic == 0 {
		return
	}
	m := traffic.DemoMix()
	ui := "http://" + ls.API.Addr().String() + "/ui/"
	if ls.Admin != nil {
		ui = "http://" + ls.Admin.Addr().String() + "/ui/"
	}
	fmt.Fprintf(w, "Traffic:     %s simulated users a second ask the %d known questions through /v1, like any client: %s;\n"+
		"             %.0f%% streamed, %.0f%% rated (POST /v1/feedback), some conversations continued and wrong answers asked again.\n"+
		"             The figures are what the router measured of it (docs/demo.md; --quiet stops the log line per request):\n"+
		"             %s#/overview   traffic, cost, latency by deployment, category, route; each request and why it went there\n"+
		"             %s#/report     what routing saved against each route's dearest deployment, and at what quality\n"+
		"             %s#/learning   ratings and signals; route %q gives %s the categories it is as good at (the first after ~5 minutes at 2/s)\n",
		strconv.FormatFloat(mode.traffic, 'f', -1, 64), len(mode.items), routeList(m), 100*m.Stream, 100*m.Rate,
		ui, ui, ui, demo.LearnedRoute, demo.LearnedCheap)
}

// routeList names m's routes with their shares of the chats.
func routeList(m traffic.Mix) string {
	total := 0.0
	for _, r := range m.Routes {
		total += r.Weight
	}
	out := ""
	for i, r := range m.Routes {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%s %.0f%%", r.Model, 100*r.Weight/total)
	}
	if m.Embed != "" {
		out += fmt.Sprintf(" of the chats, and %.0f%% embeddings to %s", 100*m.EmbedShare, m.Embed)
	}
	return out
}
