// Package webhook posts JSON to an operator's endpoint (an alert, a
// report), retried with backoff; the URL and the headers' values, which
// may hold tokens, never appear in its errors.
package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Sender delivers JSON payloads by HTTP POST, retried with exponential
// backoff. It is safe for concurrent use once set up.
type Sender struct {
	// URL receives the POST. It never appears in errors or logs (it may
	// hold a token).
	URL string
	// Headers are added to each request (an Authorization header, say);
	// their values never appear in errors or logs.
	Headers map[string]string
	// Client sends the requests; nil means a client with a 10 s timeout.
	Client *http.Client
	// Attempts is how many times a delivery is tried (5); Backoff the
	// wait after the first failure (1 s), doubled after each, at most
	// MaxBackoff (30 s). A 429's or 503's Retry-After, in seconds, is
	// honoured up to MaxBackoff.
	Attempts            int
	Backoff, MaxBackoff time.Duration
	// Sleep waits d or until ctx ends (tests replace it); nil means a
	// timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Name starts its errors ("drift webhook: …"); empty means "webhook".
	// UserAgent is sent as User-Agent; empty means "switchyard".
	Name, UserAgent string
}

var defaultClient = &http.Client{Timeout: 10 * time.Second}

// Send posts payload as JSON until a 2xx answer, a 4xx other than 408
// and 429 (not retried), or Attempts tries. The error names the last
// status or failure, never the URL.
func (w *Sender) Send(ctx context.Context, payload any) error {
	body, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("%s: encode: %w", w.name(), err)
	}
	attempts, backoff, maxBackoff := w.Attempts, w.Backoff, w.MaxBackoff
	if attempts <= 0 {
		attempts = 5
	}
	if backoff <= 0 {
		backoff = time.Second
	}
	if maxBackoff <= 0 {
		maxBackoff = 30 * time.Second
	}
	var last error
	for i := range attempts {
		retry, wait, err := w.post(ctx, body)
		if err == nil {
			return nil
		}
		last = err
		if !retry || i == attempts-1 {
			break
		}
		if err := w.sleep(ctx, min(max(backoff, wait), maxBackoff)); err != nil {
			return fmt.Errorf("%s: %w (after: %v)", w.name(), err, last)
		}
		backoff *= 2
	}
	return fmt.Errorf("%s: gave up after %d attempts: %w", w.name(), attempts, last)
}

// post makes one attempt; it reports whether a failure is worth retrying
// and how long the receiver asked to wait.
func (w *Sender) post(ctx context.Context, body []byte) (retry bool, wait time.Duration, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return false, 0, fmt.Errorf("the webhook url is not valid")
	}
	req.Header.Set("Content-Type", "application/json")
	ua := w.UserAgent
	if ua == "" {
		ua = "switchyard"
	}
	req.Header.Set("User-Agent", ua)
	for k, v := range w.Headers {
		req.Header.Set(k, v)
	}
	client := w.Client
	if client == nil {
		client = defaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return false, 0, ctx.Err()
		}
		var ue *url.Error
		if errors.As(err, &ue) { // its text quotes the URL; keep only the cause
			err = ue.Err
		}
		return true, 0, fmt.Errorf("request failed: %v", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) //nolint:errcheck // drained for reuse only
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return false, 0, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable:
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			wait = time.Duration(s) * time.Second
		}
		return true, wait, fmt.Errorf("status %d", resp.StatusCode)
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusRequestTimeout:
		return true, 0, fmt.Errorf("status %d", resp.StatusCode)
	}
	return false, 0, fmt.Errorf("status %d (not retried)", resp.StatusCode)
}

func (w *Sender) sleep(ctx context.Context, d time.Duration) error {
	if w.Sleep != nil {
		return w.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (w *Sender) name() string {
	if w.Name == "" {
		return "webhook"
	}
	return w.Name
}
