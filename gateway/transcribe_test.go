package gateway

import (
	"context"
	"math"
	"os"
	"strings"
	"testing"

	"switchyard/budget"
	"switchyard/cost"
	"switchyard/llm"
	"switchyard/sim"
)

// A route fails over from a failing whisper-1; the cost is the audio's
// seconds, unknown when the answer does not tell them (text).
func TestTranscribeFailsOver(t *testing.T) {
	g, faults, flush := mediaGateway(t)
	faults.Add(sim.Fault{Kind: sim.FaultRateLimit})
	audio := make([]byte, 16000*30) // 30 s at the sim's 16 kB/s
	var served llm.Served
	resp, err := g.Transcribe(callerCtx(), &llm.TranscriptionRequest{Model: "transcribe", File: audio, FileName: "a.mp3"}, &served)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Seconds != 30 || served.Deployment != "whisper-1" || served.Attempts != 2 || served.CostUnknown || math.Abs(served.CostUSD-0.003) > 1e-9 {
		t.Errorf("served %+v, answer %s", served, resp.Body)
	}
	resp, err = g.Transcribe(callerCtx(), &llm.TranscriptionRequest{Model: "whisper-1", Translate: true, File: audio, FileName: "a.mp3", ResponseFormat: "text"}, &served)
	if err != nil || !served.CostUnknown || resp.ContentType != "text/plain; charset=utf-8" {
		t.Errorf("text: %+v, %v", served, err)
	}
	// A text answer tells no duration: the WAV's header does (2.5 s).
	wav, err := os.ReadFile("../internal/audio/testdata/tone.wav")
	if err != nil {
		t.Fatal(err)
	}
	_, err = g.Transcribe(callerCtx(), &llm.TranscriptionRequest{Model: "whisper-1", File: wav, FileName: "a.wav", ResponseFormat: "text"}, &served)
	if err != nil || served.CostUnknown || math.Abs(served.CostUSD-2.5*0.0001) > 1e-12 {
		t.Errorf("text of a WAV: %+v, %v", served, err)
	}
	_, err = g.Transcribe(context.Background(), &llm.TranscriptionRequest{Model: "tts-1", File: audio, FileName: "a.mp3"}, &served)
	if e := llm.AsError(err); e.HTTPStatus() != 400 || !strings.Contains(e.Message, "does not serve transcription") {
		t.Errorf("tts-1: %v", err)
	}
	recs := flush()
	if len(recs) != 4 || recs[0].Endpoint != "transcriptions" || recs[0].Attempts != 2 || recs[1].Endpoint != "translations" || !recs[1].CostUnknown || recs[2].CostUnknown || recs[3].Status != 400 {
		t.Errorf("records %d %+v", len(recs), recs)
	}
}

// A transcription is reserved at its audio's seconds at a per-second
// price, or at the tokens those seconds make at a token price; nothing
// when neither is known.
func TestTranscriptionEstimate(t *testing.T) {
	whisper, _ := cost.LookupMedia("whisper-1")
	gpt4o, _ := cost.LookupMedia("gpt-4o-transcribe")
	if got := transcriptionEstimate(whisper, 60, 10); math.Abs(got-0.006) > 1e-12 {
		t.Errorf("whisper-1, a minute: %v", got)
	}
	// 1,000 audio tokens ($6/1M), 10 prompt tokens ($2.5/1M), 300 out ($10/1M).
	if got, want := transcriptionEstimate(gpt4o, 60, 10), 1000*6e-6+10*2.5e-6+300*10e-6; math.Abs(got-want) > 1e-12 {
		t.Errorf("gpt-4o-transcribe, a minute: %v, want %v", got, want)
	}
	if got := transcriptionEstimate(nil, 60, 10); got != 0 {
		t.Errorf("no price: %v", got)
	}
}

// A transcription reserves its audio's estimated cost before dispatch,
// against a $0.0003 budget: 30 KB the headers do not time are 15 s at
// audio.Estimate's 16 kbit/s ($0.0015 of whisper-1), refused before any
// upstream is called; a 2.5 s WAV ($0.00025) fits.
func TestTranscriptionReservesItsBudget(t *testing.T) {
	g, _, flush := mediaGatewayWith(t, "  - {name: tiny, scope: tenant, match: acme, period: daily, limit_usd: 0.0003}\n")
	_, err := g.Transcribe(callerCtx(), &llm.TranscriptionRequest{Model: "whisper-1", File: make([]byte, 30000), FileName: "a.mp3"}, new(llm.Served))
	if e := llm.AsError(err); e.HTTPStatus() != 429 || e.Code != budget.CodeBudgetExceeded {
		t.Fatalf("err %v", err)
	}
	wav, err := os.ReadFile("../internal/audio/testdata/tone.wav")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Transcribe(callerCtx(), &llm.TranscriptionRequest{Model: "whisper-1", File: wav, FileName: "a.wav"}, new(llm.Served)); err != nil {
		t.Fatal(err)
	}
	if recs := flush(); len(recs) != 2 || len(recs[0].Trail) != 0 || recs[1].Status != 200 {
		t.Errorf("records %+v", recs)
	}
}
