package config

import (
	"errors"
	"strings"
	"testing"
)

const okProvider = "providers: {openai: {kind: openai, api_key: k}}\n"

func TestMistakes(t *testing.T) {
	tests := []struct {
		name      string
		yaml      string
		path      string
		line, col int
		problem   string // substring
		hint      string // substring
	}{
		{"unknown field with suggestion", "deployments:\n  d:\n    provider: openai\n    prise: {input: 1}\n",
			"deployments.d", 4, 5, `unknown field "prise"`, `did you mean "price"?; allowed: provider, model, base_model, price,`},
		{"unknown top-level field", "rutes: {}\n",
			"", 1, 1, `unknown field "rutes"`, `did you mean "routes"?`},
		{"unknown field without suggestion", "server: {zzzzzz: 1}\n",
			"server", 1, 10, `unknown field "zzzzzz"`, "allowed: addr, max_body_bytes"},
		{"bad kind", "providers:\n  p: {kind: opanai, api_key: k}\n",
			"providers.p.kind", 2, 13, `unknown kind "opanai"`, `did you mean "openai"?; valid kinds: openai, azure, anthropic, gemini`},
		{"missing kind", "providers:\n  p: {api_key: k}\n",
			"providers.p.kind", 2, 3, "is required", "one of: openai, azure, anthropic, gemini"},
		{"missing provider", okProvider + "deployments:\n  d: {provider: opnai}\n",
			"deployments.d.provider", 3, 17, `provider "opnai" is not configured`, `did you mean "openai"?; configured providers: openai`},
		{"route names missing deployment", "deployments: {mini: {provider: p}}\nroutes:\n  r: {deployments: [mini, mnii]}\n",
			"routes.r.deployments[1]", 3, 27, `deployment "mnii" is not configured`, `did you mean "mini"?; configured deployments: mini`},
		{"bad duration", "server:\n  request_timeout: 10 minutes\n",
			"server.request_timeout", 2, 20, `must be a duration, got string "10 minutes"`, `"30s"`},
		{"duration without unit", "providers:\n  p: {kind: openai, api_key: k, timeout: 30}\n",
			"providers.p.timeout", 2, 42, "must be a duration, got number 30", `"30s"`},
		{"string where number", "deployments:\n  d:\n    price: {input: cheap}\n",
			"deployments.d.price.input", 3, 20, `must be a number, got string "cheap"`, "USD per 1M tokens"},
		{"string where integer", "deployments:\n  d: {context_window: 128k}\n",
			"deployments.d.context_window", 2, 23, `must be an integer, got string "128k"`, "tokens"},
		{"mapping where string", "deployments:\n  d: {provider: {name: openai}}\n",
			"deployments.d.provider", 2, 17, "must be a string, got a mapping", ""},
		{"scalar where list", "deployments:\n  d: {capabilities: tools}\n",
			"deployments.d.capabilities", 2, 21, "must be a list, got a string", "e.g. [tools"},
		{"negative price", "deployments:\n  d:\n    price: {input: -1}\n",
			"deployments.d.price.input", 3, 20, "must be >= 0, got -1", "prices are USD per 1M tokens"},
		{"negative reasoning price", "deployments:\n  d:\n    price: {input: 1, output: 2, reasoning: -3}\n",
			"deployments.d.price.reasoning", 3, 45, "must be >= 0, got -3", "prices are USD per 1M tokens"},
		{"negative cache write price", "deployments:\n  d:\n    price: {cache_write: -1}\n",
			"deployments.d.price.cache_write", 3, 26, "must be >= 0, got -1", "prices are USD per 1M tokens"},
		{"negative one-hour cache write price", "deployments:\n  d:\n    price: {cache_write_1h: -2}\n",
			"deployments.d.price.cache_write_1h", 3, 29, "must be >= 0, got -2", "prices are USD per 1M tokens"},
		{"bad capability", "deployments:\n  d: {capabilities: [tools, vison]}\n",
			"deployments.d.capabilities[1]", 2, 29, `unknown capability "vison"`, `did you mean "vision"?; valid capabilities: tools,`},
		{"invalid base_url", "providers:\n  p: {kind: openai, api_key: k, base_url: api.example.com/v1}\n",
			"providers.p.base_url", 2, 43, `"api.example.com/v1" is not an absolute http(s) URL`, "e.g. https://"},
		{"azure needs base_url", "providers:\n  az: {kind: azure, api_key: k}\n",
			"providers.az.base_url", 2, 3, "is required for kind azure", "https://NAME.openai.azure.com"},
		{"api_key required off loopback", "providers:\n  p: {kind: openai, base_url: \"http://10.0.0.5:8000/v1\"}\n",
			"providers.p.api_key", 2, 3, "is required", "${OPENAI_API_KEY}"},
		{"api_version on openai", "providers:\n  p: {kind: openai, api_key: k, api_version: v1}\n",
			"providers.p.api_version", 2, 46, "api_version is only used by kind azure and anthropic", "remove it"},
		{"route name equals deployment", "deployments: {mini: {provider: p}}\nroutes:\n  mini: {deployments: [mini]}\n",
			"routes.mini", 3, 3, `route name "mini" is also a deployment name`, "ambiguous"},
		{"bad name", "deployments:\n  \"gpt 4o\": {provider: openai}\n",
			"deployments.gpt 4o", 2, 3, `invalid name "gpt 4o"`, "letters, digits and . _ : / -"},
		{"empty route", "deployments: {mini: {provider: p}}\nroutes:\n  r: {deployments: []}\n",
			"routes.r.deployments", 3, 7, "must list at least one deployment", "configured deployments: mini"},
		{"duplicate key", "deployments:\n  d: {provider: openai}\n  d: {provider: openai}\n",
			"deployments.d", 3, 3, `duplicate key "d", first defined at line 2`, "remove or rename"},
		{"duplicate field", "server:\n  addr: \":1\"\n  addr: \":2\"\n",
			"server.addr", 3, 3, `duplicate key "addr"`, ""},
		{"duplicate section", "routes: {}\nserver: {}\nroutes: {}\n",
			"routes", 3, 1, `duplicate key "routes", first defined at line 1`, ""},
		{"unset variable", "providers:\n  p:\n    kind: openai\n    api_key: ${NOPE_KEY}\n",
			"providers.p.api_key", 4, 14, "environment variable NOPE_KEY is not set", "export it, or use ${NOPE_KEY:-default}"},
		{"variable's value not quoted", "providers:\n  p: {kind: \"${K:-opanai}\", api_key: k}\n",
			"providers.p.kind", 2, 13, `unknown kind the value of "${K:-opanai}"`, `did you mean "openai"?`},
		{"zero body limit", "server: {max_body_bytes: 0}\n",
			"server.max_body_bytes", 1, 26, "must be > 0, got 0", "omit it for the default"},
		{"zero read timeout", "server: {read_timeout: 0s}\n",
			"server.read_timeout", 1, 24, "must be > 0, got 0s", "omit it for the default"},
		{"write timeout without unit", "server:\n  write_timeout: 30\n",
			"server.write_timeout", 2, 18, "must be a duration, got number 30", `"30s"`},
		{"negative concurrency", "server: {max_concurrent_requests: -1}\n",
			"server.max_concurrent_requests", 1, 35, "must be > 0, got -1", "requests served at once"},
		{"inflight below body limit", okProvider + "deployments: {d: {provider: openai}}\nserver: {max_body_bytes: 2048, max_inflight_bytes: 1024}\n",
			"server.max_inflight_bytes", 3, 52, "must be at least server.max_body_bytes (2048), got 1024", "could never be admitted"},
		{"inflight below audio limit", okProvider + "deployments: {d: {provider: openai}}\nserver: {max_body_bytes: 1024, max_audio_bytes: 2048, max_inflight_bytes: 1024}\n",
			"server.max_inflight_bytes", 3, 75, "must be at least server.max_audio_bytes (2048), got 1024", "could never be admitted"},
		{"negative audio limit", "server: {max_audio_bytes: -1}\n",
			"server.max_audio_bytes", 1, 27, "must be > 0, got -1", "bytes, e.g. 26214400"},
		{"inflight below image limit", okProvider + "deployments: {d: {provider: openai}}\nserver: {max_body_bytes: 1024, max_audio_bytes: 1024, max_image_bytes: 4096, max_inflight_bytes: 2048}\n",
			"server.max_inflight_bytes", 3, 98, "must be at least server.max_image_bytes (4096), got 2048", "could never be admitted"},
		{"negative image limit", "server: {max_image_bytes: -1}\n",
			"server.max_image_bytes", 1, 27, "must be > 0, got -1", "bytes, e.g. 52428800"},
		{"zero answer limit", "server: {max_answer_bytes: 0}\n",
			"server.max_answer_bytes", 1, 28, "must be > 0, got 0", "omit it for the default"},
		{"answer limit below 64 KiB", okProvider + "deployments: {d: {provider: openai}}\nserver: {max_answer_bytes: 65535}\n",
			"server.max_answer_bytes", 3, 28, "must be between 65536 (64 KiB) and 1073741824 (1 GiB), got 65535", "largest answer held whole"},
		{"answer limit over 1 GiB", okProvider + "deployments: {d: {provider: openai}}\nserver: {max_answer_bytes: 2_000_000_000}\n",
			"server.max_answer_bytes", 3, 28, "must be between 65536 (64 KiB) and 1073741824 (1 GiB), got 2000000000", "e.g. 33554432 for 32 MiB"},
		{"images on anthropic", "providers: {c: {kind: anthropic, api_key: k}}\ndeployments: {d: {provider: c, model: claude-x, capabilities: [vision, images]}}\n",
			"deployments.d.capabilities[1]", 2, 72, "a provider of kind anthropic has no images endpoint", "only deployments of kind openai and azure"},
		{"completions on gemini", "providers: {g: {kind: gemini, api_key: k}}\ndeployments: {d: {provider: g, model: gemini-x, capabilities: [completions]}}\n",
			"deployments.d.capabilities[0]", 2, 64, "a provider of kind gemini has no completions endpoint", "serve images, speech, transcription, completions and realtime"},
		{"shutdown delay too long", "server: {shutdown_delay: 1h}\n",
			"server.shutdown_delay", 1, 26, "must be from 0 to 10m, got 1h0m0s", "load balancer"},
		{"bad addr", "server: {addr: localhost}\n",
			"server.addr", 1, 16, `"localhost" is not a host:port listen address`, `":8080"`},
		{"empty auth key", "auth: {keys: [\"${K:-}\"]}\n",
			"auth.keys[0]", 1, 15, "is empty", "an empty list disables auth"},
		{"bad header name", "providers:\n  p: {kind: openai, api_key: k, headers: {\"X Org\": a}}\n",
			"providers.p.headers.X Org", 2, 52, `invalid header name "X Org"`, "letters, digits"},
		{"output over context", "deployments:\n  d: {context_window: 10, max_output_tokens: 20}\n",
			"deployments.d.max_output_tokens", 2, 46, "20 exceeds context_window 10", ""},
		{"no deployments", okProvider,
			"deployments", 0, 0, "at least one deployment is required", "e.g. deployments:"},
		{"syntax error", "providers:\n  p: {kind: openai\n",
			"", 2, 6, "invalid YAML", "indentation"},
		{"unquoted variable in a flow mapping", "providers:\n  openai: {kind: openai, api_key: ${OPENAI_KEY}}\n",
			"", 2, 36, "invalid YAML", `must be quoted ("${VAR}")`},
		{"tab indentation", "server:\n\taddr: x\n",
			"", 2, 1, "invalid YAML", ""},
		{"not a mapping", "- a\n- b\n",
			"", 1, 1, "must be a mapping (key: value), got a list", ""},
		{"two documents", "server: {}\n---\nserver: {}\n",
			"", 3, 7, "more than one YAML document", "remove the --- separator"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), nil)
			fe := findError(t, err, tt.path, tt.problem)
			for _, e := range err.(Errors) {
				if e.Hint == "" {
					t.Errorf("no hint in %q", e)
				}
			}
			if fe.Line != tt.line || fe.Column != tt.col {
				t.Errorf("position = %d:%d, want %d:%d (%v)", fe.Line, fe.Column, tt.line, tt.col, fe)
			}
			if !strings.Contains(fe.Hint, tt.hint) {
				t.Errorf("hint = %q, want it to contain %q", fe.Hint, tt.hint)
			}
			if tt.hint != "" && !strings.Contains(fe.Error(), "("+fe.Hint+")") {
				t.Errorf("Error() = %q does not carry the hint", fe.Error())
			}
		})
	}
}

