package openai

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"switchyard/llm"
)

// addSeeds adds every spec fixture matching pattern plus extra bodies.
func addSeeds(f *testing.F, pattern string, extra ...[]byte) {
	files, _ := filepath.Glob(filepath.Join("testdata", "spec", pattern))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, b := range extra {
		f.Add(b)
	}
}

// asLLMError fails unless err is nil or an *llm.Error of the given kind.
func asLLMError(t *testing.T, err error, kind llm.ErrorKind) {
	if err == nil {
		return
	}
	e, ok := err.(*llm.Error)
	if !ok {
		t.Fatalf("error %v is a %T, not an *llm.Error", err, err)
	}
	if e.Kind != kind && kind != "" {
		t.Fatalf("error kind %s, want %s: %v", e.Kind, kind, e)
	}
}

func FuzzDecodeChatRequest(f *testing.F) {
	var seeds [][]byte
	for _, r := range sampleRequests() {
		b, _ := EncodeChatRequest(r)
		seeds = append(seeds, b)
	}
	seeds = append(seeds, []byte(fullRequest), []byte(benchRequest()), []byte(`{"model":"m","messages":[{"role":"user","content":"\ud83d\ude00\u2028"}]}`),
		[]byte(`{"model":"m","messages":[{"role":"user","content":[{"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0xLjQK"}},{"type":"file","file":{"file_id":"file-1"}}]}]}`),
		[]byte(`{"model":"m","messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c","content":[{"type":"text","text":"r"},{"type":"file","file":{"file_id":"file-1"}}]}]}`),
		[]byte(`{"model":"m","messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}}]}]}`),
		[]byte(`{"model":"m","messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c","content":[{"type":"text","text":"r"},{"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}}]}]}`),
		[]byte(`{"model":"m","messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c","content":[{"type":"refusal","refusal":"no"},{"type":"refusal","refusal":1}]}]}`),
		[]byte(customChatRequest), []byte(explicitCacheRequest), []byte(deepSeekToolLoop), []byte(allowedChatRequest),
		[]byte(`{"model":"m","messages":[{"role":"assistant","content":"a","reasoning":"r","reasoning_details":[{"type":"reasoning.encrypted","data":"e","index":0}]},{"role":"user","content":"b","reasoning_details":[1]}]}`),
		[]byte(`{"model":"gemini-3-flash-preview","messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"},"extra_content":{"google":{"thought_signature":"s"}}},{"id":"c2","type":"function","function":{"name":"f","arguments":"{}"},"extra_content":null}]}]}`),
		[]byte(`{"model":"gemini-3-pro-preview","messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"},"extra_content":{"switchyard":{"signature_model":"Gemini-3-Flash-Preview","x":1},"google":{"thought_signature":"s"}}},{"id":"c2","type":"function","function":{"name":"f","arguments":"{}"},"extra_content":{"switchyard":[1],"google":{"signature_model":"m"}}}]}]}`),
		[]byte(`{"model":"m","messages":[{"role":"assistant","content":"a","reasoning":"r","reasoning_content":null},{"role":"user","content":"b","reasoning_content":"x"}]}`),
		[]byte(`{"model":"gpt-4o","messages":[{"role":"user","content":[{"type":"file","prompt_cache_breakpoint":{"mode":"explicit"},"file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0xLjQK"}},{"type":"input_audio","input_audio":{"data":"AA==","format":"wav"},"prompt_cache_breakpoint":{}}]}]}`),
		[]byte(`{"model":"m","messages":[{"role":"system","content":[{"type":"text","text":"s","cache_control":{"type":"ephemeral","ttl":"1h"}}]},{"role":"user","content":[{"type":"text","text":"u","cache_control":{"type":"ephemeral"},"prompt_cache_breakpoint":null}]}]}`))
	for _, tc := range unknownPartCases {
		seeds = append(seeds, []byte(tc.body))
	}
	for _, tc := range orReasoningErrorCases {
		seeds = append(seeds, []byte(tc.body))
	}
	seeds = append(seeds, []byte(orReasoningBody(`"reasoning_effort":"low","reasoning":{"effort":"high","exclude":true,"summary":"auto"}`)),
		[]byte(orReasoningBody(`"reasoning":{"max_tokens":2000,"enabled":true}`)))
	for _, tc := range requestErrorCases {
		if len(tc.body) < 1000 {
			seeds = append(seeds, []byte(tc.body))
		}
	}
	addSeeds(f, "chat_*_request.json", seeds...)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeChatRequest(data)
		owned, oerr := DecodeChatRequestOwned(slices.Clone(data))
		if (err == nil) != (oerr == nil) || (err != nil && err.Error() != oerr.Error()) || !reflect.DeepEqual(r, owned) {
			t.Fatalf("DecodeChatRequestOwned differs: %v / %v\n%+v\n%+v", err, oerr, r, owned)
		}
		asLLMError(t, err, llm.KindInvalidRequest)
		if err != nil {
			return
		}
		// A body that is not JSON is refused whole, never half-read.
		if !json.Valid(data) {
			t.Fatalf("%q is not JSON, yet decoded", data)
		}
		if n := r.CacheBreakpoints(); n > llm.MaxCacheMatchBreakpoints {
			t.Fatalf("%d cache breakpoints kept", n)
		}
		explicit := ExplicitCacheModel(r.ModelID())
		if !explicit { // sent no breakpoints nor options
			llm.KeepLastBreakpoints(r.Messages, 0)
			r.PromptCache = llm.CacheOptions{}
		}
		if body, err := EncodeChatRequest(r); err != nil || !json.Valid(body) {
			t.Fatalf("re-encode: %v\n%s", err, body)
		}
		// With reasoning_content and thought signatures, an assistant
		// message's thinking and its calls' signatures too come back as
		// they were decoded (a Gemini 3 model's unsigned calls get the
		// sentinel).
		body, err := EncodeChatRequestWith(r, ChatOptions{ReasoningContent: true, ThoughtSignatures: true, ReasoningDetails: true, AllowedTools: true})
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		if !json.Valid(body) {
			t.Fatalf("re-encoded body is not JSON: %s", body)
		}
		if !explicit && bytes.Contains(data, []byte("prompt_cache_breakpoint")) {
			return // a raw part's breakpoint was cut out of it, its members re-ordered
		}
		if GeminiSignsCalls(r.ModelID()) {
			return // unsigned calls went with the sentinel
		}
		if mediaInResults(r.Messages) {
			// a tool message's images went after the tool messages,
			// where OpenAI's model sees them (mediaAfterResults)
			return
		}
		if len(r.Tools) == 0 { // without tools neither is sent (appendTools)
			r.ToolChoice, r.ParallelToolCalls = nil, nil
		}
		r2, err := DecodeChatRequest(body)
		if err != nil {
			t.Fatalf("decode of re-encoded body: %v\n%s", err, body)
		}
		if !reflect.DeepEqual(r, r2) {
			t.Fatalf("round trip changed the request\n got %+v\nwant %+v\nbody %s", r2, r, body)
		}
	})
}

