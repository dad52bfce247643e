package e2e

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/record"
)

// Embeddings and legacy completions batches forwarded (below). An
// embeddings batch forwarded to OpenAI's Batch API (the simulator's,
// which answers each line with its own embeddings handler): the
// text-embedding-3-small lines go as one provider batch, the Gemini line
// runs on the router; the output file has the shape a batch run wholly
// on the router has (base64 where the line asked for it), each forwarded
// line at half the live price and recorded batch=provider.

// embedBatchInput is a batch of embeddings lines: two to
// text-embedding-3-small (one base64), one to gemini-embedding-001.
const embedBatchInput = `{"custom_id":"a","method":"POST","url":"/v1/embeddings","body":{"model":"text-embedding-3-small","input":["tide tables","moon phases"]}}
{"custom_id":"b","method":"POST","url":"/v1/embeddings","body":{"model":"text-embedding-3-small","input":"harbour","encoding_format":"base64"}}
{"custom_id":"g","method":"POST","url":"/v1/embeddings","body":{"model":"gemini-embedding-001","input":"lighthouse"}}
`

// embedBatches declares the capability batch on the demo's
// text-embedding-3-small (on api.openai.com it need not).
func embedBatches(c *config.Config) {
	d := c.Deployments["text-embedding-3-small"]
	d.Capabilities = append(slices.Clip(d.Capabilities), llm.CapBatch)
}

func TestBatchesForwardEmbeddings(t *testing.T) {
	t.Parallel()
	local, _ := storedEnv(t, storeBackends[0].open(t), localBatches)
	ran := awaitBatch(t, local.Client, newBatch(t, local.Client, openai.BatchNewParamsEndpointV1Embeddings, embedBatchInput, nil).ID, openai.BatchStatusCompleted)
	want := fileLines(t, local.Client, ran.OutputFileID)

	e, _ := storedEnv(t, storeBackends[0].open(t), func(c *config.Config) {
		embedBatches(c)
		c.Batches.PollInterval = 100 * time.Millisecond
	})
	done := awaitBatch(t, e.Client, newBatch(t, e.Client, openai.BatchNewParamsEndpointV1Embeddings, embedBatchInput, nil).ID, openai.BatchStatusCompleted)
	if done.RequestCounts.Completed != 3 || done.ErrorFileID != "" {
		t.Fatalf("completed = %s", done.RawJSON())
	}
	if n := simBatches(t, e.SimAddr, nil); n.Created != 1 || n.Lines != 2 {
		t.Fatalf("OpenAI saw %+v, want one batch of the two text-embedding-3-small lines", n)
	}
	out := fileLines(t, e.Client, done.OutputFileID)
	forwarded := map[string]string{}
	for _, id := range []string{"a", "b", "g"} {
		if got, w := jsonShape(out[id]), jsonShape(want[id]); !reflect.DeepEqual(got, w) {
			t.Errorf("line %s = %v\nits shape differs from the line run on the router: %v", id, out[id], want[id])
		}
		status, body, rid := lineBody(out[id])
		if status != 200 || body["object"] != "list" {
			t.Fatalf("line %s = %v", id, out[id])
		}
		if id == "g" {
			continue
		}
		forwarded[rid] = id
		u, _ := body["usage"].(map[string]any)
		p, _ := u["prompt_tokens"].(float64)
		if want := p * 0.02 / 1e6 / 2; want == 0 || math.Abs(lineCost(out[id])-want) > 1e-12 {
			t.Errorf("line %s costs %v, want half the live price %v", id, lineCost(out[id]), want)
		}
	}
	if _, body, _ := lineBody(out["b"]); !isString(body, "data", 0, "embedding") {
		t.Errorf("line b's embedding is not base64: %v", body)
	}
	seen := 0
	for _, rec := range e.recorded(t, 3) {
		if _, ok := forwarded[rec.RequestID]; ok {
			seen++
			if rec.Batch != record.BatchProvider || rec.Endpoint != "embeddings" || rec.Deployment != "text-embedding-3-small" || rec.Tenant != respTenantA || rec.Status != 200 || rec.CostUSD <= 0 || rec.Usage.PromptTokens == 0 {
				t.Errorf("record of a forwarded line: %+v", rec)
			}
			if !strings.HasPrefix(rec.BatchID, "batch_") {
				t.Errorf("a forwarded line's record names the batch %q", rec.BatchID)
			}
		} else if rec.Batch != record.BatchRouter || !strings.HasPrefix(rec.BatchID, "batch_") {
			t.Errorf("a line run on the router marked %q of batch %q", rec.Batch, rec.BatchID)
		}
	}
	if seen != 2 {
		t.Errorf("%d forwarded lines recorded, want 2", seen)
	}
}

