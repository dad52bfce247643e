package openai

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"switchyard/provider"
)

// This file finds a provider batch by the key SubmitBatch sent as its
// metadata (provider.BatchFinder): the account's batches listed newest
// first (GET /batches, paged) until one carries the key or the batches
// are older than the time it was looked for since.

var _ provider.BatchFinder = (*Client)(nil)

// findPage is how many batches a page of the listing asks for (OpenAI's
// most).
const findPage = 100

// findSkew is how much older than since a batch may be and still be
// looked at: the provider's clock and the router's differ.
const findSkew = 10 * time.Minute

// batchList is the part of a page of OpenAI's batch listing FindBatch
// reads.
type batchList struct {
	Data []struct {
		ID        string            `json:"id"`
		CreatedAt int64             `json:"created_at"`
		Metadata  map[string]string `json:"metadata"`
	} `json:"data"`
	HasMore bool `json:"has_more"`
}

// FindBatch implements provider.BatchFinder: the batch whose metadata
// carries key (the custom ids are not looked at), proven.
func (c *Client) FindBatch(ctx context.Context, key string, since time.Time, _ []string) (provider.FoundBatch, error) {
	id, err := c.findByKey(ctx, key, since)
	return provider.FoundBatch{ID: id, Proven: id != ""}, err
}

// findByKey returns the id of the batch whose metadata carries key, ""
// when none created since (less findSkew) does.
func (c *Client) findByKey(ctx context.Context, key string, since time.Time) (string, error) {
	if key == "" {
		return "", nil
	}
	oldest := since.Add(-findSkew).Unix()
	after := ""
	for {
		op := "batches?limit=" + fmt.Sprint(findPage)
		if after != "" {
			op += "&after=" + url.QueryEscape(after)
		}
		data, err := c.batchCall(ctx, http.MethodGet, op, nil, "")
		if err != nil {
			return "", err
		}
		page, err := decodeBatchList(data)
		if err != nil {
			return "", provider.Garbage(c.name, err)
		}
		for _, b := range page.Data {
			if b.Metadata[batchKeyField] == key {
				return b.ID, nil
			}
			if b.CreatedAt < oldest {
				return "", nil
			}
		}
		if !page.HasMore || len(page.Data) == 0 {
			return "", nil
		}
		after = page.Data[len(page.Data)-1].ID
	}
}

// decodeBatchList reads a page of the batch listing: each batch must
// have an id (the next page starts after the last).
func decodeBatchList(data []byte) (*batchList, error) {
	var l batchList
	if err := json.Unmarshal(data, &l); err != nil {
		return nil, fmt.Errorf("decode batch list: %w", err)
	}
	for _, b := range l.Data {
		if b.ID == "" {
			return nil, fmt.Errorf("decode batch list: a batch without an id")
		}
	}
	return &l, nil
}
