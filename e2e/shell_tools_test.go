package e2e

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/conversations"
	"github.com/openai/openai-go/v3/responses"
)

// OpenAI's client-executed tools (shell, apply_patch) on every kind of
// deployment: each is sent upstream as a function of the same name, and
// the model's call of it comes back as a shell_call / apply_patch_call
// item with a valid action, which the client runs and answers with a
// shell_call_output / apply_patch_call_output that the model reads.

var shellDeployments = []string{"gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash"}

// shellTools are the shell tool (local environment) and apply_patch.
func shellTools() []responses.ToolUnionParam {
	return []responses.ToolUnionParam{
		{OfShell: &responses.FunctionShellToolParam{Environment: responses.FunctionShellToolEnvironmentUnionParam{OfLocal: &responses.LocalEnvironmentParam{}}}},
		{OfApplyPatch: &responses.ApplyPatchToolParam{}},
	}
}

func TestResponsesShellAndApplyPatchLoop(t *testing.T) {
	t.Parallel()
	e, ul := storedEnv(t, storeBackends[0].open(t), nil)
	for _, dep := range shellDeployments {
		for _, streamed := range []bool{false, true} {
			t.Run(dep+map[bool]string{false: "/complete", true: "/stream"}[streamed], func(t *testing.T) {
				// The shell: a call with commands, answered by their output.
				params := shellParams(dep, "Use the shell to list the files.")
				items, respID := shellAsk(t, e, params, streamed)
				call := onlyItem(t, items, "shell_call").AsShellCall()
				if !strings.HasPrefix(call.ID, "sh_") || call.CallID == "" || len(call.Action.Commands) == 0 || call.Action.Commands[0] == "" ||
					call.Status != "completed" || call.Environment.Type != "local" {
					t.Fatalf("shell call %s", call.RawJSON())
				}
				checkFunctionsSent(t, ul, dep, "shell", `"commands"`)
				sent := responses.ResponseInputItemParamOfShellCall(responses.ResponseInputItemShellCallActionParam{Commands: call.Action.Commands}, call.CallID)
				output := responses.ResponseInputItemParamOfShellCallOutput(call.CallID, []responses.ResponseFunctionShellCallOutputContentParam{{
					Stdout: "hello.txt\n", Stderr: "",
					Outcome: responses.ResponseFunctionShellCallOutputContentOutcomeUnionParam{OfExit: &responses.ResponseFunctionShellCallOutputContentOutcomeExitParam{ExitCode: 0}}}})
				answerAfter(t, e, params, []responses.ResponseInputItemUnionParam{sent, output}, respID, "exit code: 0", streamed)

				// apply_patch: a create_file operation with a path and a diff.
				params = shellParams(dep, "Use apply_patch to add hello.txt.")
				items, respID = shellAsk(t, e, params, streamed)
				pc := onlyItem(t, items, "apply_patch_call").AsApplyPatchCall()
				if !strings.HasPrefix(pc.ID, "apc_") || pc.CallID == "" || pc.Operation.Type == "" || pc.Operation.Path == "" ||
					pc.Operation.Type != "delete_file" && pc.Operation.Diff == "" {
					t.Fatalf("apply_patch call %s", pc.RawJSON())
				}
				checkFunctionsSent(t, ul, dep, "apply_patch", `"create_file"`)
				op := responses.ResponseInputItemApplyPatchCallOperationCreateFileParam{Path: pc.Operation.Path, Diff: pc.Operation.Diff}
				done := responses.ResponseInputItemParamOfApplyPatchCallOutput(pc.CallID, "completed")
				done.OfApplyPatchCallOutput.Output = openai.String("created " + pc.Operation.Path)
				answerAfter(t, e, params, []responses.ResponseInputItemUnionParam{responses.ResponseInputItemParamOfApplyPatchCall(pc.CallID, op, "completed"), done},
					respID, "apply_patch completed: created", streamed)
			})
		}
	}
}

func shellParams(dep, prompt string) responses.ResponseNewParams {
	return responses.ResponseNewParams{Model: dep, Tools: shellTools(), Input: responses.ResponseNewParamsInputUnion{
		OfInputItemList: []responses.ResponseInputItemUnionParam{responses.ResponseInputItemParamOfMessage(prompt, responses.EasyInputMessageRoleUser)}}}
}

