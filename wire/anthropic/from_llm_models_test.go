package anthropic

import (
	"slices"
	"testing"

	"switchyard/llm"
)

// modelWant is what FromLLM sends a model, and what ReasoningDrops names.
type modelWant struct {
	thinking string // the thinking type sent, "" for none
	effort   string
	choice   string   // tool_choice type sent, "" for none
	tools    []string // the tools declared
	system   string   // the last system block's text
	sampling bool     // temperature or top_p still sent
	drops    []string
}

var (
	twoTools   = []llm.Tool{{Type: "function", Name: "f"}, {Type: "function", Name: "g"}}
	effortNone = &llm.Reasoning{Effort: llm.EffortNone}
)

// modelCases are requests to models of each row of the table.
var modelCases = []struct {
	name string
	req  llm.Request
	want modelWant
}{
	{"Opus 5.5: an OpenAI client's gpt-4o request", llm.Request{Model: "claude-opus-5-5", Temperature: ptr(0.2), TopP: ptr(0.5), Tools: twoTools,
		ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceRequired}, Reasoning: effortNone},
		modelWant{"", "low", ToolChoiceAuto, []string{"f", "g"}, ForcedToolText(""), false, []string{"tool_choice", "reasoning_none", "temperature", "top_p"}}},
	{"Opus 5.5: a named function is the only custom tool declared", llm.Request{Model: "claude-opus-5-5", Tools: twoTools,
		ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceFunction, Name: "g"}},
		modelWant{"", "", ToolChoiceAuto, []string{"g"}, ForcedToolText("g"), false, []string{"tool_choice"}}},
	{"Opus 5.5: thinking asked is kept once the tool is not forced", llm.Request{Model: "claude-opus-5-5", Tools: twoTools,
		ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceRequired}, Reasoning: &llm.Reasoning{Effort: llm.EffortHigh}},
		modelWant{ThinkingAdaptive, "high", ToolChoiceAuto, []string{"f", "g"}, ForcedToolText(""), false, []string{"tool_choice"}}},
	{"Opus 5.5 without reasoning: the model's default", llm.Request{Model: "claude-opus-5-5"},
		modelWant{"", "", "", nil, "", false, nil}},
	{"Sonnet 5.5: none is between_tools", llm.Request{Model: "claude-sonnet-5-5", Temperature: ptr(1.0), Reasoning: effortNone},
		modelWant{ThinkingBetweenTools, "low", "", nil, "", false, nil}},
	{"Sonnet 5.5: between_tools asked", llm.Request{Model: "claude-sonnet-5-5", Reasoning: &llm.Reasoning{BetweenTools: true, Show: true}},
		modelWant{ThinkingBetweenTools, "", "", nil, "", false, nil}},
	{"Sonnet 5.5: between_tools at xhigh cannot be", llm.Request{Model: "claude-sonnet-5-5", OutputEffort: llm.EffortXHigh, Reasoning: &llm.Reasoning{BetweenTools: true}},
		modelWant{"", "xhigh", "", nil, "", false, []string{"between_tools"}}},
	{"Sonnet 5.5: a budget is adaptive", llm.Request{Model: "claude-sonnet-5-5", Reasoning: &llm.Reasoning{BudgetTokens: 4000}},
		modelWant{ThinkingAdaptive, "", "", nil, "", false, nil}},
	{"Sonnet 5: none is disabled, forced tools kept", llm.Request{Model: "claude-sonnet-5", Tools: twoTools, TopK: ptr(5),
		ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceRequired}, Reasoning: effortNone},
		modelWant{ThinkingDisabled, "low", ToolChoiceAny, []string{"f", "g"}, "", false, []string{"top_k"}}},
	{"Sonnet 5: between_tools is disabled, as server-side fallback sends it", llm.Request{Model: "claude-sonnet-5", Reasoning: &llm.Reasoning{BetweenTools: true}},
		modelWant{ThinkingDisabled, "", "", nil, "", false, nil}},
	{"Opus 5: none is disabled at low effort", llm.Request{Model: "claude-opus-5", Reasoning: effortNone},
		modelWant{ThinkingDisabled, "low", "", nil, "", false, nil}},
	{"Opus 5: disabled refused at max: thinks", llm.Request{Model: "claude-opus-5", OutputEffort: llm.EffortMax, Reasoning: &llm.Reasoning{BetweenTools: true}},
		modelWant{"", "max", "", nil, "", false, []string{"between_tools"}}},
	{"Opus 5: a forced tool drops the thinking", llm.Request{Model: "claude-opus-5", Tools: twoTools,
		ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceFunction, Name: "f"}, Reasoning: &llm.Reasoning{Effort: llm.EffortHigh}},
		modelWant{"", "high", ToolChoiceTool, []string{"f", "g"}, "", false, []string{"reasoning"}}},
	{"Haiku 5.5: none is disabled", llm.Request{Model: "claude-haiku-5-5", Reasoning: effortNone},
		modelWant{ThinkingDisabled, "low", "", nil, "", false, nil}},
	{"Fable 5.2: effort is adaptive", llm.Request{Model: "claude-fable-5-2", Temperature: ptr(0.7), Reasoning: &llm.Reasoning{Effort: llm.EffortMedium}},
		modelWant{ThinkingAdaptive, "medium", "", nil, "", false, []string{"temperature"}}},
	{"Mythos 5.1: none cannot be", llm.Request{Model: "claude-mythos-5-1", Reasoning: effortNone},
		modelWant{"", "low", "", nil, "", false, []string{"reasoning_none"}}},
	{"Opus 4.7: no sampling fields", llm.Request{Model: "claude-opus-4-7", Temperature: ptr(0.3)},
		modelWant{"", "", "", nil, "", false, []string{"temperature"}}},
	{"Sonnet 4.5: none is nothing, sampling kept", llm.Request{Model: "claude-sonnet-4-5", Temperature: ptr(0.3), Reasoning: effortNone},
		modelWant{"", "", "", nil, "", true, nil}},
	{"Sonnet 4.5: between_tools is no thinking up front", llm.Request{Model: "claude-sonnet-4-5", Reasoning: &llm.Reasoning{BetweenTools: true}},
		modelWant{"", "", "", nil, "", false, nil}},
	{"Sonnet 4.5: between_tools with a forced tool loses nothing", llm.Request{Model: "claude-sonnet-4-5", Tools: twoTools,
		ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceRequired}, Reasoning: &llm.Reasoning{BetweenTools: true}},
		modelWant{"", "", ToolChoiceAny, []string{"f", "g"}, "", false, nil}},
}

