// Package record turns each finished request into one Record and hands it,
// off the hot path, to sinks: metrics, the log, and later the request store
// and the learner. The queue is bounded; a full queue drops and counts the
// record rather than slow a request, and Close flushes what is queued.
package record

import (
	"time"

	"switchyard/llm"
	"switchyard/route"
	"switchyard/store"
)

// Record is what the router remembers of one request. It never holds
// message content or credentials.
type Record struct {
	RequestID string
	// Caller names the client key that sent the request (its configured
	// name, never the key); empty when authentication is off.
	Caller     string
	Start      time.Time
	Endpoint   string // "chat", "embeddings", "moderations", "route" (a dry run), "semantic" (an embedding for semantic routing)
	Route      string
	Deployment string
	Provider   string
	Model      string
	Stream     bool
	Status     int
	ErrorKind  llm.ErrorKind
	// ErrorCode is the failure's llm.Error Code (llm.CodeContentFilter,
	// llm.CodeContextLength, …); empty when it has none.
	ErrorCode string
	// StreamFailed reports a stream that failed after its first byte.
	StreamFailed bool
	Attempts     int
	// Usage is the usage of the attempt that answered (or last failed
	// after it started generating); Usage.Estimated marks counts the
	// router estimated because the upstream reported none.
	Usage llm.Usage
	// CostUSD is the cost of every attempt the upstreams may bill: the
	// sum over Billed when it is not empty.
	CostUSD float64
	// ServedCostUSD is the cost of the answer the client got (what
	// x-switchyard-cost-usd says): the attempt that answered, or for a
	// resumed stream the broken attempt and its continuation; zero when
	// the client got only an error. CostUSD adds the failed and abandoned
	// attempts' costs.
	ServedCostUSD float64
	// CostUnknown reports that an attempt ran on a deployment with no
	// known price (Billed says which): CostUSD and ServedCostUSD leave
	// its cost out, so they are lower bounds, not the cost.
	CostUnknown bool
	// Billed lists each attempt that generated tokens — the one that
	// answered and those abandoned or failed after they started — with
	// its usage and cost; attempts that produced nothing are not billed
	// and not listed. Empty for records that predate it or have no usage.
	Billed []Billed
	// Latency is the total time; TTFT the time to the first byte sent.
	Latency time.Duration
	TTFT    time.Duration
	// Category is the category routing used ("" for embeddings or when
	// unknown); Confidence is the classifier's.
	Category   llm.Category
	Confidence float64
	// Pinned is the deployment the caller pinned, if any.
	Pinned string
	// Tier is the plan tier (1-based) of the deployment that answered or
	// last failed; zero when no deployment was called.
	Tier int
	// ResumedFrom names the deployment whose stream broke after its first
	// token and was continued on Deployment; empty when it was not.
	// ResumeOffset is how many bytes of content the client had received
	// then; ResumeMode is "prefill" or "regenerate".
	ResumedFrom  string
	ResumeOffset int
	ResumeMode   string

	// Tenant owns the request: the client key's tenant (its name when the
	// key names no tenant); "" when authentication is off.
	Tenant string
	// TraceParent is the client's W3C traceparent header, if it sent one.
	TraceParent string
	// Session is the client's x-switchyard-session header, if it sent
	// one: which end user or conversation the request belongs to, for the
	// implicit feedback signals (with the request's user field).
	Session string
	// Plan is the routing decision; nil for embeddings, for requests
	// rejected before routing, and when routing failed. Read-only: sinks
	// convert it (to the store's Explanation, to span attributes) off the
	// hot path.
	Plan *route.Plan
	// Propensity is the probability the plan's first candidate had of
	// being first (route.Plan.Propensity); 1 without a plan.
	Propensity float64
	// Request is the decoded chat request (nil for other endpoints and for
	// requests rejected before decoding); Answer is what the client got:
	// the complete response, or a streamed one accumulated (partial when
	// the stream was cut). Both are set only when the gateway keeps
	// answers (gateway.Options.KeepAnswers) and are read-only.
	Request *llm.Request
	Answer  *llm.Response
	// Trail is every upstream call, in the order they started.
	Trail []Attempt
	// Earlier is a call made for the request before the router ran it: a
	// provider batch's failed answer to a batch line then run on the
	// router. It is billed in Billed when the record is made and put
	// first in Trail when it is finished; nil for any other request.
	Earlier *Attempt
	// Budgets names the budgets (switchyard/budget) the request was
	// charged to; nil when none. A request a budget refused has ErrorCode
	// budget_exceeded and a message naming it.
	Budgets []string
	// Guard is what the guards found (the injection scan's verdict, what
	// the answer's sanitizer changed); nil when no guard ran.
	Guard *llm.Guard
	// Signals are the answer's quality signals, set by the quality sink,
	// which the router puts before every other sink (sinks run in order on
	// the recorder's goroutine); nil when it did not run.
	Signals *store.Signals
	// Batch is how a batch's line was answered: BatchProvider when it
	// went through its provider's own batch API (priced at the batch
	// price), BatchRouter when the router ran it as a live request; ""
	// for any other request.
	Batch string
	// BatchID is the batch (batch_…, msgbatch_…) whose line the request
	// is; "" for a live request.
	BatchID string
	// TierPrice says how the tier that served the request
	// (Usage.ServiceTier) was priced when it is not the standard one: an
	// llm.TierPrice.Source ("multiplier" marks an estimate); "" for the
	// standard price.
	TierPrice string
	// Responses is the number of responses a Realtime API session's
	// upstream completed (response.done events); zero for every other
	// request.
	Responses int
	// SteersUndelivered is the number of steers a Responses API WebSocket
	// client sent for this response that no response committed, as the
	// client left while it streamed (llm.Served.SteersUndelivered).
	SteersUndelivered int

	// TotalTo, when not nil, is given the record's CostUSD and
	// CostUnknown once the gateway completed it, before it is queued:
	// where a caller in the process (a batch's line) reads the total cost
	// of its request (gateway.WithTotalCost). Sinks ignore it.
	TotalTo *Total

	// synced, set on a marker Sync queues instead of a request's record,
	// is closed when the recorder reaches it.
	synced chan struct{}
}

