package batch

import (
	"bufio"
	"encoding/json"
	"io"

	"switchyard/store"
)

// This file holds what Anthropic's Message Batches
// (docs/anthropic-api.md) add to the runner: their inline requests kept
// as an input of lines to MessagesEndpoint, no output or error file at
// their end (their results are read from the lines kept), and each
// result rendered in Anthropic's shape: {"custom_id","result":{"type":
// "succeeded","message":{…}}}, or errored with the error's body,
// canceled, or expired — a result of a request that ran with
// Switchyard's cost_usd and total_cost_usd beside its type (an extra
// field the SDKs keep).

// MessagesEndpoint is the endpoint of a Message Batch's requests.
const MessagesEndpoint = "/v1/messages"

// MessagesInput is the input of a Message Batch: a line to
// MessagesEndpoint for each custom id and its params (a JSON object), as
// ParseInput reads it.
func MessagesInput(ids []string, params []json.RawMessage) []byte {
	var out []byte
	for i, id := range ids {
		b, _ := json.Marshal(struct {
			CustomID string          `json:"custom_id"`
			Method   string          `json:"method"`
			URL      string          `json:"url"`
			Body     json.RawMessage `json:"body"`
		}{id, "POST", MessagesEndpoint, params[i]})
		out = append(append(out, b...), '\n')
	}
	return out
}

// messageResult is a line of a Message Batch's results.
type messageResult struct {
	CustomID string `json:"custom_id"`
	Result   struct {
		Type    string          `json:"type"`
		Message json.RawMessage `json:"message,omitempty"`
		Error   json.RawMessage `json:"error,omitempty"`
		// CostUSD and TotalCostUSD are the line's (its request's served
		// and total costs); absent for a request never sent.
		CostUSD      *float64 `json:"cost_usd,omitempty"`
		TotalCostUSD *float64 `json:"total_cost_usd,omitempty"`
	} `json:"result"`
}

// WriteMessageResults writes to w the results of a Message Batch that
// ended with status (the runner's: completed, cancelled or expired): a
// line for each request of input, in its order; a request with no line
// kept was canceled (a cancelled batch) or expired.
func WriteMessageResults(w io.Writer, input []byte, kept []store.BatchLine, status string) error {
	lines, errs := ParseInput(input, MessagesEndpoint, len(input))
	if len(errs) > 0 {
		return &inputError{errs[0]}
	}
	byIndex := make(map[int][]byte, len(kept))
	for _, l := range kept {
		byIndex[l.Index] = l.Data
	}
	bw := bufio.NewWriter(w)
	for i := range lines {
		var r messageResult
		r.CustomID = lines[i].CustomID
		if data, ok := byIndex[lines[i].Index]; ok {
			r.Result.Type, r.Result.Message, r.Result.Error = messageOutcome(data)
			r.Result.CostUSD, r.Result.TotalCostUSD = lineCosts(data)
		} else if status == store.BatchCancelled {
			r.Result.Type = "canceled"
		} else {
			r.Result.Type = "expired"
		}
		b, _ := json.Marshal(r)
		bw.Write(b)
		if err := bw.WriteByte('\n'); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// messageOutcome reads a kept line (an output or error file's line): its
// result's type, and its message or error.
func messageOutcome(data []byte) (typ string, message, errBody json.RawMessage) {
	var l outputLine
	if err := json.Unmarshal(data, &l); err != nil || (l.Response == nil && l.Error == nil) {
		return "errored", nil, anthropicError("api_error", "The result of this request could not be read.")
	}
	if l.Response == nil {
		if l.Error.Code == "batch_expired" {
			return "expired", nil, nil
		}
		return "errored", nil, anthropicError("invalid_request_error", l.Error.Message)
	}
	if l.Response.StatusCode < 400 {
		return "succeeded", l.Response.Body, nil
	}
	var shape struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(l.Response.Body, &shape) == nil && shape.Type == "error" {
		return "errored", nil, l.Response.Body
	}
	return "errored", nil, anthropicError("api_error", string(l.Response.Body))
}

// lineCosts reads a kept line's served and total costs; nil, nil for a
// line whose request was never sent (or that does not read). A line kept
// before the total was written has its served cost as its total, as the
// Batch object counts it.
func lineCosts(data []byte) (served, total *float64) {
	var l outputLine
	if json.Unmarshal(data, &l) != nil || l.Response == nil {
		return nil, nil
	}
	s, t := l.Response.CostUSD, l.Response.CostUSD
	if l.Response.TotalCostUSD != nil {
		t = *l.Response.TotalCostUSD
	}
	return &s, &t
}

// anthropicError is Anthropic's error body of typ and msg.
func anthropicError(typ, msg string) json.RawMessage {
	b, _ := json.Marshal(map[string]any{"type": "error", "error": map[string]string{"type": typ, "message": msg}})
	return b
}

// inputError is a Message Batch's input that no longer reads.
type inputError struct{ e Error }

func (e *inputError) Error() string {
	return "batch: a message batch's input does not read: " + e.e.Message
}
