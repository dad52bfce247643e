package responses

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"switchyard/llm"
)

// A compact request is read as the create request that would continue
// the conversation (strictly, model required); its summary request is the
// conversation as a transcript, tool calls and results as text, no tools.
func TestDecodeCompactRequest(t *testing.T) {
	body := `{"model":"auto","instructions":"Be brief.","input":[{"role":"user","content":"Fix parse.go"},` +
		`{"type":"function_call","call_id":"c1","name":"read_file","arguments":"{\"path\":\"parse.go\"}"},` +
		`{"type":"function_call_output","call_id":"c1","output":"package parse"},{"role":"user","content":"Thanks"}],"service_tier":"flex"}`
	cr, err := DecodeCompactRequest([]byte(body), Stored{})
	if err != nil {
		t.Fatal(err)
	}
	sr := cr.SummaryRequest()
	text := sr.Messages[0].Text()
	if sr.Model != "auto" || len(sr.Messages) != 1 || len(sr.Tools) != 0 || sr.ServiceTier != llm.ServiceTier("flex") {
		t.Errorf("summary request %+v", sr)
	}
	for _, want := range []string{compactionPrompt, "[system]\nBe brief.", "[user]\nFix parse.go", "(called read_file as c1 with {\"path\":\"parse.go\"})", "[tool result of c1]\npackage parse", "</conversation>"} {
		if !strings.Contains(text, want) {
			t.Errorf("transcript lacks %q:\n%s", want, text)
		}
	}
	for _, c := range []struct{ body, param string }{
		{`{"input":"hi"}`, "model"},
		{`{"model":"m","input":"hi","tools":[]}`, "tools"},
		{`{"model":"m","input":[{"type":"compaction"}]}`, "input[0].encrypted_content"},
		{`{"model":"m","input":"hi","image":{"context_compression":"max"}}`, "image.context_compression"},
		{`{"model":"m","input":"hi","background_options":{}}`, "background_options"},
	} {
		_, err := DecodeCompactRequest([]byte(c.body), Stored{})
		var e *llm.Error
		if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Param != c.param {
			t.Errorf("%s: %v, want a 400 on %s", c.body, err, c.param)
		}
	}
}

// The compacted object holds the user messages (not an earlier summary)
// and the compaction item; its summary, sent back, becomes a user message
// where the item stood; it opens only for its tenant and never as a
// reasoning blob, nor the reverse.
func TestCompactionRoundTrip(t *testing.T) {
	sl := testSealer(t, 1, "acme")
	cr, err := DecodeCompactRequest([]byte(`{"model":"m","input":[{"role":"user","content":"one"},{"role":"assistant","content":"ok"},{"role":"user","content":"two"}]}`), Stored{})
	if err != nil {
		t.Fatal(err)
	}
	blob := sl.SealSummary("We fixed parse.go.")
	b := cr.AppendCompacted(nil, IDs{Base: "x1"}, 7, blob, &llm.Usage{PromptTokens: 10, CompletionTokens: 4}, "0.001")
	var obj struct {
		ID, Object string
		CreatedAt  int64 `json:"created_at"`
		Output     []map[string]any
		Usage      map[string]any
	}
	if err := json.Unmarshal(b, &obj); err != nil || obj.Object != "response.compaction" || obj.ID != "resp_x1" || len(obj.Output) != 3 ||
		obj.Output[2]["type"] != "compaction" || obj.Output[2]["id"] != "cmp_x1" || obj.Output[2]["encrypted_content"] != blob || obj.Usage["total_tokens"] != 14.0 {
		t.Fatalf("compacted %s (%v)", b, err)
	}
	next, _ := json.Marshal(map[string]any{"model": "m", "input": []any{obj.Output[0], obj.Output[1], obj.Output[2], map[string]any{"role": "user", "content": "three"}}})
	r, err := DecodeRequestStored(next, Stored{Sealer: sl})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Chat.Messages) != 4 || r.Chat.Messages[2].Text() != summaryHeader+"We fixed parse.go." {
		t.Errorf("continued: %+v", r.Chat.Messages)
	}
	again, _ := DecodeCompactRequest(next, Stored{Sealer: sl})
	if b := again.AppendCompacted(nil, IDs{Base: "x2"}, 8, "b", nil, ""); strings.Count(string(b), `"role":"user"`) != 3 || strings.Contains(string(b), "We fixed") {
		t.Errorf("a second compaction keeps the earlier summary as a user message: %s", b)
	}
	if _, ok := testSealer(t, 1, "other").OpenSummary(blob); ok {
		t.Error("another tenant opened the summary")
	}
	if _, ok := sl.Open(blob); ok {
		t.Error("a summary opened as thinking")
	}
	if _, ok := sl.OpenSummary(sl.Seal(thoughtBlocks)); ok {
		t.Error("thinking opened as a summary")
	}
}

