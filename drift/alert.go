package drift

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"switchyard/llm"
	"switchyard/store"
)

// The sources of an alert.
const (
	SourceGolden = "golden" // a golden set run
	SourceLive   = "live"   // the live traffic monitor
)

// Alert is a significant change, with its evidence: what the webhook
// receives as JSON.
type Alert struct {
	// Source is SourceGolden or SourceLive.
	Source string    `json:"source"`
	Time   time.Time `json:"time"`
	// Deployment changed; Set and RunID name the golden run, Route and
	// Category the live routing path.
	Deployment string       `json:"deployment"`
	Set        string       `json:"set,omitempty"`
	RunID      string       `json:"run_id,omitempty"`
	Route      string       `json:"route,omitempty"`
	Category   llm.Category `json:"category,omitempty"`
	// Demoted are the categories the deployment was demoted for (empty
	// when the action is alert).
	Demoted []llm.Category `json:"demoted,omitempty"`
	// Summary says it in one line; Tests are the flagged tests.
	Summary string            `json:"summary"`
	Tests   []store.DriftTest `json:"tests"`
}

// Alerter raises alerts: a log line, a metric and, when Webhook is set, a
// POST of the alert as JSON.
type Alerter struct {
	Log     *slog.Logger
	Metrics *Metrics
	Webhook *Webhook
}

// Raise logs and counts a, then delivers it to the webhook (retrying;
// this may take a while, so call it off the request path).
func (a *Alerter) Raise(ctx context.Context, al *Alert) {
	if a == nil {
		return
	}
	log := a.Log
	if log == nil {
		log = slog.Default()
	}
	log.Warn("drift detected", "source", al.Source, "deployment", al.Deployment, "set", al.Set, "run_id", al.RunID,
		"route", al.Route, "category", al.Category, "demoted", al.Demoted, "summary", al.Summary)
	a.Metrics.alert(al.Source, al.Deployment)
	if a.Webhook == nil {
		return
	}
	err := a.Webhook.Send(ctx, al)
	a.Metrics.webhookOutcome(err == nil)
	if err != nil {
		log.Warn("drift alert webhook failed", "deployment", al.Deployment, "err", err)
	}
}

// Webhook delivers alerts by HTTP POST, retried with exponential backoff.
type Webhook struct {
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
}

var defaultWebhookClient = &http.Client{Timeout: 10 * time.Second}

// Send posts al as JSON until a 2xx answer, a 4xx other than 408 and
// 429 (not retried), or Attempts tries. The error names the last
// status or failure, never the URL.
func (w *Webhook) Send(ctx context.Context, al *Alert) error {
	body, err := json.Marshal(al)
	if err != nil {
		return fmt.Errorf("drift webhook: encode: %w", err)
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
			return fmt.Errorf("drift webhook: %w (after: %v)", err, last)
		}
		backoff *= 2
	}
	return fmt.Errorf("drift webhook: gave up after %d attempts: %w", attempts, last)
}

// post makes one attempt; it reports whether a failure is worth retrying
// and how long the receiver asked to wait.
func (w *Webhook) post(ctx context.Context, body []byte) (retry bool, wait time.Duration, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return false, 0, fmt.Errorf("the webhook url is not valid")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "switchyard-drift")
	for k, v := range w.Headers {
		req.Header.Set(k, v)
	}
	client := w.Client
	if client == nil {
		client = defaultWebhookClient
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

func (w *Webhook) sleep(ctx context.Context, d time.Duration) error {
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