// findError returns the error at path whose problem contains problem.
func findError(t *testing.T, err error, path, problem string) *FieldError {
	t.Helper()
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("error = %#v, want Errors", err)
	}
	for _, e := range errs {
		if e.Path == path && strings.Contains(e.Problem, problem) {
			return e
		}
	}
	t.Fatalf("no error at %q with problem %q; got:\n%v", path, problem, err)
	return nil
}

func TestMultipleErrors(t *testing.T) {
	src := `server:
  request_timeout: soon
providers:
  openai: {kind: openia}
deployments:
  mini:
    provider: openai
    price: {input: -0.5, output: free}
    capabilities: [tools, telepathy]
routes:
  auto: {deployments: [mini, maxi]}
  mini: {deployments: [mini]}
`
	_, err := Parse([]byte(src), nil)
	want := []string{
		`2:20: server.request_timeout: must be a duration, got string "soon"`,
		`4:3: providers.openai.api_key: is required`,
		`4:18: providers.openai.kind: unknown kind "openia"`,
		`8:20: deployments.mini.price.input: must be >= 0, got -0.5`,
		`8:34: deployments.mini.price.output: must be a number, got string "free"`,
		`9:27: deployments.mini.capabilities[1]: unknown capability "telepathy"`,
		`11:30: routes.auto.deployments[1]: deployment "maxi" is not configured`,
		`12:3: routes.mini: route name "mini" is also a deployment name`,
	}
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(errs), len(want), err)
	}
	lines := strings.Split(err.Error(), "\n")
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("error %d = %q, want prefix %q", i, lines[i], w)
		}
	}
	for i := 1; i < len(errs); i++ {
		if errs[i].Line < errs[i-1].Line {
			t.Errorf("errors not sorted by line: %d after %d", errs[i].Line, errs[i-1].Line)
		}
	}
}