func FuzzDecodeChatResponse(f *testing.F) {
	withLogprobs := sampleResponse()
	withLogprobs.Choices[0].Logprobs = sampleLogprobs()
	addSeeds(f, "chat_*_response.json", AppendChatResponse(nil, sampleResponse()), AppendChatResponse(nil, withLogprobs),
		[]byte(`{"error":{"message":"x","type":"server_error"}}`),
		[]byte(`{"choices":[{"message":{"content":[{"type":"text","text":"a"}],"tool_calls":[{"function":{"arguments":{}}}]}}],"created":1.5}`),
		[]byte(`{"choices":[{"message":{"role":"assistant","content":null,"audio":{"id":"audio_1","expires_at":1,"data":"UklGRg==","transcript":"hi"},"annotations":[{"type":"url_citation","url_citation":{"start_index":0,"end_index":2,"url":"https://x","title":"t"}}]}}]}`),
		[]byte("{\"choices\":[{\"message\":{\"content\":\"a\",\"audio\":{\n\"id\": \"x\"\n},\"annotations\":null}}]}"),
		[]byte(`{"choices":[{"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"custom","custom":{"name":"apply_patch","input":"*** Begin Patch"}}]},"finish_reason":"tool_calls"}]}`),
		[]byte(deepSeekResponse),
		[]byte(`{"choices":[{"message":{"content":"a","reasoning":"r\u00e9","reasoning_content":"","reasoning_details":[{"type":"reasoning.text"}]}}]}`),
		[]byte(`{"choices":[{"message":{"content":"a","reasoning":{"effort":"low"}}}]}`),
		[]byte(googleCompatResponse), []byte(openRouterResponse),
		[]byte(`{"choices":[{"message":{"content":"a","reasoning_details":[]}},{"message":{"reasoning_details":{"x":1}}},{"message":{"reasoning_details":[1,
2]}}]}`),
		[]byte(`{"choices":[{"message":{"tool_calls":[{"id":"c","function":{"name":"f","arguments":"{}"},"extra_content":{"google":{"thought_signature":"\u0041","x":[1]},"openai":{}}}]}}]}`))
	for _, h := range hostUsages {
		f.Add([]byte(`{"id":"x","choices":[],"usage":` + h.usage + `}`))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeChatResponse(data)
		asLLMError(t, err, "")
		if err != nil {
			return
		}
		body := AppendChatResponse(nil, r)
		if !json.Valid(body) {
			t.Fatalf("appended response is not JSON: %s", body)
		}
		r2, err := DecodeChatResponse(body)
		if err != nil {
			t.Fatalf("decode of appended response: %v\n%s", err, body)
		}
		forgetReportedCost(r.Usage)
		if !reflect.DeepEqual(r, r2) {
			t.Fatalf("round trip changed the response\n got %+v\nwant %+v", r2, r)
		}
	})
}

