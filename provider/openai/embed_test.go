package openai

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"switchyard/llm"
)

func TestEmbed(t *testing.T) {
	dims := 16
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			c := simClient(t, k.kind, k.suffix)
			for _, d := range []*int{nil, &dims} {
				req := &llm.EmbeddingRequest{Model: "embed-sim", Input: []string{"alpha", "beta"}, Dimensions: d, EncodingFormat: "base64"}
				resp, err := c.Embed(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				want := 64
				if d != nil {
					want = *d
				}
				if len(resp.Data) != 2 || resp.Usage.PromptTokens == 0 || resp.Model != "embed-sim" {
					t.Fatalf("response = %+v", resp)
				}
				for i, e := range resp.Data {
					if e.Index != i || len(e.Vector) != want {
						t.Fatalf("embedding %d: index %d, %d dims, want %d", i, e.Index, len(e.Vector), want)
					}
					var n float64
					for _, x := range e.Vector {
						n += float64(x) * float64(x)
					}
					if math.Abs(n-1) > 1e-4 {
						t.Errorf("embedding %d has norm² %f, want 1", i, n)
					}
				}
			}
		})
	}
}

func TestEmbedErrors(t *testing.T) {
	c := newEnv(t, KindOpenAI, testKey).c
	tests := []struct {
		name string
		req  *llm.EmbeddingRequest
		want llm.ErrorKind
	}{
		{"chat model", &llm.EmbeddingRequest{Model: "gpt-sim", Input: []string{"x"}}, llm.KindUpstream}, // OpenAI answers 403
		{"unknown model", &llm.EmbeddingRequest{Model: "nope", Input: []string{"x"}}, llm.KindNotFound},
		{"rate limit", &llm.EmbeddingRequest{Model: "embed-sim", Input: []string{"x [[sim:rate_limit]]"}}, llm.KindRateLimit},
		{"malformed", &llm.EmbeddingRequest{Model: "embed-sim", Input: []string{"x [[sim:malformed]]"}}, llm.KindUpstream},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Embed(context.Background(), tt.req)
			if le := asLLM(t, err); le.Kind != tt.want {
				t.Errorf("error = %v, want kind %s", err, tt.want)
			}
		})
	}
}

// TestEmbedAsksForFloats checks the upstream is asked for floats whatever
// the client wants, and that Extra passes through.
func TestEmbedAsksForFloats(t *testing.T) {
	rec := &recorder{body: `{"object":"list","data":[{"object":"embedding","embedding":[0.0023064255,-0.009327292,-0.0028842222],"index":0}],"model":"text-embedding-ada-002","usage":{"prompt_tokens":8,"total_tokens":8}}`}
	c := serve(t, rec, KindAzure, "", testKey)
	req := &llm.EmbeddingRequest{Model: "ada", Input: []string{"The food was delicious"}, EncodingFormat: "base64",
		Extra: map[string]json.RawMessage{"input_type": json.RawMessage(`"query"`)}}
	resp, err := c.Embed(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Data) != 1 || len(resp.Data[0].Vector) != 3 || resp.Usage.PromptTokens != 8 {
		t.Errorf("response = %+v", resp)
	}
	hr, body := rec.last(t)
	if hr.URL.RequestURI() != "/openai/deployments/ada/embeddings?api-version=2024-10-21" {
		t.Errorf("URL = %s", hr.URL.RequestURI())
	}
	var sent map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &sent); err != nil {
		t.Fatal(err)
	}
	if string(sent["encoding_format"]) != `"float"` || string(sent["input_type"]) != `"query"` {
		t.Errorf("body = %s", body)
	}
}

// TestEmbedTokenInput sends token arrays (LangChain's default), which the
// codec keeps in Extra["input"], through to the upstream.
func TestEmbedTokenInput(t *testing.T) {
	c := newEnv(t, KindOpenAI, testKey).c
	req := &llm.EmbeddingRequest{Model: "embed-sim", Extra: map[string]json.RawMessage{"input": json.RawMessage(`[[1,2,3],[4,5]]`)}}
	resp, err := c.Embed(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Data) != 2 || resp.Usage.PromptTokens != 5 || len(resp.Data[1].Vector) != 64 {
		t.Errorf("response = %+v", resp.Usage)
	}
}

// TestEmbedImplausibleUsage checks that counts no upstream can mean are
// not passed on: the vectors come back with an estimated usage, also when
// the key is spelled with a \u escape (valid JSON).
func TestEmbedImplausibleUsage(t *testing.T) {
	for _, count := range []string{"-8", "1e30", "123456789012345678901234567890", "1000000000000", "1e30, key escaped"} {
		t.Run(count, func(t *testing.T) {
			key := `"usage"`
			if n, ok := strings.CutSuffix(count, ", key escaped"); ok {
				count, key = n, `"\u0075sage"`
			}
			rec := &recorder{body: `{"object":"list","data":[{"object":"embedding","embedding":[0.5,-0.5],"index":0}],"model":"m",` + key + `:{"prompt_tokens":` + count + `,"total_tokens":8}}`}
			c := serve(t, rec, KindOpenAI, "/v1", testKey)
			resp, err := c.Embed(context.Background(), &llm.EmbeddingRequest{Model: "m", Input: []string{"The food was delicious"}})
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Data) != 1 || len(resp.Data[0].Vector) != 2 {
				t.Fatalf("data = %+v", resp.Data)
			}
			if u := resp.Usage; !u.Estimated || u.PromptTokens != 6 || u.TotalTokens != 6 {
				t.Errorf("usage = %+v, want the estimate of 6 tokens", u)
			}
		})
	}
}