// jsonShape is v with every string, number and id replaced by its kind:
// the keys and the lengths of arrays are kept.
func jsonShape(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = jsonShape(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = jsonShape(x)
		}
		return out
	case string:
		return "string"
	case float64:
		return "number"
	}
	return v
}

// isString reports whether the value at path in v (keys and indexes) is
// a string.
func isString(v any, path ...any) bool {
	for _, p := range path {
		switch p := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[p]
		case int:
			a, _ := v.([]any)
			if p >= len(a) {
				return false
			}
			v = a[p]
		}
	}
	_, ok := v.(string)
	return ok
}

// A completions batch forwarded: the gpt-3.5-turbo-instruct line (a
// completions-only model, called natively) goes to OpenAI's Batch API as
// a /v1/completions batch, the gpt-4o-mini line as a chat batch; both
// come back as text_completion objects shaped as those run on the
// router (echo and logprobs included), at half the live price.
func TestBatchesForwardCompletions(t *testing.T) {
	t.Parallel()
	input := batchLine("i", "/v1/completions", `{"model":"gpt-3.5-turbo-instruct","prompt":"Once upon a time","max_tokens":8,"logprobs":2}`) +
		batchLine("c", "/v1/completions", `{"model":"gpt-4o-mini","prompt":"Capital of Peru?","max_tokens":8,"echo":true}`)
	local, _ := storedEnv(t, storeBackends[0].open(t), localBatches)
	ran := awaitBatch(t, local.Client, newBatch(t, local.Client, openai.BatchNewParamsEndpointV1Completions, input, nil).ID, openai.BatchStatusCompleted)
	want := fileLines(t, local.Client, ran.OutputFileID)

	e, _ := storedEnv(t, storeBackends[0].open(t), func(c *config.Config) {
		d := c.Deployments["gpt-3.5-turbo-instruct"]
		d.Capabilities = append(slices.Clip(d.Capabilities), llm.CapBatch)
		c.Batches.PollInterval = 100 * time.Millisecond
	})
	done := awaitBatch(t, e.Client, newBatch(t, e.Client, openai.BatchNewParamsEndpointV1Completions, input, nil).ID, openai.BatchStatusCompleted)
	if done.RequestCounts.Completed != 2 || done.ErrorFileID != "" {
		t.Fatalf("completed = %s", done.RawJSON())
	}
	if n := simBatches(t, e.SimAddr, nil); n.Created != 2 || n.Lines != 2 {
		t.Fatalf("OpenAI saw %+v, want a batch for each deployment", n)
	}
	out := fileLines(t, e.Client, done.OutputFileID)
	prices := map[string][2]float64{"i": {1.5, 2}, "c": {0.15, 0.6}}
	for id, p := range prices {
		if got, w := jsonShape(out[id]), jsonShape(want[id]); !reflect.DeepEqual(got, w) {
			t.Errorf("line %s = %v\nits shape differs from the line run on the router: %v", id, out[id], want[id])
		}
		status, body, _ := lineBody(out[id])
		choices, _ := body["choices"].([]any)
		if status != 200 || body["object"] != "text_completion" || len(choices) != 1 {
			t.Fatalf("line %s = %v", id, out[id])
		}
		u, _ := body["usage"].(map[string]any)
		in, _ := u["prompt_tokens"].(float64)
		o, _ := u["completion_tokens"].(float64)
		if w := (in*p[0] + o*p[1]) / 1e6 / 2; w == 0 || math.Abs(lineCost(out[id])-w) > 1e-12 {
			t.Errorf("line %s costs %v, want half the live price %v", id, lineCost(out[id]), w)
		}
	}
	if _, body, _ := lineBody(out["c"]); !strings.HasPrefix(fmt.Sprint(body["choices"].([]any)[0].(map[string]any)["text"]), "Capital of Peru?") {
		t.Errorf("line c is not echoed: %v", body)
	}
}
