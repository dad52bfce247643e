package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	f.Add(Example())
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"", "{}", "[]", "~", "a: &x [*x]", "a: &a {<<: *a}", "x-a: &a {kind: openai}\nproviders: {p: {<<: [*a, *a]}}",
		"providers: {p: !!map {kind: openai}}", "server: {addr: ${A:-${B}}}", "? [a]\n: b", "deployments: {d: {price: {input: 1e400}}}",
		"deployments: {d: {price: {per_image: {\"1024x1024/hd\": 0.08, 1536x1024: 1, x: 2}, per_character: 1e400}}}",
		"deployments: {d: {capabilities: [transcription], price: {per_image: &a 0.1, per_second: *a, audio_input: ~}}}",
		"deployments: {d: {capabilities: [speech], price: {chat_audio_input: -0, chat_audio_output: [1], per_character: 1}}}",
		"deployments: {d: {price: {input: 0.1, output: 0.5, long_prompt: {above_tokens: 100_000, input: 0.5, output: 2.5, cache_write_1h: ~}}}}",
		"deployments: {d: {price: {long_prompt: {above_tokens: 1e9, input: -1, reasoning: [1]}}}}\ndeployments2: {e: {price: {long_prompt: ~}}}",
		"deployments: {d: {price: {long_prompt: none}}, e: {price: {long_prompt: 'non${X}'}}, f: {price: {long_prompt: 1}}}",
		"providers: {a: {kind: anthropic}}\ndeployments: {d: {provider: a, model: claude-opus-4-6, inference_geo: us}, e: {provider: a, inference_geo: [us]}, f: {inference_geo: eu}}",
		"routes:\n  r:\n    deployments:\n      - *nope\n", "%YAML 1.2\n---\na: 1\n", "\ufeffa: 1\r\n", "x: [[{a: [[]]}]]", "- - - - x\n- y",
		"resilience: {retries: 0, backoff: {base: 2s}, health: {breaker: {failure_ratio: 1}, latency: {spike_factor: 1.5}}}",
		"providers: {p: {kind: openai, api_keys: [a, b], endpoints: [{base_url: \"http://[::1]:1/\"}, {api_key: c, weight: 2}], balance: weighted}}\ndeployments: {d: {provider: p}}\nroutes: {r: {deployments: [d], hedge: {quantile: 0.5}}}",
		"providers: {p: {kind: openai, base_url: \"http://127.0.0.1:1/v1\"}}\ndeployments: {d: {provider: p}}\ndrift: {action: demote, daily_cap_usd: 1, webhook: {url: \"https://h.example/x?t=1\"}, sets: [{name: starter, interval: 1h, jitter: 5m, deployments: [d], prompts: 3}], live: {interval: 15m}}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, allKeys)
		if err == nil {
			if c == nil {
				t.Fatal("nil Config and nil error")
			}
			if err := c.Validate(); err != nil {
				t.Fatalf("a parsed config does not validate again: %v", err)
			}
			return
		}
		if c != nil {
			t.Fatal("Config returned with an error")
		}
		var errs Errors
		if !errors.As(err, &errs) || len(errs) == 0 {
			t.Fatalf("error %T is not a non-empty Errors: %v", err, err)
		}
		for _, e := range errs {
			if e == nil || e.Problem == "" {
				t.Fatalf("empty FieldError in %v", err)
			}
		}
	})
}

// FuzzExpand is the ${VAR} expansion alone, fuzzed apart from Parse (whose
// large instrumented package makes the fuzzing engine itself slow): a
// value without ${ comes back unchanged but for $$; an error never holds
// a variable's value or a default's text, which may be secret.
func FuzzExpand(f *testing.F) {
	for _, s := range []string{"plain", "$$", "${A}", "${A:-x}", "${B:-}", "${A", "${1A}", "$", "a$b${A}c$${A}", "${A:-${B}}", "${}"} {
		f.Add(s)
	}
	getenv := func(name string) (string, bool) {
		switch name {
		case "A":
			return "SECRET-A", true
		case "EMPTY":
			return "", true
		}
		return "", false
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, problem, hint := expand(s, getenv)
		if problem != "" {
			if out != "" {
				t.Fatalf("expand(%q) failed with output %q", s, out)
			}
			for _, msg := range []string{problem, hint} {
				if strings.Contains(msg, "SECRET") {
					t.Fatalf("expand(%q): the message %q holds a value", s, msg)
				}
			}
			return
		}
		if !strings.Contains(s, "${") && out != strings.ReplaceAll(s, "$$", "$") {
			t.Fatalf("expand(%q) = %q with no ${ in it", s, out)
		}
	})
}
