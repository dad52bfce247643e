package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	goredis "github.com/redis/go-redis/v9"

	"switchyard/config"
)

// An OpenAI client's tool loop with reasoning_effort on Claude behind two
// routers sharing Redis (state.driver redis): the first turn reaches
// router A, which keeps Claude's thinking; the tool result's turn reaches
// router B, which never saw the first and finds the thinking in Redis
// (sealed there under the key both share), so
// Claude gets its signed thinking back (the Claude sim refuses the turn
// otherwise, and checks the signature) and the answer still thinks. A
// router on its own memory drops the reasoning for the same turn.
func TestToolLoopThinkingAcrossTwoRouters(t *testing.T) {
	t.Parallel()
	prefix := fmt.Sprintf("e2e-thinking-%d:", time.Now().UnixNano())
	rdb := goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:6379"})
	t.Cleanup(func() {
		ctx := context.Background()
		for _, k := range rdb.Keys(ctx, prefix+"*").Val() {
			rdb.Del(ctx, k)
		}
		rdb.Close()
	})
	shared := func(c *config.Config) {
		c.State = config.State{Driver: config.StateRedis, Addr: "127.0.0.1:6379", Prefix: prefix}
		withSharedKey(c) // the entries are sealed in Redis
	}
	a, _ := newTapEnv(t, shared)
	b, tapB := newTapEnv(t, shared)
	alone := newEnv(t, nil)
	var signatures []string // what Claude signed, which Redis must not hold in the clear
	for _, stream := range []bool{false, true} {
		params := toolLoopParams("claude-sonnet-4-5")
		// Another prompt each pass: the sim's tool call ids follow it.
		params.Messages = []openai.ChatCompletionMessageParamUnion{openai.UserMessage(fmt.Sprintf("Call get_weather for Oslo, please (pass %v).", stream))}
		kept := thinkingKeys(t, rdb, prefix)
		first := chatOnce(t, a, params, stream)
		calls := first.Choices[0].Message.ToolCalls
		if len(calls) == 0 {
			t.Fatalf("stream %v: no tool call in %s", stream, first.RawJSON())
		}
		awaitThinkingKeys(t, rdb, prefix, kept) // router A writes off the answer's path
		params.Messages = append(params.Messages, first.Choices[0].Message.ToParam(), openai.ToolMessage(`{"temp_c": 9}`, calls[0].ID))

		var resp *http.Response
		if chatOnce(t, alone, params, stream, option.WithResponseInto(&resp)); !strings.Contains(resp.Header.Get("x-switchyard-route"), "dropped=reasoning") {
			t.Errorf("stream %v: a router on its own memory kept the reasoning: %q", stream, resp.Header.Get("x-switchyard-route"))
		}
		second := chatOnce(t, b, params, stream, option.WithResponseInto(&resp))
		if route := resp.Header.Get("x-switchyard-route"); strings.Contains(route, "dropped=reasoning") {
			t.Errorf("stream %v: router B dropped the reasoning: %q", stream, route)
		}
		if second.Choices[0].Message.Content == "" {
			t.Fatalf("stream %v: second turn %s", stream, second.RawJSON())
		}
		body := tapB.lastBody(t, "/v1/messages")
		if body["thinking"] == nil {
			t.Errorf("stream %v: router B's turn does not think", stream)
		}
		var msgs []struct {
			Role    string            `json:"role"`
			Content []json.RawMessage `json:"content"`
		}
		if err := json.Unmarshal(body["messages"], &msgs); err != nil {
			t.Fatal(err)
		}
		if len(msgs) < 2 || len(thinkingBlocksOf(t, msgs[1].Content)) == 0 {
			t.Errorf("stream %v: router B sent the assistant turn without its thinking: %s", stream, body["messages"])
		}
		for _, b := range thinkingBlocksOf(t, msgs[1].Content) {
			var blk struct{ Signature string }
			json.Unmarshal([]byte(b), &blk)
			signatures = append(signatures, blk.Signature)
		}
	}
	m, err := http.Get(b.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer m.Body.Close()
	metrics, _ := io.ReadAll(m.Body)
	if want := `switchyard_thinking_shared_total{event="hit"} 2`; !strings.Contains(string(metrics), want) {
		t.Errorf("router B's metrics lack %s", want)
	}
	for _, k := range rdb.Keys(context.Background(), prefix+"*").Val() {
		if strings.Contains(k, "demo") || strings.Contains(k, "toolu") {
			t.Errorf("Redis key %q names the tenant or the call", k)
		}
		v := rdb.HGet(context.Background(), k, "v").Val() // state/redis keeps a value in a hash
		for _, sig := range signatures {
			if sig != "" && strings.Contains(v, sig) {
				t.Errorf("Redis holds the thinking in the clear under %q: %.200q", k, v)
			}
		}
	}
}

// thinkingKeys returns how many thinking entries Redis holds under prefix.
func thinkingKeys(t *testing.T, rdb *goredis.Client, prefix string) int {
	t.Helper()
	keys, err := rdb.Keys(context.Background(), prefix+"*thinking:t:*").Result()
	if err != nil {
		t.Fatalf("Redis at 127.0.0.1:6379: %v", err)
	}
	return len(keys)
}

// awaitThinkingKeys polls until Redis holds more thinking entries under
// prefix than before, failing after 10 s.
func awaitThinkingKeys(t *testing.T, rdb *goredis.Client, prefix string, before int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); thinkingKeys(t, rdb, prefix) <= before; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("router A wrote no thinking entry to Redis")
		}
	}
}
