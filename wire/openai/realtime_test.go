package openai

import (
	"math"
	"testing"

	"switchyard/llm"
)

// The response.done of the GA spec's example (RealtimeServerEventResponseDone).
const specResponseDone = `{"type":"response.done","event_id":"event_CCXHxcMy86rrKhBLDdqCh","response":{"object":"realtime.response","id":"resp_CCXHw0UJld10EzIUXQCNh","status":"completed","status_details":null,"output":[{"id":"item_CCXHwGjjDUfOXbiySlK7i","type":"message","status":"completed","role":"assistant","content":[{"type":"output_audio","transcript":"Loud and clear! I can hear you perfectly. How can I help you today?"}]}],"conversation_id":"conv_CCXHsurMKcaVxIZvaCI5m","output_modalities":["audio"],"max_output_tokens":"inf","audio":{"output":{"format":{"type":"audio/pcm","rate":24000},"voice":"alloy"}},"usage":{"total_tokens":253,"input_tokens":132,"output_tokens":121,"input_token_details":{"text_tokens":119,"audio_tokens":13,"image_tokens":0,"cached_tokens":64,"cached_tokens_details":{"text_tokens":64,"audio_tokens":0,"image_tokens":0}},"output_token_details":{"text_tokens":30,"audio_tokens":91}},"metadata":null}}`

// gpt-realtime's prices per 1M tokens (the catalog's): text in 4,
// cached 0.40, out 16; audio in 32, out 64; cached audio 0.40.
var gptRealtime = llm.Deployment{Name: "gpt-realtime", InputPricePerM: 4, CachedInputPricePerM: 0.4, OutputPricePerM: 16,
	AudioInputPricePerM: 32, AudioOutputPricePerM: 64, CachedAudioInputPricePerM: 0.4}

func TestRealtimeUsagePriced(t *testing.T) {
	for _, tt := range []struct {
		name string
		msg  string
		want llm.Usage
		usd  float64
	}{
		{"the spec's example", specResponseDone,
			llm.Usage{PromptTokens: 132, CompletionTokens: 121, TotalTokens: 253, CachedPromptTokens: 64, AudioPromptTokens: 13, AudioCompletionTokens: 91},
			// 55 text × 4 + 13 audio × 32 + 64 cached × 0.40 + 30 text × 16 + 91 audio × 64
			(55*4 + 13*32 + 64*0.4 + 30*16 + 91*64) / 1e6},
		{"cached audio", `{"type":"response.done","response":{"usage":{"total_tokens":1300,"input_tokens":1200,"output_tokens":100,
			"input_token_details":{"text_tokens":200,"audio_tokens":1000,"image_tokens":0,"cached_tokens":1024,"cached_tokens_details":{"text_tokens":200,"audio_tokens":824,"image_tokens":0}},
			"output_token_details":{"text_tokens":20,"audio_tokens":80}}}}`,
			llm.Usage{PromptTokens: 1200, CompletionTokens: 100, TotalTokens: 1300, CachedPromptTokens: 1024, CachedAudioPromptTokens: 824, AudioPromptTokens: 176, AudioCompletionTokens: 80},
			// 176 audio × 32 + 200 cached text × 0.40 + 824 cached audio × 0.40 + 20 × 16 + 80 × 64
			(176*32 + 200*0.4 + 824*0.4 + 20*16 + 80*64) / 1e6},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ru, ok, err := DecodeRealtimeUsage([]byte(tt.msg))
			if err != nil || !ok {
				t.Fatalf("decode: %v, %v", ok, err)
			}
			u := ru.Usage()
			if u != tt.want {
				t.Errorf("usage %+v, want %+v", u, tt.want)
			}
			if got := gptRealtime.Cost(u); math.Abs(got-tt.usd) > 1e-12 {
				t.Errorf("cost %g, want %g", got, tt.usd)
			}
		})
	}
}

// A cached audio token with no cached audio price is priced as a cached
// token.
func TestCachedAudioWithoutItsPrice(t *testing.T) {
	d := gptRealtime
	d.CachedAudioInputPricePerM = 0
	u := llm.Usage{PromptTokens: 100, CachedPromptTokens: 100, CachedAudioPromptTokens: 60}
	if got, want := d.Cost(u), 100*0.4/1e6; math.Abs(got-want) > 1e-12 {
		t.Errorf("cost %g, want %g", got, want)
	}
}

func TestDecodeRealtimeUsageOthers(t *testing.T) {
	for _, msg := range []string{
		`{"type":"response.output_text.delta","delta":"response.done"}`,
		`{"type":"response.done","response":{"status":"cancelled","usage":null}}`,
		`{"type":"response.created","response":{"usage":null}}`,
	} {
		if _, ok, err := DecodeRealtimeUsage([]byte(msg)); ok || err != nil {
			t.Errorf("%s: %v %v", msg, ok, err)
		}
	}
	if _, _, err := DecodeRealtimeUsage([]byte(`{"type":`)); err == nil {
		t.Error("truncated JSON decoded")
	}
	if !MaybeRealtimeUsage([]byte(specResponseDone)) || MaybeRealtimeUsage([]byte(`{"type":"response.created"}`)) {
		t.Error("MaybeRealtimeUsage")
	}
}

func TestAppendRealtimeError(t *testing.T) {
	e := llm.Errorf(llm.KindUpstream, `lost "mid-session"`)
	e.Code = "upstream_disconnected"
	got := string(AppendRealtimeError(nil, "event_1", e))
	want := `{"type":"error","event_id":"event_1","error":{"type":"` + ErrorType(llm.KindUpstream) + `","code":"upstream_disconnected","message":"lost \"mid-session\"","param":null,"event_id":null}}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// FuzzDecodeRealtimeUsage: any bytes decode without a panic, and a usage
// decoded maps to counts whose parts never exceed their wholes.
func FuzzDecodeRealtimeUsage(f *testing.F) {
	f.Add([]byte(specResponseDone))
	f.Add([]byte(`{"type":"response.done","response":{"usage":{"input_tokens":-5,"output_tokens":3,"input_token_details":{"audio_tokens":99,"cached_tokens":7,"cached_tokens_details":{"audio_tokens":50}},"output_token_details":{"audio_tokens":9}}}}`))
	f.Add([]byte(`{"type":"response.done","response":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, msg []byte) {
		ru, ok, err := DecodeRealtimeUsage(msg)
		if err != nil || !ok {
			return
		}
		if !MaybeRealtimeUsage(msg) { // the relay would not have decoded it: usage unbilled
			t.Fatalf("a response.done with usage that MaybeRealtimeUsage passes over: %s", msg)
		}
		u := ru.Usage()
		if u.CachedPromptTokens > u.PromptTokens || u.CachedAudioPromptTokens > u.CachedPromptTokens ||
			u.AudioPromptTokens+u.CachedPromptTokens > u.PromptTokens || u.AudioCompletionTokens > u.CompletionTokens ||
			u.TotalTokens < u.PromptTokens+u.CompletionTokens || u.PromptTokens < 0 || u.AudioPromptTokens < 0 {
			t.Errorf("usage %+v from %s", u, msg)
		}
		if c := gptRealtime.Cost(u); c < 0 || math.IsNaN(c) {
			t.Errorf("cost %g", c)
		}
	})
}
