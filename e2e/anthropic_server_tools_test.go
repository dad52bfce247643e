package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
)

// mcpToolSearch is Claude Code's shape of a request with many MCP tools:
// deferred MCP-like tools and the regex tool search tool.
func mcpToolSearch(model, prompt string) sdk.MessageNewParams {
	params := userMessage(model, prompt, 512)
	for _, name := range []string{"mcp__calendar__list_events", "mcp__weather__get_forecast", "mcp__github__create_issue"} {
		params.Tools = append(params.Tools, sdk.ToolUnionParam{OfTool: &sdk.ToolParam{Name: name, Description: sdk.String("An MCP server's tool"),
			DeferLoading: sdk.Bool(true), InputSchema: sdk.ToolInputSchemaParam{Properties: map[string]any{"city": map[string]any{"type": "string"}}, Required: []string{"city"}}}})
	}
	params.Tools = append(params.Tools, sdk.ToolUnionParam{OfToolSearchToolRegex20251119: &sdk.ToolSearchToolRegex20251119Param{Type: "tool_search_tool_regex_20251119"}})
	return params
}

// askVia sends params complete or streamed and returns the message and
// the deployment that served it.
func askVia(t *testing.T, c sdk.Client, params sdk.MessageNewParams, streamed bool, opts ...sdkoption.RequestOption) (sdk.Message, string) {
	t.Helper()
	var resp *http.Response
	opts = append(opts, sdkoption.WithResponseInto(&resp))
	if !streamed {
		msg, err := c.Messages.New(ctxT(t), params, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return *msg, resp.Header.Get("x-switchyard-deployment")
	}
	stream := c.Messages.NewStreaming(ctxT(t), params, opts...)
	defer stream.Close()
	acc := accumulateMessage(t, stream)
	return acc, resp.Header.Get("x-switchyard-deployment")
}

func contentTypes(msg sdk.Message) []string {
	var out []string
	for _, b := range msg.Content {
		out = append(out, b.Type)
	}
	return out
}

// A tool-search loop through route auto, whose chat category tries
// gpt-4o-mini first: the request lands on Claude (the only kind that
// serves server tools), the SDK's message holds Claude's server_tool_use
// and tool_search_tool_result blocks then the call of the found tool, and
// the next turn, sending them back with the tool's result, works; the
// tool search tool reaches Claude as the SDK wrote it. Complete and
// streamed.
func TestAnthropicToolSearchLoop(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	for _, streamed := range []bool{false, true} {
		t.Run(map[bool]string{false: "complete", true: "stream"}[streamed], func(t *testing.T) {
			params := mcpToolSearch("auto", "What is the weather forecast for Paris?")
			msg, dep := askVia(t, c, params, streamed)
			if !strings.HasPrefix(dep, "claude") {
				t.Fatalf("served by %q, want a Claude deployment", dep)
			}
			if got, want := contentTypes(msg), []string{"server_tool_use", "tool_search_tool_result", "tool_use"}; !reflect.DeepEqual(got, want) {
				t.Fatalf("content %v, want %v", got, want)
			}
			use, found, call := msg.Content[0], msg.Content[1], msg.Content[2]
			if use.Name != "tool_search_tool_regex" || !strings.HasPrefix(use.ID, "srvtoolu_") || !strings.Contains(string(use.Input), "weather") {
				t.Errorf("server_tool_use %s", use.RawJSON())
			}
			result := found.AsToolSearchToolResult()
			refs := result.Content.ToolReferences
			if len(refs) != 1 || refs[0].ToolName != "mcp__weather__get_forecast" || result.ToolUseID != use.ID {
				t.Errorf("tool_search_tool_result %s", found.RawJSON())
			}
			if call.Name != "mcp__weather__get_forecast" || msg.StopReason != sdk.StopReasonToolUse {
				t.Errorf("call %s, stop %q", call.RawJSON(), msg.StopReason)
			}
			checkToolsSent(t, tp, params)

			params.Messages = append(params.Messages, msg.ToParam(), sdk.NewUserMessage(sdk.NewToolResultBlock(call.ID, "Sunny, 21C", false)))
			var client []byte // the body the SDK sent the router
			next, dep := askVia(t, c, params, streamed, sdkoption.WithMiddleware(func(r *http.Request, mn sdkoption.MiddlewareNext) (*http.Response, error) {
				client, _ = io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(client))
				return mn(r)
			}))
			if !strings.HasPrefix(dep, "claude") || next.StopReason != sdk.StopReasonEndTurn || len(next.Content) == 0 || next.Content[0].Text == "" {
				t.Errorf("the turn after the result, on %q: %s", dep, mustJSON(next.Content))
			}
			// The server blocks reach Claude byte for byte as the client
			// sent them back.
			upstream := secondTurn(t, tp.lastBody(t, "/v1/messages")["messages"])
			var body struct {
				Messages json.RawMessage `json:"messages"`
			}
			if err := json.Unmarshal(client, &body); err != nil {
				t.Fatal(err)
			}
			sent := secondTurn(t, body.Messages)
			for i := range 2 {
				if !bytes.Equal(upstream[i], sent[i]) || !jsonEqual(sent[i], []byte(msg.Content[i].RawJSON())) && !streamed {
					t.Errorf("block %d: the client sent %s, Claude got %s (Claude wrote %s)", i, sent[i], upstream[i], msg.Content[i].RawJSON())
				}
			}
		})
	}
}

