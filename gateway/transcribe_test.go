package gateway

import (
	"context"
	"math"
	"strings"
	"testing"

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
	_, err = g.Transcribe(context.Background(), &llm.TranscriptionRequest{Model: "tts-1", File: audio, FileName: "a.mp3"}, &served)
	if e := llm.AsError(err); e.HTTPStatus() != 400 || !strings.Contains(e.Message, "does not serve transcription") {
		t.Errorf("tts-1: %v", err)
	}
	recs := flush()
	if len(recs) != 3 || recs[0].Endpoint != "transcriptions" || recs[0].Attempts != 2 || recs[1].Endpoint != "translations" || !recs[1].CostUnknown || recs[2].Status != 400 {
		t.Errorf("records %d %+v", len(recs), recs)
	}
}
