package e2e

import (
	"net/http"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/llm"
)

// tierCost is what usage u costs on the demo's gpt-4o-mini (0.15 / 0.60
// / 0.075 cached per 1M tokens) with every price times m.
func tierCost(u llm.Usage, m float64) float64 {
	d := llm.Deployment{InputPricePerM: 0.15 * m, OutputPricePerM: 0.60 * m, CachedInputPricePerM: 0.075 * m}
	u.ServiceTier = ""
	return d.Cost(u)
}

// priorityCost is what usage u costs on the demo's gpt-4o-mini at
// OpenAI's listed priority price (0.25 / 1.00 / 0.125 cached per 1M
// tokens: cost/priority.tsv).
func priorityCost(u llm.Usage) float64 {
	d := llm.Deployment{InputPricePerM: 0.25, OutputPricePerM: 1.00, CachedInputPricePerM: 0.125}
	u.ServiceTier = ""
	return d.Cost(u)
}

// openai-go reads the tier that served a chat completion (complete and
// streamed: every chunk) and a Responses call from ServiceTier; the
// answer is priced at that tier: flex at the batch price (the demo's
// configured price times batches.discount, 0.5), priority at OpenAI's
// listed priority price (cost/priority.tsv, which the record names).
func TestServiceTierOpenAISDK(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, tc := range []struct {
		asked  openai.ChatCompletionNewParamsServiceTier
		served openai.ChatCompletionServiceTier
		factor float64
		price  string
	}{
		{openai.ChatCompletionNewParamsServiceTierPriority, openai.ChatCompletionServiceTierPriority, 0, "catalog"},
		{openai.ChatCompletionNewParamsServiceTierFlex, openai.ChatCompletionServiceTierFlex, 0.5, "batch discount"},
		{openai.ChatCompletionNewParamsServiceTierFast, openai.ChatCompletionServiceTierPriority, 0, "catalog"},
		{"", openai.ChatCompletionServiceTierDefault, 1, ""},
	} {
		var hr *http.Response
		resp, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "gpt-4o-mini", ServiceTier: tc.asked,
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hi there")}}, option.WithResponseInto(&hr))
		if err != nil {
			t.Fatalf("%s: %v", tc.asked, err)
		}
		if resp.ServiceTier != tc.served {
			t.Errorf("%s: complete: service tier %q, want %q", tc.asked, resp.ServiceTier, tc.served)
		}
		r := recordOf(t, e, hr.Header.Get("x-switchyard-request-id"))
		want := tierCost(r.Usage, tc.factor)
		if tc.factor == 0 { // priority
			want = priorityCost(r.Usage)
		}
		if r.CostUSD != want || r.TierPrice != tc.price || string(r.Usage.ServiceTier) != string(tc.served) {
			t.Errorf("%s: cost %v (priced by %q, tier %q), want %v by %q", tc.asked, r.CostUSD, r.TierPrice, r.Usage.ServiceTier, want, tc.price)
		}

		stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), openai.ChatCompletionNewParams{Model: "gpt-4o-mini", ServiceTier: tc.asked,
			Messages:      []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Write a few sentences about trains.")},
			StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}})
		chunks := 0
		for stream.Next() {
			if c := stream.Current(); c.ServiceTier != openai.ChatCompletionChunkServiceTier(tc.served) {
				t.Errorf("%s: chunk %d: service tier %q, want %q", tc.asked, chunks, c.ServiceTier, tc.served)
			}
			chunks++
		}
		if err := stream.Err(); err != nil || chunks < 3 {
			t.Fatalf("%s: stream: %v after %d chunks", tc.asked, err, chunks)
		}
		stream.Close()
	}

	resp, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", Input: inputText("Hi there"),
		ServiceTier: responses.ResponseNewParamsServiceTierFlex})
	if err != nil {
		t.Fatal(err)
	}
	if resp.ServiceTier != responses.ResponseServiceTierFlex {
		t.Errorf("Responses: service tier %q, want flex", resp.ServiceTier)
	}
}

// A Gemini deployment takes no service tier: the answer names none and
// x-switchyard-route names the tier dropped; a Claude deployment is
// asked for its own tier and names the standard one it was served on.
func TestServiceTierOtherKinds(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, tc := range []struct{ model, served, dropped string }{
		{"gemini-2.5-flash", "", "dropped=service_tier"},
		{"claude-haiku-4-5", "default", ""},
	} {
		var hr *http.Response
		resp, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: tc.model, ServiceTier: openai.ChatCompletionNewParamsServiceTierFlex,
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hi there")}}, option.WithResponseInto(&hr))
		if err != nil {
			t.Fatalf("%s: %v", tc.model, err)
		}
		route := hr.Header.Get("x-switchyard-route")
		if string(resp.ServiceTier) != tc.served || strings.Contains(route, "dropped=service_tier") != (tc.dropped != "") {
			t.Errorf("%s: service tier %q, route %q", tc.model, resp.ServiceTier, route)
		}
	}
}

// anthropic-sdk-go reads usage.service_tier, complete and streamed, from
// a Claude deployment (which the client's service_tier reaches) and from
// an OpenAI one (whose default tier is Claude's standard).
func TestServiceTierAnthropicSDK(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	for _, model := range []string{"claude-haiku-4-5", "gpt-4o-mini"} {
		params := userMessage(model, "Hi there", 100)
		params.ServiceTier = sdk.MessageNewParamsServiceTierStandardOnly
		msg, err := c.Messages.New(ctxT(t), params, sdkoption.WithMaxRetries(0))
		if err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		if msg.Usage.ServiceTier != sdk.UsageServiceTierStandard {
			t.Errorf("%s: usage.service_tier %q", model, msg.Usage.ServiceTier)
		}
		stream := c.Messages.NewStreaming(ctxT(t), params)
		acc := accumulateMessage(t, stream)
		if acc.Usage.ServiceTier != sdk.UsageServiceTierStandard {
			t.Errorf("%s: streamed usage.service_tier %q", model, acc.Usage.ServiceTier)
		}
	}
}
