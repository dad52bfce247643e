package openai

import (
	"reflect"
	"testing"
	"unsafe"

	"switchyard/llm"
)

// fastSeeds are chunks of the fast path's shapes (the first fastTaken)
// and near misses of them.
var fastSeeds = []string{
	`{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{"content":" the quick brown fox"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"x1y2"}`,
	`{"id":"c","object":"chat.completion.chunk","created":0,"model":"m","choices":[{"index":0,"delta":{"content":""},"finish_reason":null}]}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","system_fingerprint":null,"choices":[{"index":2,"delta":{"content":"héllo, 世界"},"logprobs":null}]}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}]}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"x"}}]}`,
	`{"id":"chatcmpl-5","object":"chat.completion.chunk","created":1796448595,"model":"gpt-4o-mini","system_fingerprint":"fp_70c0fca938","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]}`,
	`{"id":"chatcmpl-5","object":"chat.completion.chunk","created":1796448595,"model":"gpt-4o-mini","system_fingerprint":"fp_70c0fca938","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"some_new_reason"}]}`,
	`{"id":"chatcmpl-5","object":"chat.completion.chunk","created":1796448595,"model":"gpt-4o-mini","system_fingerprint":"fp_70c0fca938","choices":[],"usage":{"prompt_tokens":217,"completion_tokens":38,"total_tokens":255,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2.5,"total_tokens":null,"prompt_tokens_details":null,"extra":{"a":[1,{"b":"c"}]}},"obfuscation":"pad"}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{ "prompt_tokens" : 3 }}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"a\"b"}}]}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"line\nbreak \u00e9 \ud83d\ude00 \\ \t"},"finish_reason":null}]}`,
	// OpenAI's own chunks carry the service tier.
	`{"id":"chatcmpl-7","object":"chat.completion.chunk","created":1796448595,"model":"gpt-4o-mini","service_tier":"default","system_fingerprint":"fp_70c0fca938","choices":[{"index":0,"delta":{"content":" fox"},"logprobs":null,"finish_reason":null}],"obfuscation":"k3"}`,
	`{"id":"chatcmpl-7","object":"chat.completion.chunk","created":1796448595,"model":"gpt-4o-mini","service_tier":"default","system_fingerprint":"fp_70c0fca938","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}`,
	// DeepSeek's thinking: the role with empty reasoning, reasoning
	// pieces, then the answer's with a null reasoning_content.
	`{"id":"43a31dda-92f6-4cdf-a333-bb399599a824","object":"chat.completion.chunk","created":1739097227,"model":"deepseek-reasoner","system_fingerprint":"fp_7e73fd9a08","choices":[{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":""},"logprobs":null,"finish_reason":null}]}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"deepseek-reasoner","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"content":null,"reasoning_content":"Okay, \"hi\"\n\u597d"},"logprobs":null,"finish_reason":null}]}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"deepseek-reasoner","choices":[{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":"The"}}]}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"deepseek-reasoner","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"content":"Hello","reasoning_content":null},"logprobs":null,"finish_reason":null}]}`,
	// Near misses: the general decoder must read these.
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":null}}]}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":null,"reasoning_content":null}}]}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"reasoning_content":"x","content":null}}]}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":null,"reasoning_content":"bad \x"}}]}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"bad \x escape"}}]}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"raw
newline"}}]}`,
	`{"id":"c","object":"chat.com\u0070letion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"x"}}]}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":null}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":1}} `,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":1},"choices":[]}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":"x"}}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":1}`,
	`{"id":"c","object":"chat.completion.chunk","created":01,"model":"m","choices":[{"index":0,"delta":{"content":"x"}}]}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"st\u006fp"}]}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"user","content":"x"}}]}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"x","refusal":"no"}}]}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant"}}]}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[]}}]}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":null}]}`,
	`{"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": [{"index": 0, "delta": {"content": "x"}}]}`,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"x"}}]} `,
	`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"x"}}],"usage":{"prompt_tokens":1}}`,
	`{"id":"c","object":"chat.completion.chunk","created":12345678901234567890,"model":"m","choices":[{"index":0,"delta":{"content":"x"}}]}`,
}

// fastTaken is how many of fastSeeds, first, the fast path takes.
const fastTaken = 19

func TestFastChunkTakesTheCommonShape(t *testing.T) {
	for i, s := range fastSeeds[:fastTaken] {
		c := fastChunk([]byte(s), nil)
		if c == nil {
			t.Errorf("seed %d: the fast path refused %s", i, s)
			continue
		}
		if general, err := decodeChunk([]byte(s)); err != nil || !reflect.DeepEqual(c, general) {
			t.Errorf("seed %d: fast %+v, general %+v (%v)", i, c, general, err)
		}
	}
	for i, s := range fastSeeds[fastTaken:] {
		if c := fastChunk([]byte(s), nil); c != nil {
			t.Errorf("near miss %d: the fast path took %s as %+v", i, s, c)
		}
	}
}

// FuzzFastChunk checks that whatever the fast path accepts, it decodes
// exactly as the general decoder does.
func FuzzFastChunk(f *testing.F) {
	for _, s := range fastSeeds {
		f.Add([]byte(s))
	}
	for _, c := range sampleChunks() {
		f.Add(AppendChunk(nil, c))
	}
	prev, err := decodeChunk([]byte(fastSeeds[0]))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fast := fastChunk(data, nil)
		if fast == nil {
			return
		}
		general, err := decodeChunk(data)
		if err != nil {
			t.Fatalf("the fast path took what the general decoder refuses (%v): %q", err, data)
		}
		if !reflect.DeepEqual(fast, general) {
			t.Fatalf("fast %+v\ngeneral %+v\nfor %q", fast, general, data)
		}
		if after := fastChunk(data, prev); !reflect.DeepEqual(after, general) {
			t.Fatalf("after a previous chunk: fast %+v\ngeneral %+v\nfor %q", after, general, data)
		}
	})
}

// TestFastChunkSharesRepeatedStrings checks that a chunk after another of
// the same stream shares its id, model and fingerprint (no new copies)
// and allocates only the chunk and its content.
func TestFastChunkSharesRepeatedStrings(t *testing.T) {
	data := []byte(fastSeeds[0])
	prev, err := DecodeChunk(data)
	if err != nil {
		t.Fatal(err)
	}
	var c *llm.Chunk
	allocs := testing.AllocsPerRun(100, func() { c, _ = DecodeChunkAfter(data, prev) })
	if allocs > 2 {
		t.Errorf("%v allocations per chunk after the first, want 2 (the chunk, its content)", allocs)
	}
	if unsafe.StringData(c.ID) != unsafe.StringData(prev.ID) || unsafe.StringData(c.Model) != unsafe.StringData(prev.Model) {
		t.Error("id and model were copied, not shared")
	}
	if !reflect.DeepEqual(c, prev) {
		t.Errorf("got %+v, want %+v", c, prev)
	}
}
