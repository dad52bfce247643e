package anthropic

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"switchyard/llm"
)

func TestFastModeTraits(t *testing.T) {
	for model, want := range map[string]float64{
		"claude-opus-5-5": 2, "claude-opus-5-5-20261101": 2, "claude-opus-5": 2,
		"claude-fable-5-2": 2, "claude-mythos-5-2": 2,
		// Removed (Opus 4.8 on 2026-11-30, 4.7 and 4.6 before), never had
		// it, or newer than the table (fast mode need not carry over).
		"claude-opus-4-8": 0, "claude-opus-4-7": 0, "claude-opus-4-6": 0, "claude-fable-5-1": 0,
		"claude-sonnet-5-5": 0, "claude-haiku-5-5": 0, "claude-opus-6": 0, "gpt-5.6-sol": 0,
	} {
		if got := ModelTraits(model).Fast; got != want {
			t.Errorf("ModelTraits(%q).Fast = %v, want %v", model, got, want)
		}
	}
	// Bedrock's and Google Cloud's ids: fast mode is not sent there.
	for _, m := range []string{"us.anthropic.claude-opus-5-5-v1:0", "claude-opus-5-5@20261101"} {
		if got := FastFactor(m); got != 0 {
			t.Errorf("FastFactor(%q) = %v, want 0", m, got)
		}
	}
}

func TestDecodeSpeed(t *testing.T) {
	for body, want := range map[string]llm.Speed{
		`"speed":"fast",`: llm.SpeedFast, `"speed":"standard",`: llm.SpeedStandard, `"speed":null,`: "", ``: "",
	} {
		req := decodeOK(t, `{"model":"claude-opus-5-5","max_tokens":5,`+body+`"messages":[{"role":"user","content":"x"}]}`)
		if req.Speed != want {
			t.Errorf("%s: Speed %q, want %q", body, req.Speed, want)
		}
	}
	for _, bad := range []string{`"turbo"`, `2`, `["fast"]`} {
		_, err := DecodeRequest([]byte(`{"model":"m","max_tokens":5,"speed":` + bad + `,"messages":[{"role":"user","content":"x"}]}`))
		var le *llm.Error
		if !errors.As(err, &le) || le.Kind != llm.KindInvalidRequest || !strings.Contains(le.Message, "speed: Input should be") {
			t.Errorf("speed %s: %v, want an invalid_request naming speed", bad, err)
		}
	}
}

func TestFromLLMSendsFastMode(t *testing.T) {
	for _, c := range []struct {
		name, model string
		speed       llm.Speed
		tier        llm.ServiceTier
		betas       []string
		want        bool
	}{
		{"opus 5.5 fast", "claude-opus-5-5", llm.SpeedFast, "", nil, true},
		{"with the client's betas", "claude-opus-5-5", llm.SpeedFast, "", []string{InterleavedThinkingBeta}, true},
		{"the beta already named", "claude-opus-5", llm.SpeedFast, "", []string{FastModeBeta}, true},
		{"an OpenAI client's service_tier fast", "claude-opus-5-5", "", llm.TierFast, nil, true},
		{"standard asked", "claude-opus-5-5", llm.SpeedStandard, "", nil, false},
		{"a model without fast mode", "claude-sonnet-5-5", llm.SpeedFast, "", nil, false},
		{"fast mode removed", "claude-opus-4-8", llm.SpeedFast, "", nil, false},
		{"the client's beta to a model without fast mode", "claude-sonnet-5-5", llm.SpeedFast, "", []string{FastModeBeta, InterleavedThinkingBeta}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			client := slices.Clone(c.betas)
			req := &llm.Request{Model: c.model, Speed: c.speed, ServiceTier: c.tier, AnthropicBetas: client,
				Messages: []llm.Message{user("x")}}
			out, err := FromLLM(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := json.Marshal(out)
			if got := strings.Contains(string(body), `"speed":"fast"`); got != c.want {
				t.Errorf("speed fast sent %v, want %v: %s", got, c.want, body)
			}
			if strings.Contains(string(body), `"speed"`) && !c.want {
				t.Errorf("a speed sent: %s", body)
			}
			if got := slices.Contains(out.Betas, FastModeBeta); got != c.want {
				t.Errorf("betas %v: the fast-mode beta %v, want %v", out.Betas, got, c.want)
			}
			for _, b := range c.betas {
				if b != FastModeBeta && !slices.Contains(out.Betas, b) {
					t.Errorf("betas %v lost the client's %q", out.Betas, b)
				}
			}
			named := 0
			for _, b := range out.Betas {
				if b == FastModeBeta {
					named++
				}
			}
			if named > 1 {
				t.Errorf("betas %v: the fast-mode beta named more than once", out.Betas)
			}
			if !slices.Equal(req.AnthropicBetas, c.betas) {
				t.Errorf("the request's betas changed: %v", req.AnthropicBetas)
			}
		})
	}
}

func TestUsageSpeedPassesThrough(t *testing.T) {
	u := UsageToLLM(&Usage{InputTokens: 3, OutputTokens: 2, Speed: SpeedFast}, 0)
	if u.Speed != SpeedFast {
		t.Fatalf("UsageToLLM: Speed %q", u.Speed)
	}
	if got := string(AppendUsage(nil, u)); !strings.HasSuffix(got, `,"speed":"fast"}`) {
		t.Errorf("AppendUsage: %s", got)
	}
	if got := string(AppendUsage(nil, &llm.Usage{})); !strings.HasSuffix(got, `,"speed":"standard"}`) {
		t.Errorf("AppendUsage of an answer that said none: %s", got)
	}
}
