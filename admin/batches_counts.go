package admin

import (
	"encoding/json"

	"switchyard/store"
)

// This file shows a Message Batch as Anthropic's API does: its
// processing_status and its request_counts (docs/admin-api.md#get-adminbatches),
// read from the Batch object the batch runner keeps for both APIs.

// The processing statuses of a Message Batch.
const (
	messageInProgress = "in_progress"
	messageCanceling  = "canceling"
	messageEnded      = "ended"
)

// RequestCounts are a batch's requests in the shape of its API: the
// Batch object's (all, answered, failed), or, when Message is set, the
// Message Batch's, which is then all the JSON holds.
type RequestCounts struct {
	Total     int `json:"total"`
	Completed int `json:"completed"`
	Failed    int `json:"failed"`
	// Message are a Message Batch's counts; nil for the Batch API's.
	Message *MessageRequestCounts `json:"-"`
}

// MessageRequestCounts are a Message Batch's requests by their state
// (Anthropic's request_counts).
type MessageRequestCounts struct {
	Processing int `json:"processing"`
	Succeeded  int `json:"succeeded"`
	Errored    int `json:"errored"`
	Canceled   int `json:"canceled"`
	Expired    int `json:"expired"`
}

// batchCounts are the Batch object's counts, RequestCounts' JSON.
type batchCounts struct {
	Total     int `json:"total"`
	Completed int `json:"completed"`
	Failed    int `json:"failed"`
}

// MarshalJSON writes c in its API's shape.
func (c RequestCounts) MarshalJSON() ([]byte, error) {
	if c.Message != nil {
		return json.Marshal(c.Message)
	}
	return json.Marshal(batchCounts{c.Total, c.Completed, c.Failed})
}

// UnmarshalJSON reads either shape: a Message Batch's has processing.
func (c *RequestCounts) UnmarshalJSON(data []byte) error {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return err
	}
	if _, ok := keys["processing"]; ok {
		var m MessageRequestCounts
		if err := json.Unmarshal(data, &m); err != nil {
			return err
		}
		*c = RequestCounts{Message: &m}
		return nil
	}
	var b batchCounts
	if err := json.Unmarshal(data, &b); err != nil {
		return err
	}
	*c = RequestCounts{Total: b.Total, Completed: b.Completed, Failed: b.Failed}
	return nil
}

// messageCounts are the processing status and the counts of a Message
// Batch in status with the Batch object's counts c, as its own API
// shows them (server's messageBatchView): the requests not answered are
// processing while it runs or cancels, then canceled or expired; a
// failed batch's are all errored.
func messageCounts(status string, c RequestCounts) (string, *MessageRequestCounts) {
	left := max(c.Total-c.Completed-c.Failed, 0)
	m := &MessageRequestCounts{Succeeded: c.Completed, Errored: c.Failed}
	switch status {
	case store.BatchCancelling:
		m.Processing = left
		return messageCanceling, m
	case store.BatchCancelled:
		m.Canceled = left
	case store.BatchExpired:
		m.Expired = left
	case store.BatchFailed:
		m.Errored = c.Total
	case store.BatchCompleted:
	default:
		m.Processing = left
		return messageInProgress, m
	}
	return messageEnded, m
}
