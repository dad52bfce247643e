package e2e

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/demo"
	"switchyard/llm"
	"switchyard/sim"
)

// categoryPrompts are unambiguous prompts of each category.
var categoryPrompts = map[llm.Category][]string{
	llm.CategoryChat:          {"Hi there! How's your day going?", "Thanks so much, have a nice evening!"},
	llm.CategoryFactual:       {"Who wrote Pride and Prejudice?", "When did the Berlin Wall fall?"},
	llm.CategoryCreative:      {"Write a haiku about autumn leaves.", "Write a short story about a robot who learns to paint."},
	llm.CategoryReasoning:     {"A bat and a ball cost $1.10 in total. The bat costs $1.00 more than the ball. How much does the ball cost? Think step by step.", "Prove that the square root of 2 is irrational."},
	llm.CategoryExtraction:    {"Extract all email addresses and phone numbers from this text and return them as JSON: Contact Jane at jane@example.com or 555-0100."},
	llm.CategoryCode:          {"Write a Go function that checks whether a string is a palindrome.", "Why does this JavaScript throw undefined is not a function? const x = {}; x.run();"},
	llm.CategorySummarization: {"Summarize this article in three bullet points: The city council voted on Tuesday to expand the bike lane network across downtown, citing rising ridership and safety concerns. Opponents argued the plan would reduce parking for local businesses. The measure passed 7 to 2 and construction begins next spring."},
}

func userChat(model, prompt string) openai.ChatCompletionNewParams {
	return openai.ChatCompletionNewParams{Model: model, Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(prompt)}}
}

// Each category's prompts land where the demo config says, and the
// headers say why.
func TestRoutingByCategory(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	n := 0
	for cat, prompts := range categoryPrompts {
		for _, prompt := range prompts {
			n++
			var hdr httpHeader
			_, err := e.Client.Chat.Completions.New(ctxT(t), userChat("auto", prompt), option.WithResponseInto(&hdr.resp))
			if err != nil {
				t.Fatalf("%s %q: %v", cat, prompt, err)
			}
			dep, why := hdr.resp.Header.Get("x-switchyard-deployment"), hdr.resp.Header.Get("x-switchyard-route")
			if !slices.Contains(demo.DemoRoutes[cat], dep) {
				t.Errorf("%s %q went to %s, want one of %v (x-switchyard-route: %s)", cat, prompt, dep, demo.DemoRoutes[cat], why)
			}
			if !strings.HasPrefix(why, "route=auto; category="+string(cat)+"(") || !strings.Contains(why, "deployment="+dep) {
				t.Errorf("%s: x-switchyard-route = %q", cat, why)
			}
		}
	}
	// The record carries the category.
	cats := map[llm.Category]int{}
	for _, r := range e.recorded(t, n) {
		cats[r.Category]++
		if r.Confidence <= 0 || r.Tier != 1 {
			t.Errorf("record %+v: confidence %v tier %d", r.Category, r.Confidence, r.Tier)
		}
	}
	if len(cats) != len(llm.Categories) {
		t.Errorf("recorded categories %v", cats)
	}
}

func TestRoutingStreamAndRules(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	// A streamed request is routed the same way.
	stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), userChat("auto", "Write a Go function that checks whether a string is a palindrome."))
	for stream.Next() {
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	stream.Close()
	// Spanish math goes to the model that is both math-strong and
	// multilingual; a later small-talk turn to the capable model.
	cases := []struct {
		params openai.ChatCompletionNewParams
		want   string
		rule   string
	}{
		{userChat("auto", "Si un tren recorre 120 km en 1,5 horas, ¿cuál es su velocidad media? Explica el razonamiento paso a paso."),
			"gemini-2.5-pro", "non-english-to-multilingual"},
		{openai.ChatCompletionNewParams{Model: "auto", Messages: []openai.ChatCompletionMessageParamUnion{
			openai.UserMessage("Hi!"), openai.AssistantMessage("Hello! How can I help?"), openai.UserMessage("Thanks so much, have a nice evening!"),
		}}, "claude-sonnet-4-5", "later-turns-capable"},
	}
	for _, c := range cases {
		var hdr httpHeader
		if _, err := e.Client.Chat.Completions.New(ctxT(t), c.params, option.WithResponseInto(&hdr.resp)); err != nil {
			t.Fatal(err)
		}
		dep, why := hdr.resp.Header.Get("x-switchyard-deployment"), hdr.resp.Header.Get("x-switchyard-route")
		if dep != c.want || !strings.Contains(why, c.rule) {
			t.Errorf("served by %s (%s), want %s by rule %s", dep, why, c.want, c.rule)
		}
	}
	for _, r := range e.recorded(t, 3) {
		if r.Endpoint == "chat" && r.Stream && r.Deployment != "claude-sonnet-4-5" {
			t.Errorf("streamed code went to %s", r.Deployment)
		}
	}
}