func FuzzDecodeChunk(f *testing.F) {
	var seeds [][]byte
	for _, c := range append(sampleChunks(), logprobChunks()...) {
		seeds = append(seeds, AppendChunkIncludeUsage(nil, c))
	}
	seeds = append(seeds, []byte(`{"error":{"message":"x","type":"server_error"}}`), []byte(`{"object":"error","message":"x","code":500}`),
		[]byte(`{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"audio":{"id":"audio_1","transcript":"He"}},"finish_reason":null}]}`),
		[]byte(`{"id":"c","choices":[{"index":0,"delta":{"annotations":[{"type":"url_citation"}],"audio":{"expires_at":5}}}]}`),
		[]byte(`{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"custom","custom":{"name":"t","input":"a\nb"}}]}}]}`),
		[]byte(`{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"custom":{"input":"b"},"function":{"arguments":"x"}}]}}]}`),
		[]byte(deepSeekChunks[0]), []byte(deepSeekChunks[1]),
		[]byte(`{"id":"c","choices":[{"index":0,"delta":{"reasoning":"a","reasoning_content":"b"}}]}`),
		[]byte(`{"id":"c","choices":[{"index":0,"delta":{"reasoning_content":"b","reasoning":"a","content":"x"}}]}`),
		[]byte(googleCompatChunk),
		[]byte(`{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"id":"a","function":{"name":"f"}},{"index":null,"function":{"arguments":"x"}}]}}]}`),
		[]byte(`{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"extra_content":{"google":{"thought_signature":""}},"function":{"arguments":"x"}}]}}]}`))
	for _, h := range hostUsages {
		seeds = append(seeds, []byte(`{"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":`+h.usage+`}`))
	}
	for _, h := range hostUsageChunks {
		seeds = append(seeds, []byte(h.chunk))
	}
	addSeeds(f, "none", seeds...)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := DecodeChunk(data)
		asLLMError(t, err, "")
		if err != nil {
			return
		}
		body := AppendChunk(nil, c)
		if !json.Valid(body) {
			t.Fatalf("appended chunk is not JSON: %s", body)
		}
		c2, err := DecodeChunk(body)
		if err != nil {
			t.Fatalf("decode of appended chunk: %v\n%s", err, body)
		}
		forgetReportedCost(c.Usage)
		if !reflect.DeepEqual(c, c2) {
			t.Fatalf("round trip changed the chunk\n got %+v\nwant %+v", c2, c)
		}
	})
}