func TestFieldErrorFormat(t *testing.T) {
	tests := []struct {
		e    FieldError
		want string
	}{
		{FieldError{File: "switchyard.yaml", Path: "deployments.gpt-4o-mini.price.input", Line: 12, Column: 5,
			Problem: "must be >= 0, got -1", Hint: "prices are USD per 1M tokens"},
			"switchyard.yaml:12:5: deployments.gpt-4o-mini.price.input: must be >= 0, got -1 (prices are USD per 1M tokens)"},
		{FieldError{Path: "a.b", Line: 1, Column: 2, Problem: "bad"}, "1:2: a.b: bad"},
		{FieldError{Path: "a.b", Problem: "bad", Hint: "h"}, "a.b: bad (h)"},
		{FieldError{File: "f.yaml", Problem: "invalid YAML"}, "f.yaml: invalid YAML"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		got        string
		candidates []string
		want       string
	}{
		{"prise", []string{"provider", "model", "price"}, "price"},
		{"claude-hiaku", []string{"claude-haiku", "gpt-4o"}, "claude-haiku"},
		{"OpenAI", kinds, "openai"},
		{"xyz", []string{"provider", "model"}, ""},
		{"a", []string{"b"}, ""},
		{"ab", []string{"ac"}, "ac"},
		{"", []string{"a"}, ""},
	}
	for _, tt := range tests {
		if got := suggest(tt.got, tt.candidates); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.got, got, tt.want)
		}
	}
}