// TestFromLLMModels: FromLLM sends each model of generation 5 only what
// it takes, and ReasoningDrops names what was left out.
func TestFromLLMModels(t *testing.T) {
	for _, c := range modelCases {
		t.Run(c.name, func(t *testing.T) {
			r := c.req
			r.Messages = []llm.Message{llm.TextMessage(llm.RoleUser, "q")}
			out, err := FromLLM(&r)
			if err != nil {
				t.Fatal(err)
			}
			var got modelWant
			if out.Thinking != nil {
				got.thinking = out.Thinking.Type
				if (out.Thinking.Type == ThinkingBetweenTools || out.Thinking.Type == ThinkingDisabled) && *out.Thinking != (Thinking{Type: out.Thinking.Type}) {
					t.Errorf("thinking %+v: these types take no other field", *out.Thinking)
				}
			}
			if out.OutputConfig != nil {
				got.effort = out.OutputConfig.Effort
			}
			if out.ToolChoice != nil {
				got.choice = out.ToolChoice.Type
			}
			for _, tl := range out.Tools {
				got.tools = append(got.tools, tl.Name)
			}
			if n := len(out.System); n > 0 {
				got.system = out.System[n-1].Text
			}
			got.sampling = out.Temperature != nil || out.TopP != nil || out.TopK != nil
			got.drops = ReasoningDrops(&r)
			if got.thinking != c.want.thinking || got.effort != c.want.effort || got.choice != c.want.choice || got.system != c.want.system ||
				got.sampling != c.want.sampling || !slices.Equal(got.tools, c.want.tools) || !slices.Equal(got.drops, c.want.drops) {
				t.Errorf("\n got %+v\nwant %+v", got, c.want)
			}
		})
	}
}

