package batch

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"switchyard/store"
)

func TestWriteMessageResults(t *testing.T) {
	input := MessagesInput([]string{"ok", "refused", "streamed", "lapsed", "unrun"},
		[]json.RawMessage{json.RawMessage(`{"model":"m"}`), json.RawMessage(`{}`), json.RawMessage(`{"stream":true}`), json.RawMessage(`{}`), json.RawMessage(`{}`)})
	lines, errs := ParseInput(input, MessagesEndpoint, 10)
	if len(errs) > 0 || len(lines) != 5 {
		t.Fatalf("MessagesInput does not read back: %v", errs)
	}
	ok, _ := answered(&lines[0], Result{Status: 200, Body: []byte(`{"id":"msg_1","type":"message"}`), CostUSD: 0.5, TotalCostUSD: 0.75})
	refused, _ := answered(&lines[1], Result{Status: 404, Body: []byte(`{"type":"error","error":{"type":"not_found_error","message":"no model"}}`)})
	kept := []store.BatchLine{{Index: 0, Data: ok}, {Index: 1, Failed: true, Data: refused},
		{Index: 2, Failed: true, Data: unsent(&lines[2], "stream_not_supported", "no stream")},
		{Index: 3, Failed: true, Data: unsent(&lines[3], "batch_expired", "late")}}
	want := map[string]string{"ok": "succeeded", "refused": "errored", "streamed": "errored", "lapsed": "expired"}
	for status, unrun := range map[string]string{store.BatchCancelled: "canceled", store.BatchExpired: "expired", store.BatchCompleted: "expired"} {
		var buf bytes.Buffer
		if err := WriteMessageResults(&buf, input, kept, status); err != nil {
			t.Fatal(err)
		}
		got := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
		if len(got) != 5 {
			t.Fatalf("%d lines: %s", len(got), buf.String())
		}
		want["unrun"] = unrun
		for i, l := range got {
			var r struct {
				CustomID string `json:"custom_id"`
				Result   struct {
					Type    string          `json:"type"`
					Message json.RawMessage `json:"message"`
					Error   struct {
						Type  string `json:"type"`
						Error struct{ Type, Message string }
					} `json:"error"`
					CostUSD      *float64 `json:"cost_usd"`
					TotalCostUSD *float64 `json:"total_cost_usd"`
				} `json:"result"`
			}
			if err := json.Unmarshal([]byte(l), &r); err != nil || r.CustomID != lines[i].CustomID || r.Result.Type != want[r.CustomID] {
				t.Errorf("%s: line %d = %s, want %s", status, i, l, want[r.CustomID])
			}
			ran := r.CustomID == "ok" || r.CustomID == "refused"
			if (r.Result.CostUSD != nil) != ran || (r.Result.TotalCostUSD != nil) != ran {
				t.Errorf("%s: costs %s, want them only on a request that ran", r.CustomID, l)
			}
			switch r.CustomID {
			case "ok":
				if string(r.Result.Message) != `{"id":"msg_1","type":"message"}` || *r.Result.CostUSD != 0.5 || *r.Result.TotalCostUSD != 0.75 {
					t.Errorf("message = %s", l)
				}
			case "refused":
				if r.Result.Error.Type != "error" || r.Result.Error.Error.Type != "not_found_error" || *r.Result.CostUSD != 0 || *r.Result.TotalCostUSD != 0 {
					t.Errorf("error = %s", l)
				}
			case "streamed":
				if r.Result.Error.Error.Type != "invalid_request_error" || r.Result.Error.Error.Message != "no stream" {
					t.Errorf("error = %s", l)
				}
			}
		}
	}
}
