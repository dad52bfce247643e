package anthropic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"switchyard/llm"
	"switchyard/provider"
)

// This file finds a Message Batch by the custom ids of its requests
// (provider.BatchFinder). A Message Batch keeps no metadata: the key is
// in each custom id (the caller makes them so). The workspace's batches
// are listed newest first (GET /v1/messages/batches, paged by after_id)
// down to those created before the time looked for since, less findSkew;
// a candidate is one with as many requests as custom ids. An ended
// candidate is proven by its results: every custom id one of ours. One
// in progress cannot be read yet: when it is the only candidate (and
// none ended is proven) it is returned unproven; when several are, none
// is (FoundBatch.Candidates).

var _ provider.BatchFinder = (*Client)(nil)

// findPage is how many batches a page of the listing asks for (the API
// allows 1000).
const findPage = 100

// findSkew is how much older than since a batch may be and still be
// looked at: the provider's clock and the router's differ.
const findSkew = 10 * time.Minute

// batchList is the part of a page of List Message Batches FindBatch
// reads.
type batchList struct {
	Data    []listedBatch `json:"data"`
	HasMore bool          `json:"has_more"`
}

// listedBatch is a Message Batch as FindBatch reads it.
type listedBatch struct {
	ID               string        `json:"id"`
	ProcessingStatus string        `json:"processing_status"`
	CreatedAt        time.Time     `json:"created_at"`
	RequestCounts    requestCounts `json:"request_counts"`
}

// requestCounts are a Message Batch's requests by where they are.
type requestCounts struct {
	Processing int `json:"processing"`
	Succeeded  int `json:"succeeded"`
	Errored    int `json:"errored"`
	Canceled   int `json:"canceled"`
	Expired    int `json:"expired"`
}

// total is the number of requests of the batch.
func (n requestCounts) total() int {
	return n.Processing + n.Succeeded + n.Errored + n.Canceled + n.Expired
}

// FindBatch implements provider.BatchFinder.
func (c *Client) FindBatch(ctx context.Context, key string, since time.Time, customIDs []string) (provider.FoundBatch, error) {
	if key == "" || len(customIDs) == 0 {
		return provider.FoundBatch{}, nil
	}
	want := make(map[string]bool, len(customIDs))
	for _, id := range customIDs {
		want[id] = true
	}
	oldest := since.Add(-findSkew)
	var open []string
	after := ""
	for {
		page, err := c.listBatches(ctx, after)
		if err != nil {
			return provider.FoundBatch{}, err
		}
		for _, b := range page.Data {
			if b.CreatedAt.Before(oldest) {
				return unprovenOf(open), nil
			}
			if b.RequestCounts.total() != len(want) {
				continue
			}
			if b.ProcessingStatus != "ended" {
				open = append(open, b.ID)
				continue
			}
			ours, err := c.resultsCarry(ctx, b.ID, want)
			if err != nil {
				return provider.FoundBatch{}, err
			}
			if ours {
				return provider.FoundBatch{ID: b.ID, Proven: true}, nil
			}
		}
		if !page.HasMore || len(page.Data) == 0 {
			return unprovenOf(open), nil
		}
		after = page.Data[len(page.Data)-1].ID
	}
}

// unprovenOf is what FindBatch found when no ended batch was proven:
// the single candidate in progress, unproven, or none and the
// candidates when there are several.
func unprovenOf(open []string) provider.FoundBatch {
	if len(open) == 1 {
		return provider.FoundBatch{ID: open[0]}
	}
	return provider.FoundBatch{Candidates: open}
}

// listBatches returns the page of the listing after the batch after
// (the first page when "").
func (c *Client) listBatches(ctx context.Context, after string) (*batchList, error) {
	q := url.Values{"limit": {strconv.Itoa(findPage)}}
	if after != "" {
		q.Set("after_id", after)
	}
	data, err := c.batchCall(ctx, http.MethodGet, c.batchesURL("?"+q.Encode()), nil)
	if err != nil {
		return nil, err
	}
	page, err := decodeBatchList(data)
	if err != nil {
		return nil, provider.Garbage(c.name, err)
	}
	return page, nil
}

// resultsCarry reports whether every result of the ended batch id has a
// custom id of want (and there is one); false too when its results
// cannot be read (gone, archived: a 4xx), since it cannot be proven ours.
func (c *Client) resultsCarry(ctx context.Context, id string, want map[string]bool) (bool, error) {
	data, err := c.batchCall(ctx, http.MethodGet, c.batchesURL("/"+url.PathEscape(id)+"/results"), nil)
	if le := (*llm.Error)(nil); errors.As(err, &le) && !le.Retryable && le.HTTPStatus()/100 == 4 {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	ids, err := resultIDs(data)
	if err != nil {
		return false, provider.Garbage(c.name, err)
	}
	for _, id := range ids {
		if !want[id] {
			return false, nil
		}
	}
	return len(ids) > 0, nil
}

// decodeBatchList reads a page of the listing: each batch must have an
// id, a processing status and a creation time.
func decodeBatchList(data []byte) (*batchList, error) {
	var l batchList
	if err := json.Unmarshal(data, &l); err != nil {
		return nil, fmt.Errorf("decode message batch list: %w", err)
	}
	for _, b := range l.Data {
		if b.ID == "" || b.ProcessingStatus == "" || b.CreatedAt.IsZero() {
			return nil, fmt.Errorf("decode message batch list: a batch without an id, a processing_status or a created_at")
		}
	}
	return &l, nil
}

// resultIDs reads the custom ids of a Message Batch's results (JSON
// Lines); each line must have one.
func resultIDs(data []byte) ([]string, error) {
	var ids []string
	for _, raw := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(raw)) == 0 {
			continue
		}
		var l struct {
			CustomID string `json:"custom_id"`
		}
		if err := json.Unmarshal(raw, &l); err != nil {
			return nil, fmt.Errorf("decode batch result: %w", err)
		}
		if l.CustomID == "" {
			return nil, fmt.Errorf("decode batch result: no custom_id")
		}
		ids = append(ids, l.CustomID)
	}
	return ids, nil
}
