package route

import (
	"encoding/json"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// TestStopSequenceLimits checks that a request with more stop sequences
// than a wire format takes skips those deployments (OpenAI's format: 4,
// Gemini: 5, Anthropic: no bound), saying why, and that when none is
// left the error is a 400 on param stop.
func TestStopSequenceLimits(t *testing.T) {
	cfg, err := config.Parse([]byte(logprobsFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	stops := func(n int) func(*Input) { return func(in *Input) { in.Features.StopSequences = n } }
	for _, tt := range []struct {
		n    int
		want string
	}{{0, "claude,gpt,flash"}, {4, "claude,gpt,flash"}, {5, "claude,flash"}, {6, "claude"}, {100, "claude"}} {
		if got := order(mustPlan(t, p, req("mixed", llm.CategoryChat, stops(tt.n)))); got != tt.want {
			t.Errorf("%d stop sequences: plan %s, want %s", tt.n, got, tt.want)
		}
	}
	r := findRejection(mustPlan(t, p, req("mixed", llm.CategoryChat, stops(6))), "flash")
	if r == nil || r.Reason != ReasonStopSequences || r.By != "request" || r.Detail() != "takes at most 5 stop sequences, and the request has 6" {
		t.Errorf("flash rejection %+v", r)
	}
	for _, model := range []string{"gpt", "flash"} {
		_, err := p.Plan(req(model, llm.CategoryChat, stops(6), func(in *Input) { in.Overrides.NoFallback = true }))
		if e := wantErr(t, err, llm.KindInvalidRequest, "stop sequences"); e.Param != "stop" || e.HTTPStatus() != 400 {
			t.Errorf("%s: param %q status %d", model, e.Param, e.HTTPStatus())
		}
	}
}

// TestChoiceLimits checks that n above what a wire format returns skips
// those deployments (Anthropic: 1, Gemini: 8, OpenAI: no bound here), and
// that a pin on one is a 400 on param n.
func TestChoiceLimits(t *testing.T) {
	cfg, err := config.Parse([]byte(logprobsFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	choices := func(n int) func(*Input) { return func(in *Input) { in.Features.Choices = n } }
	for _, tt := range []struct {
		n    int
		want string
	}{{0, "claude,gpt,flash"}, {2, "gpt,flash"}, {8, "gpt,flash"}, {9, "gpt"}} {
		if got := order(mustPlan(t, p, req("mixed", llm.CategoryChat, choices(tt.n)))); got != tt.want {
			t.Errorf("n=%d: plan %s, want %s", tt.n, got, tt.want)
		}
	}
	plan := mustPlan(t, p, req("mixed", llm.CategoryChat, choices(9)))
	for name, detail := range map[string]string{
		"claude": "returns one choice per request, and the request asks for 9 (n)",
		"flash":  "returns at most 8 choices per request, and the request asks for 9 (n)",
	} {
		if r := findRejection(plan, name); r == nil || r.Reason != ReasonChoices || r.Detail() != detail {
			t.Errorf("%s rejection %+v", name, r)
		}
	}
	_, err = p.Plan(req("claude", llm.CategoryChat, choices(2)))
	if e := wantErr(t, err, llm.KindInvalidRequest, "one choice per request"); e.Param != "n" {
		t.Errorf("pinned: param %q", e.Param)
	}
}

// TestTemperatureLimits checks that a temperature above 1 (OpenAI's and
// Gemini's range goes to 2) skips the Anthropic deployments, whose range
// ends at 1, saying why, and that a pin on one is a 400 on temperature.
func TestTemperatureLimits(t *testing.T) {
	cfg, err := config.Parse([]byte(logprobsFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	temp := func(v float64) func(*Input) { return func(in *Input) { in.Features.Temperature = v } }
	for _, tt := range []struct {
		t    float64
		want string
	}{{0, "claude,gpt,flash"}, {1, "claude,gpt,flash"}, {1.01, "gpt,flash"}, {2, "gpt,flash"}} {
		if got := order(mustPlan(t, p, req("mixed", llm.CategoryChat, temp(tt.t)))); got != tt.want {
			t.Errorf("temperature %g: plan %s, want %s", tt.t, got, tt.want)
		}
	}
	r := findRejection(mustPlan(t, p, req("mixed", llm.CategoryChat, temp(1.5))), "claude")
	if r == nil || r.Reason != ReasonTemperature || r.By != "request" || r.Detail() != "takes a temperature of at most 1, and the request asks for 1.5" {
		t.Errorf("claude rejection %+v", r)
	}
	_, err = p.Plan(req("claude", llm.CategoryChat, temp(1.5)))
	if e := wantErr(t, err, llm.KindInvalidRequest, "temperature of at most 1"); e.Param != "temperature" || e.HTTPStatus() != 400 {
		t.Errorf("pinned: param %q status %d", e.Param, e.HTTPStatus())
	}
}

// TestMaxOutputLimits checks that max_tokens above a deployment's
// max_output_tokens (which every provider refuses) skips it, saying why,
// that an unknown limit is not checked, and that a pin is a 400 on
// max_tokens.
func TestMaxOutputLimits(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  oai: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
  ant: {kind: anthropic, base_url: "http://127.0.0.1:2"}
deployments:
  mini:    {provider: oai, price: {input: 1, output: 2}, max_output_tokens: 16384}
  haiku:   {provider: ant, price: {input: 1, output: 2}, max_output_tokens: 64000}
  unknown: {provider: oai, price: {input: 1, output: 2}}
routes:
  all: {deployments: [mini, haiku, unknown], strategy: ordered}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	maxTokens := func(n int) func(*Input) { return func(in *Input) { in.Features.MaxTokens = n } }
	for _, tt := range []struct {
		n    int
		want string
	}{{0, "mini,haiku,unknown"}, {16384, "mini,haiku,unknown"}, {16385, "haiku,unknown"}, {64001, "unknown"}} {
		if got := order(mustPlan(t, p, req("all", llm.CategoryChat, maxTokens(tt.n)))); got != tt.want {
			t.Errorf("max_tokens %d: plan %s, want %s", tt.n, got, tt.want)
		}
	}
	r := findRejection(mustPlan(t, p, req("all", llm.CategoryChat, maxTokens(20000))), "mini")
	if r == nil || r.Reason != ReasonMaxOutput || r.By != "request" || r.Detail() != "writes at most 16384 tokens (max_output_tokens), and the request asks for up to 20000 (max_tokens)" {
		t.Errorf("mini rejection %+v", r)
	}
	_, err = p.Plan(req("mini", llm.CategoryChat, maxTokens(20000)))
	if e := wantErr(t, err, llm.KindInvalidRequest, "writes at most 16384 tokens"); e.Param != "max_tokens" || e.HTTPStatus() != 400 {
		t.Errorf("pinned: param %q status %d", e.Param, e.HTTPStatus())
	}
}

// TestBlankStopSequence checks that a stop sequence of whitespace alone
// skips the Anthropic deployments, which refuse it, and that a pin on one
// is a 400 on stop.
func TestBlankStopSequence(t *testing.T) {
	cfg, err := config.Parse([]byte(logprobsFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	blank := func(in *Input) { in.Features.StopSequences, in.Features.BlankStop = 1, true }
	plan := mustPlan(t, p, req("mixed", llm.CategoryChat, blank))
	if got := order(plan); got != "gpt,flash" {
		t.Errorf("plan %s, want gpt,flash", got)
	}
	if r := findRejection(plan, "claude"); r == nil || r.Reason != ReasonBlankStop || r.Detail() != "takes no stop sequence of whitespace alone (Anthropic refuses it)" {
		t.Errorf("claude rejection %+v", r)
	}
	_, err = p.Plan(req("claude", llm.CategoryChat, blank))
	if e := wantErr(t, err, llm.KindInvalidRequest, "whitespace alone"); e.Param != "stop" {
		t.Errorf("pinned: param %q", e.Param)
	}
}

// TestAudioOutput checks that a request for a spoken answer (modalities
// with audio, or audio options) needs an OpenAI-format deployment: a
// route skips the others, and a pin on one is a 400 on modalities.
func TestAudioOutput(t *testing.T) {
	for body, want := range map[string]bool{
		`{"modalities":["text","audio"]}`: true, `{"audio":{"voice":"alloy","format":"wav"}}`: true,
		`{"modalities":["text"]}`: false, `{"audio":null}`: false, `{"service_tier":"audio"}`: false,
	} {
		var extra map[string]json.RawMessage
		if err := json.Unmarshal([]byte(body), &extra); err != nil {
			t.Fatal(err)
		}
		if got := NeedsOf(&llm.Request{Extra: extra})&NeedAudio != 0; got != want {
			t.Errorf("%s: needs audio %v, want %v", body, got, want)
		}
	}
	cfg, err := config.Parse([]byte(logprobsFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	audio := func(in *Input) { in.Features.Needs = NeedAudio }
	plan := mustPlan(t, p, req("mixed", llm.CategoryChat, audio))
	if got := order(plan); got != "gpt" {
		t.Errorf("plan %s, want gpt", got)
	}
	if r := findRejection(plan, "flash"); r == nil || r.Reason != ReasonAudio || r.Detail() != "does not answer in audio (only OpenAI and Azure deployments do)" {
		t.Errorf("flash rejection %+v", r)
	}
	_, err = p.Plan(req("claude", llm.CategoryChat, audio))
	if e := wantErr(t, err, llm.KindInvalidRequest, "does not answer in audio"); e.Param != "modalities" {
		t.Errorf("pinned: param %q", e.Param)
	}
}

// TestOtherContentParts checks that audio and file parts (PartOther) skip
// Anthropic deployments, whose adapter takes text and images only, and
// keep OpenAI-format and Gemini ones.
func TestOtherContentParts(t *testing.T) {
	req0 := &llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{
		llm.ImagePart("https://x/y.png", ""), llm.OtherPart(json.RawMessage(`{"type":"input_audio"}`)),
	}}}}
	if n := NeedsOf(req0); n != NeedVision|NeedOtherParts || n.String() != "vision,other_parts" {
		t.Errorf("needs %s, want vision,other_parts", n)
	}
	cfg, err := config.Parse([]byte(logprobsFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	plan := mustPlan(t, p, req("mixed", llm.CategoryChat, func(in *Input) { in.Features.Needs = NeedOtherParts }))
	if got := order(plan); got != "gpt,flash" {
		t.Errorf("plan %s, want gpt,flash", got)
	}
	if r := findRejection(plan, "claude"); r == nil || r.Reason != ReasonOtherParts {
		t.Errorf("claude rejection %+v", r)
	}
}

// A file by an OpenAI file_id (a content part Claude's adapter does not
// take either) is refused for what it is: a Claude deployment too is
// passed over for the file id (ReasonFileID, whose error names the
// file_id param), not for content parts in general.
func TestFileIDRejectionNamesFileID(t *testing.T) {
	cfg, err := config.Parse([]byte(logprobsFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	plan := mustPlan(t, p, req("mixed", llm.CategoryChat, func(in *Input) { in.Features.Needs = NeedOtherParts | NeedFileID }))
	if got := order(plan); got != "gpt" {
		t.Errorf("plan %s, want gpt", got)
	}
	for _, dep := range []string{"claude", "flash"} {
		if r := findRejection(plan, dep); r == nil || r.Reason != ReasonFileID || rejectionParam(r) != "file_id" {
			t.Errorf("%s rejection %+v", dep, r)
		}
	}
}
