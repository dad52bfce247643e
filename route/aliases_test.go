package route

import (
	"testing"

	"switchyard/config"
)

func TestModelFamily(t *testing.T) {
	for in, want := range map[string]string{
		"claude-sonnet-4-5-20250929":   "claude-sonnet-4-5",
		"claude-sonnet-4-5@20250929":   "claude-sonnet-4-5",
		"anthropic/claude-sonnet-4.5":  "claude-sonnet-4-5",
		"claude-3-5-haiku-latest":      "claude-3-5-haiku",
		"gpt-4o-2024-08-06":            "gpt-4o",
		"openai/gpt-4.1":               "gpt-4-1",
		"models/gemini-2.5-flash":      "gemini-2-5-flash",
		"GPT-4o":                       "gpt-4o",
		"gpt-4-0613":                   "gpt-4-0613",                 // four digits: not a date
		"qwen2.5-coder-32k-12345678":   "qwen2-5-coder-32k-12345678", // not a plausible year
		"meta-llama/Llama-3.1-8B":      "llama-3-1-8b",
		"accounts/fireworks/models/x1": "x1",
		"":                             "",
	} {
		if got := ModelFamily(in); got != want {
			t.Errorf("ModelFamily(%q) = %q, want %q", in, got, want)
		}
	}
}

const aliasFixture = `
providers:
  p: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
  a: {kind: anthropic, base_url: "http://127.0.0.1:1"}
deployments:
  sonnet-eu:   {provider: a, model: claude-sonnet-4-5}
  sonnet-us:   {provider: a, model: claude-sonnet-4-5}
  mini-prod:   {provider: p, model: gpt-4o-mini-2024-07-18, aliases: [small]}
  azure-chat:  {provider: p, model: chat-prod, base_model: gpt-4o}
  gpt-4o-mini: {provider: p}
routes:
  support:
    aliases: [gpt-4, gpt-4-turbo]
    deployments: [sonnet-eu, mini-prod]
`

func TestResolve(t *testing.T) {
	cfg, err := config.Parse([]byte(aliasFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	for _, c := range []struct {
		asked, want string
		aliased, ok bool
	}{
		{"support", "support", false, true},
		{"auto", "auto", false, true},
		{"gpt-4o-mini", "gpt-4o-mini", false, true},              // a name wins over mini-prod's model id's family
		{"gpt-4", "support", true, true},                         // a route's declared alias
		{"small", "mini-prod", true, true},                       // a deployment's declared alias
		{"gpt-4o-mini-2024-07-18", "mini-prod", true, true},      // a model id as written
		{"claude-sonnet-4-5", "sonnet-eu", true, true},           // served by two: the first by name
		{"claude-sonnet-4-5-20250929", "sonnet-eu", true, true},  // a dated snapshot of it
		{"anthropic/claude-sonnet-4.5", "sonnet-eu", true, true}, // OpenRouter's spelling
		{"gpt-4o", "azure-chat", true, true},                     // a base_model
		{"gpt-4o-2024-08-06", "azure-chat", true, true},          // its snapshot
		{"chat-prod", "azure-chat", true, true},                  // the upstream name
		{"claude-opus-4-1", "", false, false},
		{"", "", false, false},
	} {
		got, aliased, ok := p.Resolve(c.asked)
		if got != c.want || aliased != c.aliased || ok != c.ok {
			t.Errorf("Resolve(%q) = %q, %t, %t; want %q, %t, %t", c.asked, got, aliased, ok, c.want, c.aliased, c.ok)
		}
	}
}

// An alias shows in the explanation and the x-switchyard-route summary.
func TestAliasExplained(t *testing.T) {
	p := testPolicy(t)
	in := req("support", "chat")
	in.Alias = "gpt-4"
	plan, err := p.Plan(in)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Explanation.Alias != "gpt-4" {
		t.Errorf("Explanation.Alias = %q", plan.Explanation.Alias)
	}
	if s := plan.Summary(0, plan.First(), 1); s[:len("alias=gpt-4; route=support")] != "alias=gpt-4; route=support" {
		t.Errorf("summary %q does not start with the alias", s)
	}
}

// Resolving a name that is a route or deployment allocates nothing: it
// is on every request's path.
func TestResolveNameAllocatesNothing(t *testing.T) {
	p := testPolicy(t)
	if n := testing.AllocsPerRun(100, func() { p.Resolve("support"); p.Resolve("mini") }); n != 0 {
		t.Errorf("Resolve of a name: %v allocations", n)
	}
}
