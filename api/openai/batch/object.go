package batch

import "encoding/json"

// This file holds the Batch object as the API shows it, the router's
// record of a batch's progress: the runner reads it back when it resumes
// a batch.

// Object is OpenAI's Batch object, and Switchyard's cost_usd, what the
// answers the batch's lines got cost so far (their served costs), and
// total_cost_usd, what every call billed for them cost (the failed
// attempts and a provider batch's failed calls too).
type Object struct {
	ID               string            `json:"id"`
	Object           string            `json:"object"`
	Endpoint         string            `json:"endpoint"`
	Errors           *Errors           `json:"errors"`
	InputFileID      string            `json:"input_file_id"`
	CompletionWindow string            `json:"completion_window"`
	Status           string            `json:"status"`
	OutputFileID     *string           `json:"output_file_id"`
	ErrorFileID      *string           `json:"error_file_id"`
	CreatedAt        int64             `json:"created_at"`
	InProgressAt     *int64            `json:"in_progress_at"`
	ExpiresAt        *int64            `json:"expires_at"`
	FinalizingAt     *int64            `json:"finalizing_at"`
	CompletedAt      *int64            `json:"completed_at"`
	FailedAt         *int64            `json:"failed_at"`
	ExpiredAt        *int64            `json:"expired_at"`
	CancellingAt     *int64            `json:"cancelling_at"`
	CancelledAt      *int64            `json:"cancelled_at"`
	RequestCounts    Counts            `json:"request_counts"`
	Usage            Usage             `json:"usage"`
	Metadata         map[string]string `json:"metadata"`
	CostUSD          float64           `json:"cost_usd"`
	TotalCostUSD     float64           `json:"total_cost_usd"`
}

// Errors are the errors that failed a batch's validation.
type Errors struct {
	Object string  `json:"object"`
	Data   []Error `json:"data"`
}

// Error is one error of a batch: its code, message, and the field and
// line (from 1) of the input it is about, when it is about one.
type Error struct {
	Code    string  `json:"code"`
	Message string  `json:"message"`
	Param   *string `json:"param"`
	Line    *int    `json:"line"`
}

// Counts are a batch's requests: all, done, and failed.
type Counts struct {
	Total     int `json:"total"`
	Completed int `json:"completed"`
	Failed    int `json:"failed"`
}

// Usage is the tokens of a batch's requests, summed.
type Usage struct {
	InputTokens        int64 `json:"input_tokens"`
	InputTokensDetails struct {
		CachedTokens int64 `json:"cached_tokens"`
	} `json:"input_tokens_details"`
	OutputTokens        int64 `json:"output_tokens"`
	OutputTokensDetails struct {
		ReasoningTokens int64 `json:"reasoning_tokens"`
	} `json:"output_tokens_details"`
	TotalTokens int64 `json:"total_tokens"`
}

// Marshal returns o as JSON.
func (o *Object) Marshal() []byte {
	b, _ := json.Marshal(o) // of our own types: never fails
	return b
}

// ParseObject reads a stored Batch object.
func ParseObject(b []byte) (*Object, error) {
	var o Object
	if err := json.Unmarshal(b, &o); err != nil {
		return nil, err
	}
	return &o, nil
}

// at returns a Unix time's address.
func at(t int64) *int64 { return &t }
