package gateway

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/demo"
	"switchyard/learn/offline"
	"switchyard/learn/offline/offlinetest"
	"switchyard/llm"
	"switchyard/route"
)

// learnedConfig is the demo configuration plus route "learned" over
// gpt-4o-mini and gemini-2.5-flash with the model at path (mapping them
// to mini and flash's model names).
func learnedConfig(t testing.TB, path, mini, flash string) *config.Config {
	t.Helper()
	cfg := demo.Config("127.0.0.1:9", "") // never called
	cfg.Routes["learned"] = &config.Route{
		Name: "learned", Deployments: []string{"gpt-4o-mini", "gemini-2.5-flash"}, Policy: config.Policy{Strategy: config.StrategyBest},
		Learned: &config.Learned{Model: path, Deployments: map[string]string{"gpt-4o-mini": mini, "gemini-2.5-flash": flash}},
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// A model file that cannot be used, or a mapped name it lacks, stops the
// gateway with the configuration's positioned errors.
func TestLearnedModelErrors(t *testing.T) {
	dir := t.TempDir()
	good := offlinetest.FitFile(t, dir)
	bad := filepath.Join(dir, "bad.bin")
	if err := os.WriteFile(bad, []byte("not a model"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, mini, want string
	}{
		{"missing file", filepath.Join(dir, "none.bin"), offlinetest.Coder, "routes.learned.learned.model: cannot use the model file: offline: open"},
		{"not a model", bad, offlinetest.Coder, "routes.learned.learned.model: cannot use the model file: " + bad + ": offline: bad model file: not gzip"},
		{"unknown model", good, "codr", `routes.learned.learned.deployments.gpt-4o-mini: model "codr" is not in ` + good + ` (did you mean "coder"?; its models: coder, quizzer)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(learnedConfig(t, tt.path, tt.mini, offlinetest.Quizzer), Options{})
			var errs config.Errors
			if !errors.As(err, &errs) || len(errs) != 1 || !strings.Contains(errs[0].Error(), tt.want) {
				t.Fatalf("New: %v; want one config error containing %q", err, tt.want)
			}
		})
	}
}

func learnedGateway(t testing.TB, path string) *Gateway {
	t.Helper()
	g, err := New(learnedConfig(t, path, offlinetest.Coder, offlinetest.Quizzer), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// Predictions are computed from the last user message only, for the
// route's mapped deployments, without allocating once warm; a request
// with no user text gets none.
func TestLearnedPredict(t *testing.T) {
	g := learnedGateway(t, offlinetest.FitFile(t, t.TempDir()))
	pm := g.prompt["learned"]
	mini, flash := g.policy.Deployment("gpt-4o-mini").Index, g.policy.Deployment("gemini-2.5-flash").Index
	req := &llm.Request{Model: "learned", Messages: []llm.Message{
		llm.TextMessage(llm.RoleUser, offlinetest.QuizPrompt(1)),
		llm.TextMessage(llm.RoleAssistant, "B"),
		llm.TextMessage(llm.RoleUser, offlinetest.CodePrompt(77)),
	}}
	var pr route.Predictions
	pm.predict(req, &pr)
	if pr.Route != "learned" || pr.N != 2 || int(pr.Deployment[0]) != flash || int(pr.Deployment[1]) != mini {
		t.Fatalf("predictions %+v (mini %d, flash %d)", pr, mini, flash)
	}
	if pr.P[1] < 0.7 || pr.P[0] > 0.3 {
		t.Errorf("a code prompt: mini %v, flash %v", pr.P[1], pr.P[0])
	}
	if n := testing.AllocsPerRun(50, func() { pr = route.Predictions{}; pm.predict(req, &pr) }); n != 0 && !raceEnabled {
		t.Errorf("%v allocations per prediction", n)
	}
	pr = route.Predictions{}
	pm.predict(&llm.Request{Model: "learned", Messages: []llm.Message{llm.TextMessage(llm.RoleSystem, "be brief")}}, &pr)
	if pr.N != 0 || pr.Route != "" {
		t.Errorf("no user text: %+v", pr)
	}
}

// BenchmarkLearned500 measures, on the request of BenchmarkClassifyAndRoute
// (~500 tokens), the classifier and the learned model's prediction alone
// (featurize, nearest kind, predict every model, two mapped) — their
// ratio is what a learned route adds — and the whole decision with and
// without a learned model: "priors" is the model `learn fit` chooses on
// RouterBench (kinds' priors, no per-prompt correction), "text" one with
// a text correction (every feature weighted: the costlier case).
func BenchmarkLearned500(b *testing.B) {
	dir := b.TempDir()
	priors := learnedGateway(b, offlinetest.FitFile(b, dir))
	o := offline.DefaultTrainOptions()
	o.Epochs = 2
	text := learnedGateway(b, offlinetest.FitFileWith(b, b.TempDir(), o))
	req := &llm.Request{Model: "learned", Messages: []llm.Message{
		llm.TextMessage(llm.RoleSystem, "You are a helpful support assistant."),
		llm.TextMessage(llm.RoleUser, prompt500),
	}}
	ctx := llm.WithRequestID(context.Background(), "req_0123456789abcdef")
	b.Run("classify", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			priors.classify(req)
		}
	})
	for _, c := range []struct {
		name string
		g    *Gateway
	}{{"priors", priors}, {"text", text}} {
		b.Run("predict/"+c.name, func(b *testing.B) {
			pm := c.g.prompt["learned"]
			b.ReportAllocs()
			for b.Loop() {
				var pr route.Predictions
				pm.predict(req, &pr)
			}
		})
	}
	plain := *req
	plain.Model = "auto"
	for _, c := range []struct {
		name string
		g    *Gateway
		req  *llm.Request
	}{{"none", priors, &plain}, {"priors", priors, req}, {"text", text, req}} {
		b.Run("decide/"+c.name, func(b *testing.B) {
			var times []time.Duration
			b.ReportAllocs()
			for b.Loop() {
				start := time.Now()
				if _, err := c.g.decide(ctx, c.req, nil, nil); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Nanoseconds()), "p50-ns")
			b.ReportMetric(float64(times[len(times)*99/100].Nanoseconds()), "p99-ns")
		})
	}
}
