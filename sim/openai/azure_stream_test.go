package openai

import (
	"encoding/json"
	"strings"
	"testing"
)

// azureEvent is what the Azure stream tests read of an event.
type azureEvent struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Choices []struct {
		Index   int              `json:"index"`
		Finish  *string          `json:"finish_reason"`
		Delta   *json.RawMessage `json:"delta"`
		Results map[string]struct {
			Filtered *bool `json:"filtered"`
		} `json:"content_filter_results"`
		Offsets *struct {
			Check *int `json:"check_offset"`
			Start *int `json:"start_offset"`
			End   *int `json:"end_offset"`
		} `json:"content_filter_offsets"`
	} `json:"choices"`
}

// azureStreamEvents streams prompt from the Azure simulator and returns
// its events after the prompt annotations' chunk, [DONE] left out.
func azureStreamEvents(t *testing.T, prompt string) []azureEvent {
	t.Helper()
	url, hc := start(t, NewAzure(testCatalog(), nil))
	key := map[string]string{"api-key": "k", "Content-Type": "application/json"}
	dep := url + "/openai/deployments/gpt-sim/chat/completions?api-version=2024-10-21"
	status, _, body := do(t, hc, "POST", dep, `{"messages":[{"role":"user","content":"`+prompt+`"}],"stream":true}`, key)
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	var out []azureEvent
	for _, line := range strings.Split(body, "\n") {
		data, ok := strings.CutPrefix(line, "data: ")
		if !ok || data == "[DONE]" {
			continue
		}
		var ev azureEvent
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			t.Fatalf("%v: %s", err, data)
		}
		out = append(out, ev)
	}
	if !strings.HasSuffix(body, "data: [DONE]\n\n") || len(out) < 3 {
		t.Fatalf("stream: %s", body)
	}
	return out[1:]
}

// TestAzureStreamAnnotations: under Azure's default content filter each
// choice of a stream's chunks carries its content_filter_results, empty
// with the role and the finish, the output's categories with a piece of
// the answer, filtered where the filter cut it ("Content streaming").
func TestAzureStreamAnnotations(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		prompt   string
		filtered bool
	}{{"Say hello.", false}, {"Tell me a story. [[sim:content_filter_output]]", true}} {
		evs := azureStreamEvents(t, c.prompt)
		pieces, filtered := 0, false
		for _, ev := range evs {
			if ev.Object != "chat.completion.chunk" || len(ev.Choices) != 1 || ev.Choices[0].Delta == nil {
				t.Fatalf("%s: not a chunk of one choice: %+v", c.prompt, ev)
			}
			ch := ev.Choices[0]
			if ch.Results == nil {
				t.Errorf("%s: chunk without content_filter_results: %s", c.prompt, *ch.Delta)
			}
			if strings.Contains(string(*ch.Delta), `"content"`) && !strings.Contains(string(*ch.Delta), `"role"`) {
				pieces++
				if len(ch.Results) < 4 {
					t.Errorf("%s: a piece's results %v, want the output's categories", c.prompt, ch.Results)
				}
			}
			if ch.Finish != nil && *ch.Finish == "content_filter" {
				filtered = ch.Results["hate"].Filtered != nil && *ch.Results["hate"].Filtered
			}
		}
		if pieces == 0 || filtered != c.filtered {
			t.Errorf("%s: %d pieces, filtered %v, want some and %v", c.prompt, pieces, filtered, c.filtered)
		}
	}
}

// TestAzureAsyncFilterStream: under the Asynchronous Filter the chunks
// go out unannotated and annotation chunks of their own (empty id and
// object, a choice with no delta) carry content_filter_results and
// content_filter_offsets: one before the finish chunk, checked to the
// answer's start, one after, checked to its end; a cut answer's last
// annotation carries finish_reason content_filter in place of the
// finish chunk.
func TestAzureAsyncFilterStream(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		prompt string
		want   []string // the kinds of event, in order, after the pieces
	}{
		{"[[sim:async_filter]] Say hello.", []string{"annotation", "finish stop", "annotation"}},
		{"[[sim:async_filter]] Tell me a story. [[sim:content_filter_output]]", []string{"annotation content_filter"}},
	} {
		evs := azureStreamEvents(t, c.prompt)
		var kinds []string
		text, start := 0, -1
		for _, ev := range evs {
			ch := ev.Choices[0]
			switch {
			case ev.ID == "" && ev.Object == "" && ch.Delta == nil && ch.Offsets != nil && len(ch.Results) >= 4:
				o := ch.Offsets
				if o.Check == nil || o.Start == nil || o.End == nil || *o.End-*o.Start != text || *o.Check < *o.Start || *o.Check > *o.End {
					t.Errorf("%s: offsets %+v for %d characters of text", c.prompt, *o, text)
				} else if start >= 0 && *o.Start != start {
					t.Errorf("%s: start_offset moved from %d to %d", c.prompt, start, *o.Start)
				} else {
					start = *o.Start
				}
				kind := "annotation"
				if ch.Finish != nil {
					kind += " " + *ch.Finish
				}
				kinds = append(kinds, kind)
			case ch.Results != nil || ch.Delta == nil || ev.Object != "chat.completion.chunk":
				t.Errorf("%s: a chunk annotated, or neither chunk nor annotation: %+v", c.prompt, ev)
			case ch.Finish != nil:
				kinds = append(kinds, "finish "+*ch.Finish)
			default:
				var d struct{ Content string }
				_ = json.Unmarshal(*ch.Delta, &d)
				text += len([]rune(d.Content))
			}
		}
		if strings.Join(kinds, ",") != strings.Join(c.want, ",") || text == 0 {
			t.Errorf("%s: events %v after %d characters, want %v", c.prompt, kinds, text, c.want)
		}
	}
}
