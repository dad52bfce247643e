package gateway

import (
	"context"
	"io"
	"math"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/sim"
)

func speechRequest(model, input string) *llm.SpeechRequest {
	return &llm.SpeechRequest{Model: model, Input: input, Body: []byte(`{"input":"` + input + `","voice":"alloy"}`)}
}

// A route passes over a chat deployment to tts-1; the request is
// recorded, with the characters' price, once the audio is closed.
func TestSpeakRecordsOnClose(t *testing.T) {
	g, _, flush := mediaGateway(t)
	input := strings.Repeat("Hello there. ", 10)
	var served llm.Served
	a, err := g.Speak(callerCtx(), speechRequest("speech", input), &served)
	if err != nil {
		t.Fatal(err)
	}
	if served.Deployment != "tts-1" || served.CostUnknown || math.Abs(served.CostUSD-1.5e-5*float64(len(input))) > 1e-9 || a.ContentType != "audio/mpeg" {
		t.Errorf("served %+v, %s", served, a.ContentType)
	}
	data, err := io.ReadAll(a.Body)
	if err != nil || len(data) < 1000 {
		t.Fatalf("%d bytes, %v", len(data), err)
	}
	a.Body.Close()
	a.Body.Close() // a second close records nothing more
	recs := flush()
	if len(recs) != 1 || recs[0].Endpoint != "speech" || recs[0].Status != 200 || recs[0].Route != "speech" || recs[0].CostUnknown || recs[0].CostUSD == 0 ||
		recs[0].Usage.PromptTokens == 0 || !recs[0].Usage.Estimated {
		t.Fatalf("records %+v", recs)
	}
}

// Audio the upstream cuts is recorded as an upstream error, audio the
// caller stops reading as canceled; gpt-4o-mini-tts's cost is unknown; a
// transcription model serves no speech.
func TestSpeakEnds(t *testing.T) {
	g, faults, flush := mediaGateway(t)
	faults.Add(sim.Fault{Kind: sim.FaultCut})
	var served llm.Served
	a, err := g.Speak(callerCtx(), speechRequest("tts-down", strings.Repeat("a", 4000)), &served)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(a.Body); err == nil {
		t.Error("the cut audio read whole")
	}
	a.Body.Close()

	a, err = g.Speak(callerCtx(), speechRequest("mini-tts", "hello"), &served)
	if err != nil || !served.CostUnknown {
		t.Fatalf("gpt-4o-mini-tts: %+v, %v", served, err)
	}
	a.Body.Close()

	_, err = g.Speak(callerCtx(), speechRequest("whisper-1", "hello"), &served)
	if e := llm.AsError(err); e.HTTPStatus() != 400 || !strings.Contains(e.Message, "does not serve text to speech") {
		t.Errorf("whisper for speech: %v", err)
	}
	recs := flush()
	if len(recs) != 3 {
		t.Fatalf("%d records", len(recs))
	}
	if r := recs[0]; r.Status != 502 || r.ErrorKind != llm.KindUpstream || r.Deployment != "tts-down" {
		t.Errorf("cut: %+v", r)
	}
	if r := recs[1]; r.Status != 499 || !r.CostUnknown {
		t.Errorf("closed early: %+v", r)
	}
	if r := recs[2]; r.Status != 400 {
		t.Errorf("whisper: %+v", r)
	}
}

// A context that ends during the audio is the caller's doing, not the
// upstream's.
func TestSpeakCallerGone(t *testing.T) {
	g, _, flush := mediaGateway(t)
	ctx, cancel := context.WithCancel(callerCtx())
	var served llm.Served
	a, err := g.Speak(ctx, speechRequest("tts-1", strings.Repeat("a", 4000)), &served)
	if err != nil {
		t.Fatal(err)
	}
	// Some audio read, then the caller leaves: reading all of it after the
	// cancel raced with the transport, which could hand over the rest
	// (already buffered) and its end before noticing the cancel.
	if n, err := a.Body.Read(make([]byte, 64)); n == 0 || err != nil {
		t.Fatalf("first read: %d bytes, %v", n, err)
	}
	cancel()
	a.Body.Close()
	if recs := flush(); len(recs) != 1 || recs[0].ErrorKind != llm.KindCanceled {
		t.Errorf("records %+v", recs)
	}
}

// A spent soft budget's price ceiling is per token, which cannot compare
// media prices: a media request under it goes to its cheapest deployment.
// The route voices lists tts-hd ($30 per 1M characters) before tts-1
// ($15): the first request, the budget not yet spent, goes to tts-hd and
// spends it; the next goes to tts-1.
func TestSoftBudgetSendsMediaToTheCheapest(t *testing.T) {
	g, _, flush := mediaGatewayWith(t, "  - {name: v-soft, scope: route, match: voices, period: daily, limit_usd: 0.000001, mode: soft, soft: {max_input_price: 1}}\n")
	for i, want := range []string{"tts-hd", "tts-1"} {
		var served llm.Served
		a, err := g.Speak(callerCtx(), speechRequest("voices", "Hello there."), &served)
		if err != nil {
			t.Fatal(err)
		}
		io.ReadAll(a.Body)
		a.Body.Close()
		if served.Deployment != want {
			t.Errorf("request %d: served by %s, want %s", i, served.Deployment, want)
		}
	}
	flush()
}
