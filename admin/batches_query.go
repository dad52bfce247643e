package admin

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"switchyard/llm"
	"switchyard/store"
)

// This file parses the query of GET /admin/batches
// (docs/admin-api.md#get-adminbatches): its page, and the filters the
// store applies in its query (store.BatchFilter), so that a filtered
// page is full and its next right.

// BatchQuery is a parsed GET /admin/batches query.
type BatchQuery struct {
	// Tenant is the tenant asked for; nil when not given.
	Tenant *string
	// Limit is the page's size; Cursor the id of the last batch of the
	// previous page ("" from the newest).
	Limit  int
	Cursor string
	// Filter selects the batches listed.
	Filter store.BatchFilter
}

func (q BatchQuery) tenant() *string { return q.Tenant }

// batchStatuses are the statuses status= takes: the Batch API's, which
// a Message Batch has too (BatchView.Status).
var batchStatuses = []string{store.BatchValidating, store.BatchInProgress, store.BatchFinalizing, store.BatchCancelling,
	store.BatchCompleted, store.BatchFailed, store.BatchExpired, store.BatchCancelled}

// batchAPIs are the values api= takes, each the prefix of its batches'
// ids: the Batch API's (openai, or the view's api, batches) and the
// Message Batches' (anthropic, or message_batches).
var batchAPIs = map[string]string{
	"openai": "batch_", "batches": "batch_",
	"anthropic": "msgbatch_", "message_batches": "msgbatch_",
}

// messageStatuses are the statuses of the Batch object a Message Batch
// is kept as that each of its processing statuses stands for
// (messageCounts), the values processing_status= takes.
var messageStatuses = map[string][]string{
	messageInProgress: {store.BatchValidating, store.BatchInProgress, store.BatchFinalizing},
	messageCanceling:  {store.BatchCancelling},
	messageEnded:      {store.BatchCompleted, store.BatchFailed, store.BatchExpired, store.BatchCancelled},
}

// ParseBatchQuery parses the parameters of GET /admin/batches: tenant,
// limit (1 to 100, default 50; more is lowered to 100), cursor (a
// previous page's next), status (statuses, comma-separated),
// processing_status (a Message Batch's, comma-separated: Message Batches
// only, in the statuses they stand for, and of status's too when both
// are given), api (openai or anthropic) and since and until (creation
// time, since included).
func ParseBatchQuery(v url.Values, now time.Time) (BatchQuery, error) {
	p := params{v: v, now: now}
	p.only([]string{"tenant", "limit", "cursor", "status", "processing_status", "api", "since", "until"})
	q := BatchQuery{Tenant: p.optional("tenant"), Limit: p.limit("limit"), Cursor: p.str("cursor")}
	switch {
	case q.Limit == 0:
		q.Limit = defaultBatchPage
	case q.Limit > maxBatchPage:
		q.Limit = maxBatchPage
	}
	if q.Cursor != "" && !isBatchID(q.Cursor) {
		p.fail("cursor", "not a cursor this API returned; pass the next value of a previous page unchanged")
	}
	q.Filter.Statuses = p.batchStatuses("status")
	if a := p.str("api"); a != "" {
		if q.Filter.IDPrefix = batchAPIs[a]; q.Filter.IDPrefix == "" {
			p.fail("api", "%q is not a batch API (allowed: openai, anthropic)", llm.Clip(a))
		}
	}
	p.processingStatuses(&q.Filter, "processing_status")
	q.Filter.Since, q.Filter.Until = p.time("since"), p.time("until")
	p.order(q.Filter.Since, q.Filter.Until)
	return q, p.err
}

// processingStatuses narrows f to the Message Batches in the processing
// statuses of the comma-separated list name (each the statuses it
// stands for, messageStatuses), and of f's statuses when it has some: a
// 400 for an unknown processing status, for api=openai (whose batches
// have none), and for statuses none of which it stands for (the query
// would select nothing).
func (p *params) processingStatuses(f *store.BatchFilter, name string) {
	var out []string
	named := false
	for s := range strings.SplitSeq(p.str(name), ",") {
		s = strings.TrimSpace(s)
		switch {
		case s == "":
			continue
		case messageStatuses[s] == nil:
			p.fail(name, "%q is not a Message Batch's processing status (allowed: in_progress, canceling, ended)", s)
		default:
			for _, st := range messageStatuses[s] {
				if (len(f.Statuses) == 0 || slices.Contains(f.Statuses, st)) && !slices.Contains(out, st) {
					out = append(out, st)
				}
			}
		}
		named = true
	}
	switch {
	case p.err != nil || !named:
	case f.IDPrefix == batchAPIs["openai"]:
		p.fail(name, "a Message Batch's status: api=openai lists none")
	case len(out) == 0:
		p.fail(name, "none of its statuses is among status=%s", strings.Join(f.Statuses, ","))
	default:
		f.Statuses, f.IDPrefix = out, batchAPIs["anthropic"]
	}
}

// batchStatuses parses a comma-separated list of batch statuses, each
// once; nil when none is given.
func (p *params) batchStatuses(name string) []string {
	var out []string
	for s := range strings.SplitSeq(p.str(name), ",") {
		s = strings.TrimSpace(s)
		switch {
		case s == "":
		case !slices.Contains(batchStatuses, s):
			p.fail(name, "%q is not a batch status (allowed: %s)", s, strings.Join(batchStatuses, ", "))
		case !slices.Contains(out, llm.Clip(s)):
			out = append(out, s)
		}
	}
	return out
}

// isBatchID reports whether id is a batch id of either API.
func isBatchID(id string) bool {
	return strings.HasPrefix(id, "batch_") || strings.HasPrefix(id, "msgbatch_")
}