// secondTurn is the content of the second message of a messages array.
func secondTurn(t *testing.T, messages json.RawMessage) []json.RawMessage {
	t.Helper()
	var turns []struct {
		Content []json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(messages, &turns); err != nil || len(turns) < 2 || len(turns[1].Content) < 2 {
		t.Fatalf("messages %s (%v)", messages, err)
	}
	return turns[1].Content
}

// checkToolsSent checks that Claude got the tools as the SDK wrote them.
func checkToolsSent(t *testing.T, tp *tap, params sdk.MessageNewParams) {
	t.Helper()
	var sent []json.RawMessage
	if err := json.Unmarshal(tp.lastBody(t, "/v1/messages")["tools"], &sent); err != nil || len(sent) != len(params.Tools) {
		t.Fatalf("tools sent: %v (%v)", sent, err)
	}
	want, _ := json.Marshal(params.Tools[len(params.Tools)-1])
	if got := sent[len(sent)-1]; !jsonEqual(got, want) {
		t.Errorf("server tool sent as %s, want %s", got, want)
	}
}

// jsonEqual reports whether a and b are the same JSON value (members in
// any order).
func jsonEqual(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

// Web search through route auto lands on Claude: the search, its results
// and the cited text come back, the usage counts the search, and a next
// turn with them in its history works; named on an OpenAI deployment the
// request is a 400 that says why. The searches are priced.
func TestAnthropicWebSearch(t *testing.T) {
	t.Parallel()
	e, _ := newTapEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	web := []sdk.ToolUnionParam{{OfWebSearchTool20250305: &sdk.WebSearchTool20250305Param{MaxUses: sdk.Int(3),
		UserLocation: sdk.WebSearchTool20250305UserLocationParam{City: sdk.String("Paris")}}}}
	for _, streamed := range []bool{false, true} {
		t.Run(map[bool]string{false: "complete", true: "stream"}[streamed], func(t *testing.T) {
			params := userMessage("auto", "latest Go release notes", 512)
			params.Tools = web
			msg, dep := askVia(t, c, params, streamed)
			if !strings.HasPrefix(dep, "claude") {
				t.Fatalf("served by %q, want a Claude deployment", dep)
			}
			if got, want := contentTypes(msg), []string{"server_tool_use", "web_search_tool_result", "text", "text", "text"}; !reflect.DeepEqual(got, want) {
				t.Fatalf("content %v, want %v", got, want)
			}
			results := msg.Content[1].Content.AsWebSearchResultBlockArray()
			if len(results) != 2 || results[0].URL == "" || results[0].EncryptedContent == "" {
				t.Errorf("results %s", msg.Content[1].RawJSON())
			}
			cite := msg.Content[3].Citations
			if len(cite) != 1 || cite[0].Type != "web_search_result_location" || cite[0].URL != results[0].URL {
				t.Errorf("citations %s", mustJSON(cite))
			}
			if msg.Usage.ServerToolUse.WebSearchRequests != 1 || msg.StopReason != sdk.StopReasonEndTurn {
				t.Errorf("usage %s, stop %q", mustJSON(msg.Usage), msg.StopReason)
			}
			params.Messages = append(params.Messages, msg.ToParam(), sdk.NewUserMessage(sdk.NewTextBlock("And the one before?")))
			if next, dep := askVia(t, c, params, streamed); !strings.HasPrefix(dep, "claude") || len(next.Content) < 2 || next.Content[1].Type != "web_search_tool_result" {
				t.Errorf("the next turn, on %q: %s", dep, mustJSON(next.Content))
			}
		})
	}
	// Each search is in the request log's usage, and priced: $0.01 over
	// the tokens.
	for i, rec := range e.recorded(t, 4)[:4] {
		if rec.Usage.WebSearchRequests != 1 || rec.CostUSD < 0.01 || rec.CostUSD > 0.02 {
			t.Errorf("record %d: usage %+v, cost $%v", i, rec.Usage, rec.CostUSD)
		}
	}
	params := userMessage("gpt-4o-mini", "latest Go release notes", 512)
	params.Tools = web
	_, err := c.Messages.New(ctxT(t), params)
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || !strings.Contains(apiErr.Error(), "does not serve Anthropic's server tools") {
		t.Errorf("web search named on gpt-4o-mini: %v", err)
	}
}

// A request declaring Anthropic's code execution tool is answered with
// the container it ran in, as Claude reports it (the Message's container,
// message_delta's in a stream), so the client can send its id back to
// reuse the container: the next request naming it gets the same one.
// Before, the router wrote no container (then null) whatever Claude said.
func TestAnthropicCodeExecutionContainer(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	for _, streamed := range []bool{false, true} {
		params := userMessage("claude-sonnet-4-5", "Compute the mean of 3, 5 and 10.", 256)
		params.Tools = []sdk.ToolUnionParam{{OfCodeExecutionTool20250825: &sdk.CodeExecutionTool20250825Param{}}}
		msg, _ := askVia(t, c, params, streamed)
		id := msg.Container.ID
		if !strings.HasPrefix(id, "container_") || msg.Container.ExpiresAt.IsZero() {
			t.Fatalf("streamed %v: container %s, want Claude's", streamed, msg.Container.RawJSON())
		}
		params.Container = sdk.MessageCreateParamsContainerUnion{OfString: sdk.String(id)}
		if again, _ := askVia(t, c, params, streamed); again.Container.ID != id {
			t.Errorf("streamed %v: the container named %q came back as %q", streamed, id, again.Container.ID)
		}
	}
	plain, _ := askVia(t, c, userMessage("claude-sonnet-4-5", "Hi", 20), false)
	if !strings.Contains(plain.RawJSON(), `"container":null`) {
		t.Errorf("a request without code execution: %s, want container null", plain.RawJSON())
	}
}