func TestRoutingOverrides(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	chat := func(t *testing.T, model, prompt string, opts ...option.RequestOption) (http.Header, error) {
		var hdr httpHeader
		_, err := e.Client.Chat.Completions.New(ctxT(t), userChat(model, prompt), append(opts, option.WithResponseInto(&hdr.resp))...)
		if hdr.resp == nil {
			return nil, err
		}
		return hdr.resp.Header, err
	}
	t.Run("pin by header", func(t *testing.T) {
		h, err := chat(t, "auto", "Hi there!", option.WithHeader("x-switchyard-model", "gemini-2.5-pro"))
		if err != nil || h.Get("x-switchyard-deployment") != "gemini-2.5-pro" || !strings.HasPrefix(h.Get("x-switchyard-route"), "pinned=gemini-2.5-pro; route=auto; category=chat(") {
			t.Fatalf("err %v headers %v", err, h)
		}
	})
	t.Run("pin by model falls back when the pin fails", func(t *testing.T) {
		e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultUnavailable, Model: "gpt-4o", Count: 2}) // the attempt and its retry
		h, err := chat(t, "gpt-4o", "Hi there!")
		if err != nil {
			t.Fatal(err)
		}
		if dep, why := h.Get("x-switchyard-deployment"), h.Get("x-switchyard-route"); dep == "gpt-4o" || !strings.Contains(why, "pinned=gpt-4o") || !strings.Contains(why, "attempt=3") {
			t.Errorf("served by %s (%s), want a fallback after gpt-4o", dep, why)
		}
	})
	t.Run("no fallback", func(t *testing.T) {
		e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultUnavailable, Model: "gpt-4o", Count: 2})
		h, err := chat(t, "gpt-4o", "Hi there!", option.WithHeader("x-switchyard-fallback", "none"))
		var apiErr *openai.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || h.Get("x-switchyard-deployment") != "gpt-4o" {
			t.Fatalf("err %v deployment %q", err, h.Get("x-switchyard-deployment"))
		}
	})
	t.Run("category hint", func(t *testing.T) {
		h, err := chat(t, "auto", "Hi there!", option.WithHeader("x-switchyard-category", "code"))
		if err != nil || h.Get("x-switchyard-deployment") != "claude-sonnet-4-5" || !strings.Contains(h.Get("x-switchyard-route"), "category=code(hint)") {
			t.Fatalf("err %v headers %v", err, h)
		}
	})
	t.Run("cost cap that excludes everything", func(t *testing.T) {
		_, err := chat(t, "auto", "Hi there!", option.WithHeader("x-switchyard-max-cost-usd", "0.0000001"))
		var apiErr *openai.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 422 || apiErr.Param != "x-switchyard-max-cost-usd" ||
			!strings.Contains(apiErr.Message, "gpt-4o-mini estimated cost $") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("latency budget that excludes everything", func(t *testing.T) {
		_, err := chat(t, "auto", "Hi there!", option.WithHeader("x-switchyard-latency-budget-ms", "1"))
		var apiErr *openai.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 422 || !strings.Contains(apiErr.Message, "x-switchyard-latency-budget-ms") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("invalid values name the header", func(t *testing.T) {
		for _, h := range [][2]string{{"x-switchyard-max-cost-usd", "cheap"}, {"x-switchyard-category", "poetry"}, {"x-switchyard-latency-budget-ms", "-5"}, {"x-switchyard-fallback", "maybe"}, {"x-switchyard-model", "no-such"}} {
			_, err := chat(t, "auto", "Hi there!", option.WithHeader(h[0], h[1]))
			var apiErr *openai.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != h[0] || !strings.Contains(apiErr.Message, h[0]) {
				t.Errorf("%s: %s: err = %v", h[0], h[1], err)
			}
		}
	})
	t.Run("built-in routes", func(t *testing.T) {
		h, err := chat(t, "auto-cheap", "Hi there!")
		if dep := h.Get("x-switchyard-deployment"); err != nil || (dep != "gpt-4o-mini" && dep != "azure-gpt-4o-mini") {
			t.Errorf("auto-cheap: %v %s", err, dep)
		}
		h, err = chat(t, "auto-best", "Prove that the square root of 2 is irrational.")
		if dep := h.Get("x-switchyard-deployment"); err != nil || !slices.Contains([]string{"claude-sonnet-4-5", "o3-mini", "gemini-2.5-pro"}, dep) {
			t.Errorf("auto-best: %v %s", err, dep)
		}
	})
}

// routeResponse is the part of POST /v1/route the tests read.
type routeResponse struct {
	Route      string  `json:"route"`
	Category   string  `json:"category"`
	Confidence float64 `json:"confidence"`
	Summary    string  `json:"summary"`
	Tiers      []struct {
		TTFTTimeoutMS int `json:"ttft_timeout_ms"`
		Candidates    []struct {
			Deployment string  `json:"deployment"`
			EstCostUSD float64 `json:"est_cost_usd"`
		} `json:"candidates"`
	} `json:"tiers"`
	Explanation struct {
		Features struct {
			Language string `json:"language"`
		} `json:"features"`
		Rules    []string `json:"rules"`
		Rejected []struct {
			Deployment, Reason, Detail string
		} `json:"rejected"`
	} `json:"explanation"`
}

// POST /v1/route explains without calling a model, behind the same auth.
func TestRouteDryRun(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) { c.Auth.Keys = []config.Key{{Key: "k1"}} })
	// Any model call would consume this fault; it must still be there.
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultServerError, Count: 1})
	url := e.URL + "/v1/route"
	body := chatBody("auto", "Write a Go function that checks whether a string is a palindrome.", false)
	resp, b := post(t, url, "", body)
	wantError(t, resp, b, 401, "")
	resp, b = post(t, url, "k1", body)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	var rr routeResponse
	if err := json.Unmarshal(b, &rr); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	if rr.Category != "code" || rr.Confidence <= 0 || rr.Confidence > 1 || rr.Route != "auto" || len(rr.Tiers) == 0 ||
		rr.Tiers[0].Candidates[0].Deployment != "claude-sonnet-4-5" || rr.Tiers[0].TTFTTimeoutMS != 800 {
		t.Errorf("dry run: %s", b)
	}
	if h := resp.Header.Get("x-switchyard-route"); !strings.HasPrefix(h, "route=auto; category=code(") || resp.Header.Get("x-switchyard-deployment") != "" {
		t.Errorf("headers: route %q deployment %q", h, resp.Header.Get("x-switchyard-deployment"))
	}
	// The explanation lists what was rejected, e.g. for a cost cap; a cap
	// that leaves nothing is the same 422 a chat completion gets.
	dry := func(maxCost string) (*http.Response, []byte) {
		req, _ := http.NewRequestWithContext(ctxT(t), http.MethodPost, url, strings.NewReader(string(chatBody("auto", "Hi there!", false))))
		req.Header.Set("Authorization", "Bearer k1")
		req.Header.Set("x-switchyard-max-cost-usd", maxCost)
		hr, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer hr.Body.Close()
		b, _ := io.ReadAll(hr.Body)
		return hr, b
	}
	hr, b := dry("0.0002")
	rr = routeResponse{}
	json.Unmarshal(b, &rr)
	if hr.StatusCode != 200 || len(rr.Tiers) != 1 || rr.Tiers[0].Candidates[0].Deployment != "gpt-4o-mini" ||
		len(rr.Explanation.Rejected) != 3 || !strings.Contains(rr.Explanation.Rejected[0].Detail, "exceeds x-switchyard-max-cost-usd $0.0002") {
		t.Errorf("cost-capped dry run: %d %s", hr.StatusCode, b)
	}
	hr, b = dry("0.0000001")
	wantError(t, hr, b, 422, "")
	if fs := e.Sim.Faults.List(); len(fs) != 1 || fs[0].Count != 1 {
		t.Errorf("the simulator was called: faults now %+v", fs)
	}
	for _, r := range e.recorded(t, 3) {
		if r.Endpoint == "route" && (r.Attempts != 0 || r.Deployment != "" || r.CostUSD != 0) {
			t.Errorf("dry-run record %+v", r)
		}
	}
}
