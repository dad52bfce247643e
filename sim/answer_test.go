package sim

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var weatherTools = []ToolSpec{
	{Name: "get_weather", Parameters: json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}`)},
	{Name: "lookup", Parameters: json.RawMessage(`{"type":"object","properties":{"q":{"type":"string"},"limit":{"type":"integer","maximum":5}}}`)},
}

func TestRespond(t *testing.T) {
	p := &Profile{Model: "sim-1"}
	tests := []struct {
		name     string
		ask      Ask
		tool     string // the tool called; "" for text
		args     string
		finish   string
		text     *regexp.Regexp
		jsonText bool
	}{
		{name: "forced tool", ask: Ask{Prompt: "hello", Tools: weatherTools, ForceTool: "lookup"},
			tool: "lookup", args: `{"limit":5,"q":"example"}`, finish: "tool_calls"},
		{name: "forced tool beats a named one", ask: Ask{Prompt: "get weather please", Tools: weatherTools, ForceTool: "lookup"},
			tool: "lookup", args: `{"limit":5,"q":"example"}`, finish: "tool_calls"},
		{name: "forced tool not offered", ask: Ask{Prompt: "get weather", Tools: weatherTools, ForceTool: "missing"},
			finish: "stop", text: regexp.MustCompile(`^This is sim-1 answering: "get weather"\.`)},
		{name: "required picks the first", ask: Ask{Prompt: "hello", Tools: weatherTools, ToolsRequired: true},
			tool: "get_weather", args: `{"city":"example"}`, finish: "tool_calls"},
		{name: "required prefers the named", ask: Ask{Prompt: "LOOKUP this", Tools: weatherTools, ToolsRequired: true},
			tool: "lookup", args: `{"limit":5,"q":"example"}`, finish: "tool_calls"},
		{name: "auto by name", ask: Ask{Prompt: "What does get_weather say for Paris?", Tools: weatherTools},
			tool: "get_weather", args: `{"city":"example"}`, finish: "tool_calls"},
		{name: "auto by name with spaces", ask: Ask{Prompt: "Please get weather in Oslo", Tools: weatherTools},
			tool: "get_weather", args: `{"city":"example"}`, finish: "tool_calls"},
		{name: "auto, nothing named", ask: Ask{Prompt: "Tell me a story", Tools: weatherTools},
			finish: "stop", text: regexp.MustCompile(`^This is sim-1 answering: "Tell me a story"\.( [A-Z][^.]*\.){2,6}$`)},
		{name: "none forbids tools", ask: Ask{Prompt: "get weather", Tools: weatherTools, ForceTool: "lookup", ToolsNone: true},
			finish: "stop", text: regexp.MustCompile(`^This is sim-1`)},
		{name: "tool without parameters", ask: Ask{Prompt: "ping", Tools: []ToolSpec{{Name: "ping"}}},
			tool: "ping", args: `{}`, finish: "tool_calls"},
		{name: "tool with empty parameters", ask: Ask{Prompt: "ping", Tools: []ToolSpec{{Name: "ping", Parameters: json.RawMessage(`{}`)}}},
			tool: "ping", args: `{}`, finish: "tool_calls"},
		{name: "tool result to text", ask: Ask{Prompt: "get weather", Tools: weatherTools, HasToolResult: true, ToolResult: `{"temp":21}`},
			finish: "stop", text: regexp.MustCompile(`^Based on the tool result: \{"temp":21\}$`)},
		{name: "tool result, a call required: one the prompt does not name", ask: Ask{Prompt: "get weather", Tools: weatherTools, ToolsRequired: true, HasToolResult: true, ToolResult: `{"temp":21}`},
			tool: "lookup", args: `{"limit":5,"q":"example"}`, finish: "tool_calls"},
		{name: "tool result, a call forced", ask: Ask{Prompt: "get weather", Tools: weatherTools, ForceTool: "get_weather", HasToolResult: true, ToolResult: `{"temp":21}`},
			tool: "get_weather", args: `{"city":"example"}`, finish: "tool_calls"},
		{name: "long tool result cut", ask: Ask{HasToolResult: true, ToolResult: strings.Repeat("é", 150)},
			finish: "stop", text: regexp.MustCompile(`^Based on the tool result: (é){100}…$`)},
		{name: "JSON without schema", ask: Ask{Prompt: `Say "hi"`, JSON: true},
			finish: "stop", text: regexp.MustCompile(`^\{"answer":"Say \\"hi\\""\}$`), jsonText: true},
		{name: "JSON with schema", ask: Ask{Prompt: "x", JSON: true, Schema: json.RawMessage(`{"type":"object","properties":{"n":{"type":"integer"}}}`)},
			finish: "stop", text: regexp.MustCompile(`^\{"n":7\}$`), jsonText: true},
		{name: "JSON when no tool is picked", ask: Ask{Prompt: "x", JSON: true, Tools: weatherTools},
			finish: "stop", text: regexp.MustCompile(`^\{"answer":"x"\}$`), jsonText: true},
		{name: "JSON is never cut", ask: Ask{Prompt: strings.Repeat("word ", 40), JSON: true, MaxTokens: 1},
			finish: "stop", jsonText: true},
		{name: "max tokens", ask: Ask{Prompt: "hello there", MaxTokens: 3},
			finish: "length", text: regexp.MustCompile(`^This is sim-1$`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ans := p.Respond(tt.ask)
			if ans.Finish != tt.finish {
				t.Errorf("Finish = %q, want %q", ans.Finish, tt.finish)
			}
			if tt.tool != "" {
				if len(ans.ToolCalls) != 1 || ans.Text != "" || ans.Pieces != nil {
					t.Fatalf("want one tool call and no text, got %+v", ans)
				}
				c := ans.ToolCalls[0]
				if c.Name != tt.tool || c.Arguments != tt.args || !regexp.MustCompile(`^call_[0-9a-f]{12}$`).MatchString(c.ID) {
					t.Errorf("call = %+v, want %s(%s)", c, tt.tool, tt.args)
				}
				if ans.CompletionTokens != CountTokens(c.Arguments)+5 {
					t.Errorf("CompletionTokens = %d", ans.CompletionTokens)
				}
				return
			}
			if len(ans.ToolCalls) != 0 {
				t.Fatalf("unexpected tool call %+v", ans.ToolCalls)
			}
			if tt.text != nil && !tt.text.MatchString(ans.Text) {
				t.Errorf("Text = %q, want match of %s", ans.Text, tt.text)
			}
			if tt.jsonText && !json.Valid([]byte(ans.Text)) {
				t.Errorf("Text %q is not JSON", ans.Text)
			}
			if strings.Join(ans.Pieces, "") != ans.Text {
				t.Errorf("pieces %q do not make the text %q", ans.Pieces, ans.Text)
			}
			if ans.CompletionTokens != len(ans.Pieces) || ans.ReasoningTokens != 0 {
				t.Errorf("tokens: completion %d, reasoning %d, pieces %d", ans.CompletionTokens, ans.ReasoningTokens, len(ans.Pieces))
			}
		})
	}
}

// A prompt naming several offered tools is answered with a call of each,
// in the order the tools were offered, unless parallel calls are off.
func TestRespondParallelToolCalls(t *testing.T) {
	p := &Profile{Model: "sim-1"}
	ask := Ask{Prompt: "Use lookup for the news and get_weather for Oslo", Tools: weatherTools}
	ans := p.Respond(ask)
	if ans.Finish != "tool_calls" || len(ans.ToolCalls) != 2 || ans.ToolCalls[0].Name != "get_weather" || ans.ToolCalls[1].Name != "lookup" {
		t.Fatalf("want get_weather and lookup, got %+v", ans)
	}
	if ans.ToolCalls[0].ID == ans.ToolCalls[1].ID {
		t.Errorf("the calls share the id %s", ans.ToolCalls[0].ID)
	}
	if want := CountTokens(ans.ToolCalls[0].Arguments) + CountTokens(ans.ToolCalls[1].Arguments) + 10; ans.CompletionTokens != want {
		t.Errorf("CompletionTokens = %d, want %d", ans.CompletionTokens, want)
	}
	ask.NoParallel = true
	if ans := p.Respond(ask); len(ans.ToolCalls) != 1 || ans.ToolCalls[0].Name != "get_weather" {
		t.Errorf("parallel calls off: want get_weather alone, got %+v", ans.ToolCalls)
	}
	ask.NoParallel, ask.ForceTool = false, "lookup"
	if ans := p.Respond(ask); len(ans.ToolCalls) != 1 || ans.ToolCalls[0].Name != "lookup" {
		t.Errorf("forced: want lookup alone, got %+v", ans.ToolCalls)
	}
}

func TestRespondLimits(t *testing.T) {
	ask := Ask{Prompt: "a question with several words in it"}
	full := (&Profile{Model: "m"}).Respond(ask)
	if full.Finish != "stop" || len(full.Pieces) < 8 {
		t.Fatalf("unlimited answer: %+v", full)
	}
	tests := []struct {
		name      string
		profile   Profile
		maxTokens int
		want      int // pieces; 0 means all
	}{
		{"no limit", Profile{Model: "m"}, 0, 0},
		{"request limit", Profile{Model: "m"}, 4, 4},
		{"limit equal to the answer", Profile{Model: "m"}, len(full.Pieces), 0},
		{"profile limit", Profile{Model: "m", MaxOutputTokens: 2}, 0, 2},
		{"request over profile limit", Profile{Model: "m", MaxOutputTokens: 2}, 100, 2},
		{"request under profile limit", Profile{Model: "m", MaxOutputTokens: 5}, 3, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ask
			a.MaxTokens = tt.maxTokens
			ans := tt.profile.Respond(a)
			if tt.want == 0 {
				if !reflect.DeepEqual(ans, full) {
					t.Fatalf("got %+v, want the whole answer", ans)
				}
				return
			}
			if len(ans.Pieces) != tt.want || ans.CompletionTokens != tt.want || ans.Finish != "length" ||
				ans.Text != strings.Join(full.Pieces[:tt.want], "") {
				t.Fatalf("got %d pieces %q finish %s, want %d pieces, length", len(ans.Pieces), ans.Text, ans.Finish, tt.want)
			}
		})
	}
}

func TestRespondReasoning(t *testing.T) {
	p := &Profile{Model: "r", Reasoning: true}
	for _, prompt := range []string{"", "short", strings.Repeat("x", 100)} {
		ans := p.Respond(Ask{Prompt: prompt})
		want := 16 + len(prompt)%48
		if ans.ReasoningTokens != want || ans.CompletionTokens != len(ans.Pieces)+want {
			t.Errorf("prompt of %d bytes: reasoning %d completion %d pieces %d; want reasoning %d",
				len(prompt), ans.ReasoningTokens, ans.CompletionTokens, len(ans.Pieces), want)
		}
	}
}

func TestRespondDeterministic(t *testing.T) {
	p := &Profile{Model: "m"}
	a := Ask{Model: "m", Prompt: "same question", Tools: weatherTools, ToolsRequired: true}
	if x, y := p.Respond(a), p.Respond(a); !reflect.DeepEqual(x, y) {
		t.Fatalf("two answers differ: %+v %+v", x, y)
	}
	texts := map[string]bool{}
	for _, q := range []string{"one", "two", "three", "four", "five", "six"} {
		texts[p.Respond(Ask{Model: "m", Prompt: q}).Text] = true
	}
	if len(texts) != 6 {
		t.Fatalf("%d distinct answers to 6 prompts", len(texts))
	}
	other := (&Profile{Model: "n"}).Respond(Ask{Model: "n", Prompt: "one"}).Text
	if !strings.HasPrefix(other, "This is n answering") {
		t.Fatalf("answer of model n: %q", other)
	}
	if id := ID("chatcmpl-", "seed"); id != "chatcmpl-"+shortHash("seed") || ID("x", "a") == ID("x", "b") || len(ID("p_", "s")) != 14 {
		t.Fatal("ID is not a deterministic 12-hex-digit id")
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a", []string{"a"}},
		{"hello world", []string{"hello", " world"}},
		{"one two three", []string{"one", " two", " three"}},
		{"a  b", []string{"a", "  b"}},
		{" lead", []string{" lead"}},
		{"trail ", []string{"trail", " "}},
		{"   ", []string{"   "}},
		{"héllo wörld", []string{"héllo", " wörld"}},
		{"line\nbreak tab\tstop", []string{"line\nbreak", " tab\tstop"}},
	}
	for _, tt := range tests {
		if got := Split(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Split(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{"", "a b", "  x  y  ", "héllo  wörld"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pieces := Split(s)
		if strings.Join(pieces, "") != s {
			t.Fatalf("Split(%q) = %q does not join back", s, pieces)
		}
		for i, p := range pieces {
			if p == "" || i > 0 && p[0] != ' ' {
				t.Fatalf("Split(%q): piece %d is %q", s, i, p)
			}
		}
	})
}

func TestCountTokens(t *testing.T) {
	for s, want := range map[string]int{"": 0, "a": 1, "abcd": 1, "abcde": 2, "12345678": 2, "123456789": 3} {
		if got := CountTokens(s); got != want {
			t.Errorf("CountTokens(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly", 7, "exactly"},
		{"abcdef", 3, "abc…"},
		{"ééé", 3, "é…"}, // 6 bytes; byte 3 is inside the second é
		{"ééé", 4, "éé…"},
		{"日本語", 1, "…"},
	}
	for _, tt := range tests {
		got := truncate(tt.in, tt.n)
		if got != tt.want || !utf8.ValidString(got) {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestScaleReasoning(t *testing.T) {
	ans := Answer{CompletionTokens: 50, ReasoningTokens: 40}
	for effort, want := range map[string][2]int{"none": {10, 0}, "low": {30, 20}, "medium": {50, 40}, "high": {90, 80}, "bogus": {50, 40}} {
		got := ScaleReasoning(ans, effort)
		if got.CompletionTokens != want[0] || got.ReasoningTokens != want[1] {
			t.Errorf("%s: completion %d reasoning %d, want %v", effort, got.CompletionTokens, got.ReasoningTokens, want)
		}
	}
}