// shellAsk sends params and returns the response's output items and id;
// streamed, the items of the output_item.done events, checked against
// the terminal response's and the shell commands' events.
func shellAsk(t *testing.T, e *env, params responses.ResponseNewParams, streamed bool) ([]responses.ResponseOutputItemUnion, string) {
	t.Helper()
	if !streamed {
		resp, err := e.Client.Responses.New(ctxT(t), params)
		if ae := (*openai.Error)(nil); errors.As(err, &ae) {
			t.Fatalf("%v: %s", err, ae.RawJSON())
		} else if err != nil {
			t.Fatal(err)
		}
		return resp.Output, resp.ID
	}
	stream := e.Client.Responses.NewStreaming(ctxT(t), params)
	defer stream.Close()
	var items []responses.ResponseOutputItemUnion
	var final responses.Response
	commands := map[int64]string{}
	for stream.Next() {
		switch ev := stream.Current(); ev.Type {
		case "response.output_item.done":
			items = append(items, ev.Item)
		case "response.shell_call_command.delta":
			commands[ev.CommandIndex] += ev.Delta
		case "response.shell_call_command.done":
			if commands[ev.CommandIndex] != ev.Command {
				t.Errorf("command %d: deltas %q, done %q", ev.CommandIndex, commands[ev.CommandIndex], ev.Command)
			}
		case "response.completed":
			final = ev.Response
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if len(final.Output) != len(items) {
		t.Fatalf("%d items done, %d in the response", len(items), len(final.Output))
	}
	for _, it := range items {
		if it.Type == "shell_call" && len(it.AsShellCall().Action.Commands) != len(commands) {
			t.Errorf("%d commands streamed for %s", len(commands), it.RawJSON())
		}
	}
	return items, final.ID
}

func onlyItem(t *testing.T, items []responses.ResponseOutputItemUnion, typ string) responses.ResponseOutputItemUnion {
	t.Helper()
	if len(items) != 1 || items[0].Type != typ {
		var raw []string
		for _, it := range items {
			raw = append(raw, it.RawJSON())
		}
		t.Fatalf("output %v, want one %s", raw, typ)
	}
	return items[0]
}

// answerAfter sends the call and its output after params' input, then
// (unless respID is "") the output alone after previous_response_id
// respID: both answers must read the output (want).
func answerAfter(t *testing.T, e *env, params responses.ResponseNewParams, turn []responses.ResponseInputItemUnionParam, respID, want string, streamed bool) {
	t.Helper()
	params.Input.OfInputItemList = append(params.Input.OfInputItemList, turn...)
	asks := []responses.ResponseNewParams{params}
	if respID != "" {
		asks = append(asks, responses.ResponseNewParams{Model: params.Model, Tools: params.Tools, PreviousResponseID: openai.String(respID),
			Input: responses.ResponseNewParamsInputUnion{OfInputItemList: turn[1:]}})
	}
	for _, p := range asks {
		items, _ := shellAsk(t, e, p, streamed)
		msg := onlyItem(t, items, "message").AsMessage()
		if len(msg.Content) == 0 || !strings.Contains(msg.Content[0].Text, want) {
			t.Fatalf("answer %s, want it to read %q", msg.RawJSON(), want)
		}
	}
}

// checkFunctionsSent checks that the last upstream request of deployment
// dep declared the function name with a parameter schema holding field,
// and no tool of the Responses API's types.
func checkFunctionsSent(t *testing.T, ul *upstreamLog, dep, name, field string) {
	t.Helper()
	provider := map[string]string{"gpt": "openai", "claude": "anthropic", "gemini": "gemini"}[strings.SplitN(dep, "-", 2)[0]]
	var body struct{ Tools json.RawMessage }
	if err := json.Unmarshal([]byte(ul.last(t, provider)), &body); err != nil {
		t.Fatal(err)
	}
	s := string(body.Tools)
	if !strings.Contains(s, `"name":"`+name+`"`) || !strings.Contains(s, field) || strings.Contains(s, `"type":"shell"`) || strings.Contains(s, `"type":"apply_patch"`) {
		t.Errorf("tools sent to %s: %s", dep, s)
	}
}

// A shell tool whose environment is a container (it would run on OpenAI's
// side) is refused with a 400 saying so.
func TestResponsesShellContainerRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	params := shellParams("gpt-4o-mini", "Use the shell to list the files.")
	params.Tools = []responses.ToolUnionParam{{OfShell: &responses.FunctionShellToolParam{Environment: responses.FunctionShellToolEnvironmentUnionParam{
		OfContainerAuto: &responses.ContainerAutoParam{}}}}}
	_, err := e.Client.Responses.New(ctxT(t), params)
	var ae *openai.Error
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusBadRequest || ae.Param != "tools[0].environment.type" || !strings.Contains(ae.Message, "container") {
		t.Fatalf("container environment: %v", err)
	}
}

// In a conversation: a Claude deployment's shell call is added to it (the
// items list shows it with its action), and the output sent in the next
// turn is read by a Gemini deployment, which is sent the call from the
// conversation.
func TestResponsesShellInConversation(t *testing.T) {
	t.Parallel()
	e, ul := storedEnv(t, storeBackends[0].open(t), nil)
	conv, err := e.Client.Conversations.New(ctxT(t), conversations.ConversationNewParams{})
	if err != nil {
		t.Fatal(err)
	}
	params := shellParams("claude-haiku-4-5", "Use the shell to list the files.")
	params.Conversation = responses.ResponseNewParamsConversationUnion{OfString: openai.String(conv.ID)}
	items, _ := shellAsk(t, e, params, false)
	call := onlyItem(t, items, "shell_call").AsShellCall()
	pager := e.Client.Conversations.Items.ListAutoPaging(ctxT(t), conv.ID, conversations.ItemListParams{Order: "asc"})
	var kept responses.ResponseFunctionShellToolCall
	for pager.Next() {
		if it := pager.Current(); it.Type == "shell_call" {
			kept = it.AsShellCall()
		}
	}
	if err := pager.Err(); err != nil || kept.CallID != call.CallID || len(kept.Action.Commands) != len(call.Action.Commands) {
		t.Fatalf("the conversation's shell call %s (%v), want %s", kept.RawJSON(), err, call.RawJSON())
	}
	output := responses.ResponseInputItemParamOfShellCallOutput(call.CallID, []responses.ResponseFunctionShellCallOutputContentParam{{
		Stdout: "", Stderr: "ls: cannot open directory",
		Outcome: responses.ResponseFunctionShellCallOutputContentOutcomeUnionParam{OfExit: &responses.ResponseFunctionShellCallOutputContentOutcomeExitParam{ExitCode: 2}}}})
	next := responses.ResponseNewParams{Model: "gemini-2.5-flash", Tools: shellTools(), Conversation: params.Conversation,
		Input: responses.ResponseNewParamsInputUnion{OfInputItemList: []responses.ResponseInputItemUnionParam{output}}}
	items, _ = shellAsk(t, e, next, true)
	if msg := onlyItem(t, items, "message").AsMessage(); !strings.Contains(msg.Content[0].Text, "exit code: 2") {
		t.Fatalf("answer %s", msg.RawJSON())
	}
	if sent := ul.last(t, "gemini"); !strings.Contains(sent, `"functionCall"`) || !strings.Contains(sent, `"name":"shell"`) {
		t.Errorf("Gemini was not sent the call: %s", sent)
	}
}

// local_shell: the call's exec action (argv, env) and its output sent back
// as openai-go sends it (by the call's id alone), complete and streamed.
func TestResponsesLocalShell(t *testing.T) {
	t.Parallel()
	e, ul := storedEnv(t, storeBackends[0].open(t), nil)
	for _, dep := range []string{"claude-haiku-4-5", "gpt-4o-mini"} {
		for _, streamed := range []bool{false, true} {
			t.Run(dep+map[bool]string{false: "/complete", true: "/stream"}[streamed], func(t *testing.T) {
				params := shellParams(dep, "Use local_shell to show the date.")
				params.Tools = []responses.ToolUnionParam{{OfLocalShell: &responses.ToolLocalShellParam{}}}
				items, _ := shellAsk(t, e, params, streamed)
				call := onlyItem(t, items, "local_shell_call").AsLocalShellCall()
				if !strings.HasPrefix(call.ID, "lsh_") || call.CallID == "" || call.Action.Type != "exec" || len(call.Action.Command) == 0 || call.Action.Env == nil {
					t.Fatalf("local shell call %s", call.RawJSON())
				}
				checkFunctionsSent(t, ul, dep, "local_shell", `"working_directory"`)
				sent := responses.ResponseInputItemUnionParam{OfLocalShellCall: &responses.ResponseInputItemLocalShellCallParam{ID: call.ID, CallID: call.CallID,
					Status: "completed", Action: responses.ResponseInputItemLocalShellCallActionParam{Command: call.Action.Command, Env: call.Action.Env}}}
				output := responses.ResponseInputItemParamOfLocalShellCallOutput(call.CallID, `{"stdout":"Sun Dec 6"}`)
				answerAfter(t, e, params, []responses.ResponseInputItemUnionParam{sent, output}, "", "Sun Dec 6", streamed)
			})
		}
	}
}