// TestRelaxToolChoiceHistory: a named tool keeps the others declared when
// an earlier turn called one of them.
func TestRelaxToolChoiceHistory(t *testing.T) {
	call := llm.Message{Role: llm.RoleAssistant}
	call.SetToolCalls([]llm.ToolCall{{ID: "toolu_1", Name: "f", Arguments: "{}"}})
	result := llm.TextMessage(llm.RoleTool, "42")
	result.SetToolCallID("toolu_1")
	req := llm.Request{Model: "claude-fable-5-1", Tools: []llm.Tool{{Type: "function", Name: "f"}, {Type: "function", Name: "g"}},
		ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceFunction, Name: "g"},
		Messages:   []llm.Message{llm.TextMessage(llm.RoleUser, "q"), call, result}}
	out, err := FromLLM(&req)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Tools) != 2 || out.ToolChoice.Type != ToolChoiceAuto {
		t.Errorf("tools %v, tool_choice %+v: want both tools, auto", out.Tools, out.ToolChoice)
	}
}

// TestContinuePrefill: a prefill reaches a model that refuses one as the
// user's request to continue it, and is named; a model that takes one
// gets it as it was.
func TestContinuePrefill(t *testing.T) {
	for _, c := range []struct {
		model string
		want  int // the turns sent
		drops []string
	}{
		{"claude-sonnet-5-5", 1, []string{"prefill"}},
		{"claude-sonnet-4-6", 1, []string{"prefill"}},
		{"claude-haiku-4-5", 2, nil},
	} {
		req := llm.Request{Model: c.model, Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "Name a color."), llm.TextMessage(llm.RoleAssistant, "The color is ")}}
		out, err := FromLLM(&req)
		if err != nil {
			t.Fatal(err)
		}
		last := out.Messages[len(out.Messages)-1]
		if len(out.Messages) != c.want || !slices.Equal(ReasoningDrops(&req), c.drops) {
			t.Errorf("%s: %d turns, drops %v", c.model, len(out.Messages), ReasoningDrops(&req))
		}
		if c.want == 1 && (last.Role != "user" || last.Content[len(last.Content)-1].Text != ContinueText("The color is")) {
			t.Errorf("%s: last turn %+v", c.model, last)
		}
	}
}

// TestDefaultThinkingKept: a turn's signed thinking goes back to a model
// of generation 5 without a thinking field (it thinks unasked, and a tool
// loop needs its thinking back), and is dropped for one of generation 4.
func TestDefaultThinkingKept(t *testing.T) {
	call := llm.Message{Role: llm.RoleAssistant}
	call.SetThinking([]llm.Thinking{{Signature: "sig"}})
	call.SetToolCalls([]llm.ToolCall{{ID: "toolu_1", Name: "f", Arguments: "{}"}})
	result := llm.TextMessage(llm.RoleTool, "42")
	result.SetToolCallID("toolu_1")
	for model, want := range map[string]string{"claude-opus-5-5": BlockThinking, "claude-sonnet-4-5": BlockToolUse} {
		req := llm.Request{Model: model, Tools: []llm.Tool{{Type: "function", Name: "f"}}, Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "q"), call, result}}
		out, err := FromLLM(&req)
		if err != nil {
			t.Fatal(err)
		}
		if got := out.Messages[1].Content[0].Type; got != want {
			t.Errorf("%s: the assistant turn starts with %s, want %s", model, got, want)
		}
	}
}