// forgetReportedCost clears the cost an upstream stated in u (nil: none):
// the router writes its own served cost in its answers' usage, never the
// upstream's, so a round trip does not keep it.
func forgetReportedCost(u *llm.Usage) {
	if u != nil {
		u.CostReported, u.ReportedCostUSD = false, 0
	}
}

func FuzzDecodeEmbeddingRequest(f *testing.F) {
	addSeeds(f, "embeddings_*_request.json",
		[]byte(`{"model":"m","input":["a","b"],"encoding_format":"base64","dimensions":3,"user":"u","input_type":"query"}`),
		[]byte(`{"model":"m","input":[[1,2],[3]]}`), []byte(`{"model":"m","input":[1,2,3]}`),
		[]byte(`{"model":"m","input":[1,[2]]}`), []byte(`{"model":"m","input":[[0],[-1]]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeEmbeddingRequest(data)
		asLLMError(t, err, llm.KindInvalidRequest)
		if err != nil {
			return
		}
		// A body that is not JSON is refused whole, never half-read.
		if !json.Valid(data) {
			t.Fatalf("%q is not JSON, yet decoded", data)
		}
		body, err := EncodeEmbeddingRequest(r)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		r2, err := DecodeEmbeddingRequest(body)
		if err != nil {
			t.Fatalf("decode of re-encoded body: %v\n%s", err, body)
		}
		r.EncodingFormat = "float" // EncodeEmbeddingRequest always asks upstream for floats
		if !reflect.DeepEqual(r, r2) {
			t.Fatalf("round trip changed the request\n got %+v\nwant %+v\nbody %s", r2, r, body)
		}
	})
}

// mediaInResults reports whether a tool message of msgs holds more than
// text.
func mediaInResults(msgs []llm.Message) bool {
	for i := range msgs {
		if toolMessageWithMedia(&msgs[i]) {
			return true
		}
	}
	return false
}

// FuzzThinkSplit: whatever the chunking, the splitter gives the reasoning
// and text it gives for the whole reply, and never holds more than a
// possible tag's start; what it gives, reasoning then text, is the reply
// with only the tags and the whitespace around them taken out.
func FuzzThinkSplit(f *testing.F) {
	for _, s := range []string{
		"<think>\nLet me see.\n</think>\n\nHello.", "\n\n<think>a</think>b", "Hello", "<think>open",
		"<thi", "<think>x</thi", "r</think>a", "<think><think></think></think>", "  <thinker>", "</think>",
	} {
		f.Add(s, []byte{1, 3, 2}, false)
		f.Add(s, []byte{7}, true)
	}
	f.Fuzz(func(t *testing.T, in string, cuts []byte, implicit bool) {
		wantR, wantT, _ := splitWhole(implicit, in)
		var pieces []string
		rest := in
		for i := 0; rest != ""; i++ {
			n := 1
			if len(cuts) > 0 {
				n = int(cuts[i%len(cuts)])%9 + 1
			}
			n = min(n, len(rest))
			pieces = append(pieces, rest[:n])
			rest = rest[n:]
		}
		r, text, held := splitWhole(implicit, pieces...)
		if r != wantR || text != wantT {
			t.Fatalf("pieces %q: reasoning %q text %q, whole gives %q %q", pieces, r, text, wantR, wantT)
		}
		if held > maxHeld {
			t.Fatalf("held %d bytes", held)
		}
		if !strings.Contains(in, wantR) || !strings.Contains(in, wantT) {
			t.Fatalf("%q split into %q and %q, not pieces of it", in, wantR, wantT)
		}
		if !implicit && !strings.HasPrefix(strings.TrimLeft(in, " \t\r\n"), "<think>") && (wantR != "" || wantT != in) {
			t.Fatalf("%q has no leading block, split into %q and %q", in, wantR, wantT)
		}
	})
}
