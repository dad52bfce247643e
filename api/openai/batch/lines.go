package batch

import (
	"crypto/rand"
	"encoding/json"
	"strconv"
	"time"

	"switchyard/llm"
)

// This file writes the lines of a batch's output and error files, and
// sums what they say into the Batch object: each request's answer
// {"id","custom_id","response":{"status_code","request_id","body",
// "cost_usd","total_cost_usd"},"error":null}, or, for a request never sent,
// {"id","custom_id","response":null,"error":{"code","message"}}.

// Result is what running one request gave.
type Result struct {
	// Status is the HTTP status of its answer; RequestID the router's id
	// of it (its request log row); CostUSD its price, the served cost
	// (the x-switchyard-cost-usd header; 0 when it had none).
	Status    int
	RequestID string
	CostUSD   float64
	// TotalCostUSD is the cost of every call billed for it (its record's
	// cost_usd): the served answer's, the failed and abandoned attempts',
	// and a provider batch's failed call of it (Line.Earlier). Below
	// CostUSD (0: not said) it is taken as CostUSD.
	TotalCostUSD float64
	// Body is its answer's body.
	Body []byte
	// RetryAfter is, for a 429 that may be retried (a Retry-After, and
	// no x-should-retry: false: a budget held by requests in flight, a
	// rate limit), the wait it asks for; 0 otherwise.
	RetryAfter time.Duration
}

// outputLine is a line of an output or error file.
type outputLine struct {
	ID       string     `json:"id"`
	CustomID string     `json:"custom_id"`
	Response *response  `json:"response"`
	Error    *lineFault `json:"error"`
}

type response struct {
	StatusCode int             `json:"status_code"`
	RequestID  string          `json:"request_id"`
	Body       json.RawMessage `json:"body"`
	CostUSD    float64         `json:"cost_usd"`
	// TotalCostUSD is Result.TotalCostUSD; absent from the lines a
	// router kept before it was written (their total is their cost_usd).
	TotalCostUSD *float64 `json:"total_cost_usd,omitempty"`
}

type lineFault struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// answered is the line of l's answer res, and whether it failed (status
// 400 or above: the error file).
func answered(l *Line, res Result) ([]byte, bool) {
	body := json.RawMessage(res.Body)
	if !json.Valid(body) {
		q, _ := json.Marshal(string(res.Body))
		body = q
	}
	b, _ := json.Marshal(outputLine{ID: requestID(), CustomID: l.CustomID,
		Response: &response{StatusCode: res.Status, RequestID: res.RequestID, Body: body, CostUSD: res.CostUSD, TotalCostUSD: new(llm.RoundUSD(max(res.TotalCostUSD, res.CostUSD)))}})
	return b, res.Status >= 400
}

// unsent is the error file's line of l, never sent for code and msg.
func unsent(l *Line, code, msg string) []byte {
	b, _ := json.Marshal(outputLine{ID: requestID(), CustomID: l.CustomID, Error: &lineFault{Code: code, Message: msg}})
	return b
}

// requestID returns a new id of a batch's request: "batch_req_" and 24
// random letters and digits.
func requestID() string { return "batch_req_" + randomAlnum(24) }

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// randomAlnum returns n random letters and digits, each equally likely:
// a random byte of 248 or more (past the last whole multiple of 62) is
// drawn again rather than folded onto the first letters.
func randomAlnum(n int) string {
	out := make([]byte, 0, n)
	var buf [32]byte
	for len(out) < n {
		rand.Read(buf[:])
		for _, c := range buf {
			if int(c) < 256-256%len(alnum) && len(out) < n {
				out = append(out, alnum[int(c)%len(alnum)])
			}
		}
	}
	return string(out)
}

// tally adds the line data, of an output or error file, to o's counts,
// usage and cost.
func tally(o *Object, data []byte, failed bool) {
	if failed {
		o.RequestCounts.Failed++
	} else {
		o.RequestCounts.Completed++
	}
	var l struct {
		Response *struct {
			CostUSD      float64  `json:"cost_usd"`
			TotalCostUSD *float64 `json:"total_cost_usd"`
			Body         struct {
				Usage *struct {
					PromptTokens      int64         `json:"prompt_tokens"`
					CompletionTokens  int64         `json:"completion_tokens"`
					InputTokens       int64         `json:"input_tokens"`
					OutputTokens      int64         `json:"output_tokens"`
					TotalTokens       int64         `json:"total_tokens"`
					PromptDetails     *tokenDetails `json:"prompt_tokens_details"`
					InputDetails      *tokenDetails `json:"input_tokens_details"`
					CompletionDetails *tokenDetails `json:"completion_tokens_details"`
					OutputDetails     *tokenDetails `json:"output_tokens_details"`
				} `json:"usage"`
			} `json:"body"`
		} `json:"response"`
	}
	if json.Unmarshal(data, &l) != nil || l.Response == nil {
		return
	}
	o.CostUSD += l.Response.CostUSD
	if t := l.Response.TotalCostUSD; t != nil {
		o.TotalCostUSD += *t
	} else {
		o.TotalCostUSD += l.Response.CostUSD
	}
	if u := l.Response.Body.Usage; u != nil {
		in, out := u.PromptTokens+u.InputTokens, u.CompletionTokens+u.OutputTokens
		o.Usage.InputTokens += in
		o.Usage.OutputTokens += out
		o.Usage.TotalTokens += max(u.TotalTokens, in+out)
		o.Usage.InputTokensDetails.CachedTokens += u.PromptDetails.cached() + u.InputDetails.cached()
		o.Usage.OutputTokensDetails.ReasoningTokens += u.CompletionDetails.reasoning() + u.OutputDetails.reasoning()
	}
}

// tokenDetails is a line's usage breakdown: a Chat Completion's
// prompt_tokens_details and completion_tokens_details, a Response's
// input_tokens_details and output_tokens_details.
type tokenDetails struct {
	CachedTokens    int64 `json:"cached_tokens"`
	ReasoningTokens int64 `json:"reasoning_tokens"`
}

func (d *tokenDetails) cached() int64 {
	if d == nil {
		return 0
	}
	return d.CachedTokens
}

func (d *tokenDetails) reasoning() int64 {
	if d == nil {
		return 0
	}
	return d.ReasoningTokens
}

// ParseCost reads an x-switchyard-cost-usd header (0 when absent or
// wrong).
func ParseCost(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return v
}

// NewForwardKey returns a new key of a provider batch
// (store.BatchForward.Key): forwardKeyPrefix and 24 random letters and
// digits; its requests' custom ids carry it (ForwardCustomID).
func NewForwardKey() string { return forwardKeyPrefix + randomAlnum(24) }

// NewBatchID returns a new batch id: "batch_" and 24 random letters and
// digits.
func NewBatchID() string { return "batch_" + randomAlnum(24) }

// NewFileID returns a new file id: "file-" and 24 random letters and
// digits.
func NewFileID() string { return "file-" + randomAlnum(24) }
