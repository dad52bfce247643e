package gemini

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"switchyard/llm"
)

// TestStreamStopsWithoutAnswer: the ways Gemini ends a stream with no
// usable answer, through the real adapter. A blocked prompt (no
// candidates), the safety family of finish reasons and the filters
// (LANGUAGE, ESCALATION) are a clean content_filter finish; a reason that
// says the model gave no usable answer (an unusable function call, too
// many calls, a malformed response, a missing thought signature, no
// image, an unknown reason) is a retryable error, so the router fails
// over, never an empty stop.
func TestStreamStopsWithoutAnswer(t *testing.T) {
	const usage = `"usageMetadata":{"promptTokenCount":3,"totalTokenCount":3}`
	finish := func(reason string) string {
		return `{"candidates":[{"content":{"role":"model"},"finishReason":"` + reason + `","index":0}],` + usage + `}`
	}
	tests := []struct {
		name, event string
		finish      llm.FinishReason // "" means an error
	}{
		{"blocked prompt", `{"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[]},` + usage + `}`, llm.FinishContentFilter},
		{"blocked prompt, other reason", `{"promptFeedback":{"blockReason":"OTHER"},` + usage + `}`, llm.FinishContentFilter},
		{"SAFETY", finish("SAFETY"), llm.FinishContentFilter},
		{"RECITATION", finish("RECITATION"), llm.FinishContentFilter},
		{"PROHIBITED_CONTENT", finish("PROHIBITED_CONTENT"), llm.FinishContentFilter},
		{"BLOCKLIST", finish("BLOCKLIST"), llm.FinishContentFilter},
		{"SPII", finish("SPII"), llm.FinishContentFilter},
		{"LANGUAGE", finish("LANGUAGE"), llm.FinishContentFilter},
		{"ESCALATION", finish("ESCALATION"), llm.FinishContentFilter},
		{"IMAGE_PROHIBITED_CONTENT", finish("IMAGE_PROHIBITED_CONTENT"), llm.FinishContentFilter},
		{"MALFORMED_FUNCTION_CALL", finish("MALFORMED_FUNCTION_CALL"), ""},
		{"UNEXPECTED_TOOL_CALL", finish("UNEXPECTED_TOOL_CALL"), ""},
		{"TOO_MANY_TOOL_CALLS", finish("TOO_MANY_TOOL_CALLS"), ""},
		{"MALFORMED_RESPONSE", finish("MALFORMED_RESPONSE"), ""},
		{"MISSING_THOUGHT_SIGNATURE", finish("MISSING_THOUGHT_SIGNATURE"), ""},
		{"OTHER", finish("OTHER"), ""},
		// OTHER after text (Gemini's unknown reason, its last fragment
		// often holding text too): the answer is cut, not finished — a
		// broken stream the router resumes or fails over, as the whole
		// answer (ToLLM) is an error; never "stop" on a cut answer.
		{"OTHER after text", `{"candidates":[{"content":{"role":"model","parts":[{"text":"The capital"}]},"index":0}]}` + "\r\n\r\ndata: " +
			`{"candidates":[{"content":{"role":"model","parts":[{"text":" of"}]},"finishReason":"OTHER","index":0}],` + usage + `}`, ""},
		{"NO_IMAGE", finish("NO_IMAGE"), ""},
		{"IMAGE_OTHER", finish("IMAGE_OTHER"), ""},
		// Gemini's empty answer: STOP with no parts, or thoughts alone.
		{"STOP with no parts", finish("STOP"), ""},
		{"STOP after thoughts alone", `{"candidates":[{"content":{"role":"model","parts":[{"text":"hmm","thought":true}]},"finishReason":"STOP","index":0}],` + usage + `}`, ""},
		{"STOP after text", `{"candidates":[{"content":{"role":"model","parts":[{"text":"Hi"}]},"index":0}]}` + "\r\n\r\ndata: " + finish("STOP"), llm.FinishStop},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/event-stream")
				io.WriteString(w, "data: "+tt.event+"\r\n\r\n")
			}))
			t.Cleanup(srv.Close)
			s, err := newClient(t, srv, testKey).Stream(context.Background(), chatReq("gemini-2.0-flash", "hi"))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			var got llm.FinishReason
			for {
				c, err := s.Next()
				if err != nil {
					var le *llm.Error
					switch {
					case tt.finish != "" && err != io.EOF:
						t.Fatalf("end = %v, want io.EOF", err)
					case tt.finish == "" && (!errors.As(err, &le) || le.Kind != llm.KindUpstream || !le.Retryable || le.Provider != "gem"):
						t.Fatalf("end = %v, want a retryable upstream error", err)
					}
					break
				}
				for _, ch := range c.Choices {
					got = max(got, ch.FinishReason)
				}
			}
			if got != tt.finish {
				t.Errorf("finish reason %q, want %q", got, tt.finish)
			}
		})
	}
}
