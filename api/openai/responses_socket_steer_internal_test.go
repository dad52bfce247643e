package openai

import (
	"encoding/json"
	"strconv"
	"testing"

	wireresp "switchyard/wire/responses"
)

// A connection remembers its last socketEnded ended responses: a steer
// of one of them fails on its lane with the code it ended with; of an
// older one, with response_not_found on no lane.
func TestSocketEndedBound(t *testing.T) {
	s := &Socket{}
	for i := range socketEnded + 1 {
		s.ended("resp_"+strconv.Itoa(i), "lane", wireresp.SteerAlreadyCompleted)
	}
	check := func(id, code, lane string) {
		t.Helper()
		var ev struct {
			Error    struct{ Code string }
			StreamID string `json:"stream_id"`
		}
		raw := s.Steer(&wireresp.Steer{PreviousResponseID: id, Input: json.RawMessage(`"x"`)})
		if json.Unmarshal(raw, &ev) != nil || ev.Error.Code != code || ev.StreamID != lane {
			t.Fatalf("steer of %s: %s, want %s on %q", id, raw, code, lane)
		}
	}
	check("resp_0", wireresp.SteerNotFound, "")
	check("resp_1", wireresp.SteerAlreadyCompleted, "lane")
	check("resp_"+strconv.Itoa(socketEnded), wireresp.SteerAlreadyCompleted, "lane")
}

// A connection keeps socketPending batches waiting for their
// continuation; one more drops the oldest.
func TestSocketPendingBound(t *testing.T) {
	s := &Socket{}
	for i := range socketPending + 1 {
		s.keep(&SteerBatch{Parent: "resp_" + strconv.Itoa(i), Lane: "a"})
	}
	if _, b := s.Carry("a", []byte(`{"previous_response_id":"resp_0"}`)); b != nil {
		t.Fatal("the oldest batch was kept past the bound")
	}
	if _, b := s.Carry("a", []byte(`{"previous_response_id":"resp_1"}`)); b == nil || b.Parent != "resp_1" {
		t.Fatalf("the next oldest: %+v", b)
	}
}
