package server

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/demo"
	"switchyard/learn/offline/offlinetest"
	"switchyard/record"
)

// learnedRouter serves the demo deployments on the simulators, plus a
// route "learned" over gpt-4o-mini (configured quality 0.75) and
// gemini-2.5-flash (0.78), strategy best, whose learned model predicts
// gpt-4o-mini as the synthetic "coder" and gemini-2.5-flash as the
// "quizzer".
func learnedRouter(t *testing.T) (*httptest.Server, *recordLog) {
	t.Helper()
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stopSim)
	cfg := demo.Config(simAddr, "")
	cfg.Routes["learned"] = &config.Route{
		Name: "learned", Deployments: []string{"gpt-4o-mini", "gemini-2.5-flash"}, Policy: config.Policy{Strategy: config.StrategyBest},
		Learned: &config.Learned{
			Model:       offlinetest.FitFile(t, t.TempDir()),
			Deployments: map[string]string{"gpt-4o-mini": offlinetest.Coder, "gemini-2.5-flash": offlinetest.Quizzer},
		},
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	log := &recordLog{}
	r, err := NewRouter(cfg, RouterOptions{Logger: slog.New(slog.DiscardHandler), NoRequestLog: true, Sinks: []record.Sink{log}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(r)
	t.Cleanup(func() {
		ts.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		r.Close(ctx)
	})
	return ts, log
}

func learnedChat(text string) string {
	b, _ := json.Marshal(map[string]any{"model": "learned", "messages": []map[string]string{{"role": "user", "content": text}}})
	return string(b)
}

// TestLearnedModelRoutesByPrompt: through the HTTP API, code prompts the
// model has never seen go to the deployment it predicts good at code,
// quiz prompts to the other, against the configured qualities (which put
// gemini-2.5-flash first for everything); each record keeps the
// predictions.
func TestLearnedModelRoutesByPrompt(t *testing.T) {
	ts, recs := learnedRouter(t)
	for i := range 6 {
		n := offlinetest.TrainPrompts + i // prompts the model was not fitted on
		for _, c := range []struct{ prompt, want string }{
			{offlinetest.CodePrompt(n), "gpt-4o-mini"},
			{offlinetest.QuizPrompt(n), "gemini-2.5-flash"},
		} {
			req, err := http.NewRequest(http.MethodPost, ts.URL+"/v1/chat/completions", strings.NewReader(learnedChat(c.prompt)))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			got, id := resp.Header.Get("x-switchyard-deployment"), resp.Header.Get("x-switchyard-request-id")
			if resp.StatusCode != http.StatusOK || got != c.want {
				t.Fatalf("%q: %d served by %q, want %s", c.prompt, resp.StatusCode, got, c.want)
			}
			rec := waitRecord(t, recs, id)
			first := rec.Plan.Tiers[0].Candidates[0]
			if !first.Predicted.Set || first.Predicted.P < 0.7 || first.Predicted.Quality != first.Predicted.P {
				t.Errorf("record's first candidate %s: %+v", first.Deployment.Name, first.Predicted)
			}
		}
	}
}

// TestLearnedModelExplained: POST /v1/route shows the model and each
// candidate's prediction in JSON.
func TestLearnedModelExplained(t *testing.T) {
	ts, _ := learnedRouter(t)
	status, _, body := send(t, ts, "/v1/route", "", learnedChat(offlinetest.CodePrompt(99)))
	if status != http.StatusOK {
		t.Fatalf("/v1/route: %d %s", status, body)
	}
	var a struct {
		Tiers []struct {
			Candidates []struct {
				Deployment string `json:"deployment"`
				Predicted  *struct {
					PGood   float64 `json:"p_good"`
					Quality float64 `json:"quality"`
					Text    string  `json:"text"`
				} `json:"predicted"`
			} `json:"candidates"`
		} `json:"tiers"`
		Explanation struct {
			PromptModel struct {
				Model  string  `json:"model"`
				Weight float64 `json:"weight"`
			} `json:"prompt_model"`
		} `json:"explanation"`
	}
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(a.Explanation.PromptModel.Model, "router.bin") || a.Explanation.PromptModel.Weight != 1 {
		t.Errorf("prompt_model: %+v", a.Explanation.PromptModel)
	}
	p := map[string]float64{}
	for _, tier := range a.Tiers {
		for _, c := range tier.Candidates {
			if c.Predicted == nil {
				t.Fatalf("%s has no prediction: %s", c.Deployment, body)
			}
			if want := fmt.Sprintf("learned model: p(good)=%.2f", c.Predicted.PGood); c.Predicted.Text != want {
				t.Errorf("%s: text %q, want %q", c.Deployment, c.Predicted.Text, want)
			}
			p[c.Deployment] = c.Predicted.PGood
		}
	}
	if !(p["gpt-4o-mini"] > 0.7 && p["gemini-2.5-flash"] < 0.3) {
		t.Errorf("predictions for a code prompt: %v", p)
	}
}

// waitRecord polls recs for the record of id (the recorder hands records
// to its sinks asynchronously), for up to 10 s.
func waitRecord(t *testing.T, recs *recordLog, id string) *record.Record {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if rec := recs.get(id); rec != nil && rec.Plan != nil {
			return rec
		}
		runtime.Gosched()
	}
	t.Fatalf("no record of %s", id)
	return nil
}
