package anthropic

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"switchyard/sim"
)

// newGen5Server is a simulator serving Claude models of generation 5 and
// the 4.x models whose rules they changed.
func newGen5Server(t *testing.T) *httptest.Server {
	t.Helper()
	var ps []sim.Profile
	for _, m := range []string{"claude-opus-5-5", "claude-sonnet-5-5", "claude-sonnet-5", "claude-opus-5", "claude-haiku-5-5", "claude-fable-5-1", "claude-fable-5", "claude-opus-4-7", "claude-sonnet-4-6", "claude-haiku-4-5"} {
		ps = append(ps, sim.Profile{Model: m, MaxOutputTokens: 64000})
	}
	srv := httptest.NewServer(New(sim.NewCatalog(ps...), &sim.Faults{}))
	t.Cleanup(func() {
		srv.Client().CloseIdleConnections()
		srv.Close()
	})
	return srv
}

// TestModelRules: each model refuses what Anthropic documents it refuses,
// with a 400 invalid_request_error worded as the API words it, and takes
// what it documents it takes.
func TestModelRules(t *testing.T) {
	srv := newGen5Server(t)
	const (
		disabledAdaptive = `"thinking.type.disabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`
		disabledBetween  = `"thinking.type.disabled" is not supported for this model. Use "thinking.type.between_tools" for the lowest thinking setting, or "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`
		enabled          = `"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`
		forced           = `tool_choice: type "tool" and "any" are not supported for this model.`
		prefill          = "This model does not support assistant message prefill. The conversation must end with a user message."
		oneSampler       = "`temperature` and `top_p` cannot both be specified for this model. Please use only one."
		tools            = `"tools":[{"name":"f","input_schema":{"type":"object"}}],`
	)
	for _, c := range []struct {
		model, fields string
		err           string // "" for a 200
	}{
		{"claude-opus-5-5", `"thinking":{"type":"disabled"},`, disabledAdaptive},
		{"claude-opus-5-5", `"thinking":{"type":"enabled","budget_tokens":2048},`, enabled},
		{"claude-opus-5-5", tools + `"tool_choice":{"type":"any"},`, forced},
		{"claude-opus-5-5", tools + `"tool_choice":{"type":"tool","name":"f"},`, forced},
		{"claude-opus-5-5", tools + `"tool_choice":{"type":"auto"},`, ""},
		{"claude-opus-5-5", tools + `"tool_choice":{"type":"none"},`, ""},
		{"claude-opus-5-5", `"temperature":0.2,`, "`temperature` is deprecated for this model."},
		{"claude-opus-5-5", `"temperature":1,`, ""},
		{"claude-opus-5-5", `"top_p":0.9,`, "`top_p` is deprecated for this model."},
		{"claude-opus-5-5", `"top_k":5,`, "`top_k` is deprecated for this model."},
		{"claude-opus-5-5", `"thinking":{"type":"adaptive"},"output_config":{"effort":"max"},`, ""},
		{"claude-opus-5-5", `"thinking":{"type":"between_tools"},`, `"thinking.type.between_tools" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`},
		{"claude-fable-5-1", `"thinking":{"type":"disabled"},`, disabledAdaptive},
		{"claude-fable-5-1", tools + `"tool_choice":{"type":"any"},`, forced},
		{"claude-fable-5", tools + `"tool_choice":{"type":"any"},`, ""},
		{"claude-sonnet-5-5", `"thinking":{"type":"disabled"},`, disabledBetween},
		{"claude-sonnet-5-5", `"thinking":{"type":"between_tools"},`, ""},
		{"claude-sonnet-5-5", `"thinking":{"type":"between_tools"},"output_config":{"effort":"low"},`, ""},
		{"claude-sonnet-5-5", `"thinking":{"type":"between_tools"},"output_config":{"effort":"xhigh"},`, `"thinking.type.between_tools" is not supported at effort "xhigh". Use "thinking.type.adaptive" to run at "xhigh" or "max".`},
		{"claude-sonnet-5-5", `"thinking":{"type":"between_tools","display":"summarized"},`, "thinking.between_tools.display: Extra inputs are not permitted"},
		{"claude-sonnet-5-5", `"thinking":{"type":"enabled","budget_tokens":2048},`, enabled},
		{"claude-sonnet-5-5", tools + `"tool_choice":{"type":"tool","name":"f"},`, forced},
		{"claude-sonnet-5", `"thinking":{"type":"disabled"},"output_config":{"effort":"xhigh"},`, ""},
		{"claude-sonnet-5", `"thinking":{"type":"enabled","budget_tokens":2048},`, enabled},
		{"claude-sonnet-5", `"top_k":5,`, "`top_k` is deprecated for this model."},
		{"claude-opus-5", `"thinking":{"type":"disabled"},"output_config":{"effort":"high"},`, ""},
		{"claude-opus-5", `"thinking":{"type":"disabled"},"output_config":{"effort":"xhigh"},`, `"thinking.type.disabled" is not supported at effort "xhigh" on this model. Use effort "high" or below, or "thinking.type.adaptive".`},
		{"claude-opus-5", tools + `"tool_choice":{"type":"any"},`, ""},
		{"claude-haiku-5-5", `"thinking":{"type":"disabled"},`, ""},
		{"claude-haiku-5-5", `"thinking":{"type":"disabled"},"output_config":{"effort":"max"},`, `"thinking.type.disabled" is not supported at effort "max" on this model. Use effort "high" or below, or "thinking.type.adaptive".`},
		{"claude-opus-4-7", `"temperature":0.5,`, "`temperature` is deprecated for this model."},
		{"claude-opus-4-7", `"thinking":{"type":"enabled","budget_tokens":2048},`, enabled},
		{"claude-sonnet-4-6", `"temperature":0.5,`, ""},
		{"claude-haiku-4-5", `"temperature":0.5,"top_k":5,`, ""},
		{"claude-sonnet-4-6", `"temperature":0.5,"top_p":0.9,`, oneSampler},
		{"claude-haiku-4-5", `"temperature":1,"top_p":1,`, oneSampler},
		{"claude-haiku-4-5", `"thinking":{"type":"between_tools"},`, `"thinking.type.between_tools" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`},
	} {
		body := `{"model":"` + c.model + `","max_tokens":4000,` + c.fields + `"messages":[{"role":"user","content":"q"}]}`
		checkAnswer(t, post(t, srv, "/v1/messages", body), c.model+" "+c.fields, c.err)
	}
	for _, m := range []string{"claude-sonnet-5-5", "claude-opus-5-5", "claude-haiku-5-5", "claude-sonnet-4-6"} {
		body := `{"model":"` + m + `","max_tokens":400,"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"The answer is"}]}`
		checkAnswer(t, post(t, srv, "/v1/messages", body), m+" prefill", prefill)
	}
	body := `{"model":"claude-haiku-4-5","max_tokens":400,"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"The answer is"}]}`
	checkAnswer(t, post(t, srv, "/v1/messages", body), "claude-haiku-4-5 prefill", "")
}