// Total is a request's total cost as its record has it (Record.TotalTo).
type Total struct {
	CostUSD     float64
	CostUnknown bool
}

// BatchProvider is Record.Batch of a batch line sent through the
// provider's batch API.
const BatchProvider = "provider"

// BatchRouter is Record.Batch of a batch line the router ran as a live
// request.
const BatchRouter = "router"

// Attempt is one upstream call of a request.
type Attempt struct {
	Deployment string
	// Tier is the deployment's 1-based plan tier (zero for an embeddings
	// call: embeddings have no plan).
	Tier int
	// Outcome is one of store.Outcome* (ok, error, timeout, canceled,
	// cut); ErrorKind is set unless ok.
	Outcome   string
	ErrorKind llm.ErrorKind
	// ErrorCode is the upstream's error code of a failed call, when it
	// gave one (resource_unavailable: flex had no capacity), or the
	// router's (answer_too_large: a call cut for its answer's size).
	ErrorCode string
	// Start is when the call began; TTFT the time to its first token (zero
	// when none came); Latency its duration.
	Start   time.Time
	TTFT    time.Duration
	Latency time.Duration
	// Usage and CostUSD are what the upstream may bill for it (zero when it
	// produced nothing); CostUnknown reports a deployment with no known
	// price, whose CostUSD is then 0 and means nothing.
	Usage       llm.Usage
	CostUSD     float64
	CostUnknown bool
	// Hedge reports a call started in parallel with an earlier one;
	// Resumed a call that continued a stream broken on the previous one.
	Hedge, Resumed bool
}

// Billed is one attempt's usage and cost.
type Billed struct {
	Deployment string
	Usage      llm.Usage
	CostUSD    float64
	// CostUnknown reports a deployment with no known price: CostUSD is 0
	// and means nothing.
	CostUnknown bool
	// Served reports the attempt whose answer the client got.
	Served bool
}

// BilledCostUnknown reports whether any billed attempt's price is
// unknown.
func (r *Record) BilledCostUnknown() bool {
	for i := range r.Billed {
		if r.Billed[i].CostUnknown {
			return true
		}
	}
	return false
}

// UsageEstimated reports whether any billed attempt's usage (or, without
// any, the record's) is an estimate.
func (r *Record) UsageEstimated() bool {
	if r.Usage.Estimated {
		return true
	}
	for i := range r.Billed {
		if r.Billed[i].Usage.Estimated {
			return true
		}
	}
	return false
}

// Sink consumes records on the recorder's goroutine. Implementations need
// not be safe for concurrent use.
type Sink interface {
	Consume(r *Record)
}

// SinkFunc adapts a function to Sink.
type SinkFunc func(r *Record)

// Consume implements Sink.
func (f SinkFunc) Consume(r *Record) { f(r) }
