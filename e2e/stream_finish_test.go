package e2e

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// The SDKs' stream helpers tell a caller when a piece of the answer is
// complete — openai-go's ChatCompletionAccumulator.JustFinishedContent and
// JustFinishedToolCall, npm openai's content.done and
// tool_calls.function.arguments.done events — by seeing the next chunk
// move on: to another tool call, or to the finish chunk. OpenAI streams
// each tool call in chunks of its own and the finish_reason in a chunk
// with an empty delta, so a stream that put the last text, a tool call or
// two calls in the chunk that finishes (as Gemini answers) would never
// report them finished. Whatever the upstream, the router streams in
// OpenAI's shape.

// TestStreamHelpersSeeEachPieceFinish runs openai-go's accumulator over a
// text answer, a tool call and two parallel calls on every wire format,
// OpenAI's Responses API (gpt-5.3-codex) too.
func TestStreamHelpersSeeEachPieceFinish(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, dep := range append(chatDeployments, "gpt-5.3-codex") {
		t.Run(dep, func(t *testing.T) {
			acc, finished := accumulate(t, e, openai.ChatCompletionNewParams{Model: dep,
				Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Write a few sentences about rivers.")}})
			if text := acc.Choices[0].Message.Content; text == "" || finished.content != text {
				t.Errorf("JustFinishedContent gave %q; the answer is %q", finished.content, text)
			}
			acc, finished = accumulate(t, e, openai.ChatCompletionNewParams{Model: dep,
				Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(parallelPrompt)},
				Tools:    []openai.ChatCompletionToolUnionParam{weatherTool, timeTool}})
			calls := acc.Choices[0].Message.ToolCalls
			if len(calls) != 2 || strings.Join(finished.tools, ",") != "0 get_weather,1 get_time" {
				t.Errorf("JustFinishedToolCall gave %q for the calls %+v", finished.tools, calls)
			}
			if finished.contents != 0 {
				t.Errorf("JustFinishedContent reported text %d times in an answer of tool calls alone", finished.contents)
			}
		})
	}
}

type finishedPieces struct {
	content  string
	contents int      // how many times JustFinishedContent reported
	tools    []string // "index name" of each call reported finished
}

func accumulate(t *testing.T, e *env, params openai.ChatCompletionNewParams, opts ...option.RequestOption) (openai.ChatCompletionAccumulator, finishedPieces) {
	t.Helper()
	stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), params, opts...)
	defer stream.Close()
	var acc openai.ChatCompletionAccumulator
	var got finishedPieces
	for stream.Next() {
		acc.AddChunk(stream.Current())
		if s, ok := acc.JustFinishedContent(); ok {
			got.content = s
			got.contents++
		}
		if tc, ok := acc.JustFinishedToolCall(); ok {
			got.tools = append(got.tools, strconv.Itoa(tc.Index)+" "+tc.Name)
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	return acc, got
}

// TestStreamFinishOnAChunkOfItsOwn reads the raw events: a chunk with a
// finish_reason carries an empty delta, and no chunk carries more than
// one tool call or text beside a call.
func TestStreamFinishOnAChunkOfItsOwn(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, dep := range chatDeployments {
		for _, tools := range []bool{false, true} {
			t.Run(dep+map[bool]string{false: "/text", true: "/tools"}[tools], func(t *testing.T) {
				body := `{"model":"` + dep + `","stream":true,"n":1,"messages":[{"role":"user","content":"Write about rivers."}]}`
				if tools {
					body = `{"model":"` + dep + `","stream":true,"messages":[{"role":"user","content":"` + parallelPrompt + `"}],` +
						`"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}},` +
						`{"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}`
				}
				for i, c := range rawChunks(t, e, body) {
					for _, ch := range c.Choices {
						d := ch.Delta
						if ch.Finish != nil && (d.Content != "" || len(d.ToolCalls) > 0 || d.Role != "") {
							t.Errorf("chunk %d finishes with a delta: %+v", i, ch)
						}
						if len(d.ToolCalls) > 1 || len(d.ToolCalls) == 1 && d.Content != "" {
							t.Errorf("chunk %d holds more than one piece: %+v", i, ch)
						}
					}
				}
			})
		}
	}
}

type rawChunk struct {
	Choices []struct {
		Delta struct {
			Role      string            `json:"role"`
			Content   string            `json:"content"`
			ToolCalls []json.RawMessage `json:"tool_calls"`
		} `json:"delta"`
		Finish *string `json:"finish_reason"`
	} `json:"choices"`
}

func rawChunks(t *testing.T, e *env, body string) []rawChunk {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctxT(t), "POST", e.URL+"/v1/chat/completions", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []rawChunk
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok || data == "[DONE]" {
			continue
		}
		var c rawChunk
		if err := json.Unmarshal([]byte(data), &c); err != nil {
			t.Fatalf("chunk %s: %v", data, err)
		}
		out = append(out, c)
	}
	if len(out) < 2 {
		t.Fatalf("%d chunks (status %d)", len(out), resp.StatusCode)
	}
	return out
}