// checkAnswer checks a response: a 200 when err is "", else a 400
// invalid_request_error with err as its whole message.
func checkAnswer(t *testing.T, resp *http.Response, what, err string) {
	t.Helper()
	b, _ := io.ReadAll(resp.Body)
	if err == "" {
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d %s, want 200", what, resp.StatusCode, b)
		}
		return
	}
	var e struct {
		Type  string `json:"type"`
		Error struct {
			Type    string `json:"type"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if resp.StatusCode != 400 || json.Unmarshal(b, &e) != nil || e.Type != "error" || e.Error.Type != "invalid_request_error" || e.Error.Message != err {
		t.Errorf("%s: %d %s\nwant 400 invalid_request_error %q", what, resp.StatusCode, b, err)
	}
}

// TestDefaultThinking: a model of generation 5 thinks when not asked,
// showing none of it by default; between_tools and disabled write no
// thinking up front; a model of generation 4 thinks only when asked.
func TestDefaultThinking(t *testing.T) {
	srv := newGen5Server(t)
	for _, c := range []struct {
		model, fields string
		thinks        bool
	}{
		{"claude-opus-5-5", ``, true},
		{"claude-sonnet-5-5", `"thinking":{"type":"between_tools"},`, false},
		{"claude-sonnet-5", `"thinking":{"type":"disabled"},`, false},
		{"claude-haiku-4-5", ``, false},
	} {
		resp := post(t, srv, "/v1/messages", `{"model":"`+c.model+`","max_tokens":4000,`+c.fields+`"messages":[{"role":"user","content":"q"}]}`)
		var m struct {
			Content []struct {
				Type     string `json:"type"`
				Thinking string `json:"thinking"`
			} `json:"content"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || len(m.Content) == 0 {
			t.Fatalf("%s: %v %+v", c.model, err, m)
		}
		if thinks := m.Content[0].Type == "thinking"; thinks != c.thinks || thinks && m.Content[0].Thinking != "" {
			t.Errorf("%s %s: content %+v, want thinking %v (its text omitted)", c.model, c.fields, m.Content, c.thinks)
		}
	}
}
