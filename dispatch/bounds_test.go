package dispatch

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/llm/llmtest"
)

// A complete answer is assembled in memory, so its size is bounded: an
// upstream that sends more is a failed attempt (502, saying why), and the
// plan goes on to its next target.
func TestChatBoundsTheAnswer(t *testing.T) {
	d := New(Options{MaxAnswerBytes: 100, MaxRetries: -1})
	endless := func(name string) *fake {
		f := &fake{name: name}
		f.Scripts = []llmtest.Script{{Events: []llmtest.Event{{Chunk: llmtest.TextChunk(name, "xyz"), Repeat: true}}}}
		return f
	}
	huge := endless("huge")
	var served llm.Served
	_, err := d.Chat(context.Background(), req(), planOf(time.Second, huge), &served)
	var e *llm.Error
	if !errors.As(err, &e) || e.HTTPStatus() != http.StatusBadGateway || !strings.Contains(e.Message, "100 bytes") || e.Code != llm.CodeAnswerTooLarge {
		t.Fatalf("err %v (code %q), want a 502 naming the limit, code %s", err, e.Code, llm.CodeAnswerTooLarge)
	}
	small := newFake("small", script{chunks: 4})
	huge2 := endless("huge2")
	plan := planOf(time.Second, huge2, small)
	plan.Attempts = &Attempts{}
	resp, err := d.Chat(context.Background(), req(), plan, &served)
	if err != nil || resp.Choices[0].Message.Text() != "xxxx" || served.Deployment != "small" {
		t.Fatalf("got %v, %v served by %q; want the next target's answer", resp, err, served.Deployment)
	}
	// The abandoned call is logged cut for the answer's size, not as
	// abandoned by a client that left.
	if got := plan.Attempts.Seal(time.Now()); len(got) != 2 || got[0].Outcome != OutcomeCut || got[0].ErrorCode != llm.CodeAnswerTooLarge || got[1].Outcome != OutcomeOK {
		t.Errorf("attempts %+v, want huge2 cut %s, then small ok", got, llm.CodeAnswerTooLarge)
	}
	waitIdle(t, huge, huge2, small)
}

// A stream's copy of what the client received, kept to continue it on
// another deployment, is bounded: past the bound the stream is relayed
// whole but not resumed.
func TestResumeBoundsItsCopy(t *testing.T) {
	long := strings.Repeat("word ", 40) + "end."
	for _, tc := range []struct {
		name    string
		bound   int
		resumed bool
	}{
		{"within the bound", 1 << 10, true},
		{"past the bound", 50, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := &writer{name: "a", answer: long, cutAfter: 30}
			b := &writer{name: "b", answer: long, style: llm.ContinueAnthropic}
			s, err := New(Options{ResumeBytes: tc.bound}).Stream(context.Background(), req(), resumePlan(a, b), &llm.Served{})
			if err != nil {
				t.Fatal(err)
			}
			text, _, _, err := readAll(t, s)
			if tc.resumed && (err != nil || text != long) {
				t.Fatalf("got %q, %v; want the whole answer, resumed", text, err)
			}
			if cut := strings.Join(splitWords(long)[:30], ""); !tc.resumed && (err == nil || text != cut) {
				t.Fatalf("got %q, %v; want the %d bytes before the cut, then its error", text, err, len(cut))
			}
			if r := s.Resumption(); (r != nil) != tc.resumed {
				t.Errorf("resumption %+v, want resumed=%v", r, tc.resumed)
			}
		})
	}
}
