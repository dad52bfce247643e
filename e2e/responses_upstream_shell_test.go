package e2e

import (
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/config"
	"switchyard/llm"
)

// OpenAI's client-executed tools on a deployment called on the Responses
// API (gpt-5.3-codex): the tools go upstream as themselves, the model's
// shell_call / apply_patch_call / local_shell_call come back to the
// client as those items (complete and streamed), and the client's
// outputs go back upstream as the output items they are (a Codex-style
// loop: call, the client runs it, its output back).
func TestResponsesUpstreamShellAndApplyPatch(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, func(c *config.Config) {
		c.Deployments["gpt-5.3-codex"] = &config.Deployment{Name: "gpt-5.3-codex", Provider: "openai", Model: "gpt-5.3-codex",
			Capabilities: []llm.Capability{"tools", "streaming", "reasoning"}}
	})
	const dep = "gpt-5.3-codex"
	for _, streamed := range []bool{false, true} {
		t.Run(map[bool]string{false: "complete", true: "stream"}[streamed], func(t *testing.T) {
			params := shellParams(dep, "Use the shell to list the files.")
			items, _ := shellAsk(t, e, params, streamed)
			call := onlyItem(t, items, "shell_call").AsShellCall()
			if !strings.HasPrefix(call.ID, "sh_") || call.CallID == "" || len(call.Action.Commands) == 0 || call.Action.Commands[0] == "" ||
				call.Status != "completed" || call.Environment.Type != "local" {
				t.Fatalf("shell call %s", call.RawJSON())
			}
			upstreamResponses(t, tp)
			if tools := string(tp.lastBody(t, "/v1/responses")["tools"]); !strings.Contains(tools, `{"type":"shell","environment":{"type":"local"}}`) ||
				!strings.Contains(tools, `{"type":"apply_patch"}`) || strings.Contains(tools, `"function"`) {
				t.Errorf("tools sent upstream %s", tools)
			}
			sent := responses.ResponseInputItemParamOfShellCall(responses.ResponseInputItemShellCallActionParam{Commands: call.Action.Commands}, call.CallID)
			output := responses.ResponseInputItemParamOfShellCallOutput(call.CallID, []responses.ResponseFunctionShellCallOutputContentParam{{
				Stdout: "hello.txt\n", Stderr: "",
				Outcome: responses.ResponseFunctionShellCallOutputContentOutcomeUnionParam{OfExit: &responses.ResponseFunctionShellCallOutputContentOutcomeExitParam{ExitCode: 0}}}})
			answerAfter(t, e, params, []responses.ResponseInputItemUnionParam{sent, output}, "", "exit code: 0", streamed)
			input := string(tp.lastBody(t, "/v1/responses")["input"])
			if !strings.Contains(input, `{"type":"shell_call","call_id":"`+call.CallID+`"`) ||
				!strings.Contains(input, `{"type":"shell_call_output","call_id":"`+call.CallID+`","output":[{"outcome":{"exit_code":0,"type":"exit"},"stderr":"","stdout":"hello.txt\n"}]}`) ||
				strings.Contains(input, "function_call") {
				t.Errorf("input sent upstream %s", input)
			}

			params = shellParams(dep, "Use apply_patch to add hello.txt.")
			items, _ = shellAsk(t, e, params, streamed)
			pc := onlyItem(t, items, "apply_patch_call").AsApplyPatchCall()
			if !strings.HasPrefix(pc.ID, "apc_") || pc.CallID == "" || pc.Operation.Type == "" || pc.Operation.Path == "" ||
				pc.Operation.Type != "delete_file" && pc.Operation.Diff == "" {
				t.Fatalf("apply_patch call %s", pc.RawJSON())
			}
			op := responses.ResponseInputItemApplyPatchCallOperationCreateFileParam{Path: pc.Operation.Path, Diff: pc.Operation.Diff}
			done := responses.ResponseInputItemParamOfApplyPatchCallOutput(pc.CallID, "completed")
			done.OfApplyPatchCallOutput.Output = openai.String("created " + pc.Operation.Path)
			answerAfter(t, e, params, []responses.ResponseInputItemUnionParam{responses.ResponseInputItemParamOfApplyPatchCall(pc.CallID, op, "completed"), done},
				"", "apply_patch completed: created", streamed)
			input = string(tp.lastBody(t, "/v1/responses")["input"])
			if !strings.Contains(input, `{"type":"apply_patch_call","call_id":"`+pc.CallID+`","status":"completed","operation":{"type":"create_file"`) ||
				!strings.Contains(input, `{"type":"apply_patch_call_output","call_id":"`+pc.CallID+`","status":"completed","output":"created `) {
				t.Errorf("input sent upstream %s", input)
			}
		})
	}
}