// FuzzCompactRequest: any compact body decodes to a request whose
// summary request and compacted object are well formed, or to a 400.
func FuzzCompactRequest(f *testing.F) {
	sl := testSealer(f, 1, "acme")
	blob, _ := json.Marshal(sl.SealSummary("s"))
	f.Add([]byte(`{"model":"m","input":[{"role":"user","content":"a"},{"type":"compaction","id":"cmp_1","encrypted_content":` + string(blob) + `}]}`))
	f.Add([]byte(`{"model":"m","input":[{"type":"compaction","encrypted_content":"swy1.AAAA","created_by":"x"}]}`))
	f.Add([]byte(`{"model":"m","input":"hi","prompt_cache_key":"k","prompt_cache_options":{"ttl":"30m"},"service_tier":"auto"}`))
	f.Add([]byte(`{"model":"m","input":"hi","image":{"context_compression":"disabled"}}`))
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cr, err := DecodeCompactRequest(data, Stored{Sealer: sl})
		if err != nil {
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != llm.KindInvalidRequest || e.Message == "" {
				t.Fatalf("error %#v", err)
			}
			return
		}
		if sr := cr.SummaryRequest(); len(sr.Messages) != 1 || !strings.HasSuffix(sr.Messages[0].Text(), "</conversation>") {
			t.Fatalf("summary request %+v", sr)
		}
		if b := cr.AppendCompacted(nil, IDs{Base: "b"}, 1, sl.SealSummary("s"), &llm.Usage{}, ""); !json.Valid(b) {
			t.Fatalf("not JSON: %s", b)
		}
	})
}

// An input part's prompt_cache_breakpoint becomes its breakpoint (as
// wire/openai reads it, with the lifetime asked); a bad one is a 400 at
// its path; the latest llm.MaxCacheMatchBreakpoints of a conversation
// are kept, earlier turns' too.
func TestInputCacheBreakpoints(t *testing.T) {
	r, err := DecodeRequest([]byte(`{"model":"m","input":[{"role":"user","content":[{"type":"input_text","text":"a","prompt_cache_breakpoint":{"mode":"explicit","ttl":"12h"}},{"type":"input_text","text":"b"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if c := r.Chat.Messages[0].Content; c[0].Cache() != llm.Cache12h || c[1].Cache() != llm.NoCache {
		t.Errorf("parts %+v", c)
	}
	_, err = DecodeRequest([]byte(`{"model":"m","input":[{"role":"user","content":[{"type":"input_text","text":"a","prompt_cache_breakpoint":{"mode":"implicit"}}]}]}`))
	if e := llm.AsError(err); e == nil || e.Param != "input[0].content[0].prompt_cache_breakpoint" {
		t.Errorf("bad breakpoint: %v", err)
	}
	var turns []string
	for i := range llm.MaxCacheMatchBreakpoints + 1 {
		turns = append(turns, `{"role":"user","content":[{"type":"input_text","text":"t`+strconv.Itoa(i)+`","prompt_cache_breakpoint":{"mode":"explicit"}}]}`)
	}
	if r, err = DecodeRequest([]byte(`{"model":"m","input":[` + strings.Join(turns, ",") + `]}`)); err != nil {
		t.Fatal(err)
	}
	if n := r.Chat.CacheBreakpoints(); n != llm.MaxCacheMatchBreakpoints || r.Chat.Messages[0].Content[0].Cache() != llm.NoCache || r.Chat.Messages[1].Content[0].Cache() != llm.Cache5m {
		t.Errorf("%d breakpoints kept, want the latest %d", n, llm.MaxCacheMatchBreakpoints)
	}
}
