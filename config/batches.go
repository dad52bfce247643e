package config

import (
	"fmt"
	"time"
)

// This file holds the batches section: the Files API (uploads kept in
// the request store) and the Batch API, whose batches the router runs
// itself, each line as a request of the batch's key
// (docs/batches.md). Only a restart changes it.

// Batches configures the Files and Batch APIs. Their files and batches
// are kept in the request store (the store section), so with
// store.driver none both answer 404 whatever Enabled says.
type Batches struct {
	// Enabled says whether /v1/files and /v1/batches are served; nil
	// means they are (On).
	Enabled *bool
	// MaxFileBytes bounds one file uploaded (32 MiB; OpenAI allows 200
	// MB for a batch's input). A file is held in memory while it is
	// stored and while its batch runs.
	MaxFileBytes int64
	// MaxLines bounds the requests of one batch (50,000, as OpenAI).
	MaxLines int
	// Concurrency is how many lines the router runs at once, over all
	// its batches (4).
	Concurrency int
	// YieldAt is how many interactive API requests in flight make the
	// batch workers wait before their next line (64): batches go on
	// while the router is not busier than that.
	YieldAt int
	// Retention is how long a file without expires_after, a batch, and a
	// batch's output and error files are kept (720h, 30 days).
	Retention time.Duration
	// Lease is how long a router holds a batch without renewing it (30s);
	// it renews it every third of that. Another router resumes a batch
	// whose lease ended (its router stopped) where it was left.
	Lease time.Duration
	// Forward is whether a batch's lines are sent to the providers' own
	// batch APIs, where their deployment takes them: BatchForwardAuto
	// (the default, "" reads so) or BatchForwardOff.
	Forward string
	// PollInterval is how often a provider batch is polled (60s; at
	// least 100ms, for tests).
	PollInterval time.Duration
	// Discount is the share of the standard price a line sent through a
	// provider's batch API costs when the price catalog has no batch
	// price for its model (0.5: OpenAI's and Anthropic's 50 % off).
	Discount *float64
}

// The values of batches.forward.
const (
	// BatchForwardAuto sends the lines whose first-choice deployment
	// takes provider batches (config.Deployment.TakesBatches) to its
	// provider's batch API.
	BatchForwardAuto = "auto"
	// BatchForwardOff runs every line on the router's own workers.
	BatchForwardOff = "off"
)

// DefaultBatchDiscount is batches.discount's default.
const DefaultBatchDiscount = 0.5

// The defaults of the batches section.
const (
	DefaultBatchFileBytes   = 32 << 20
	DefaultBatchLines       = 50000
	DefaultBatchConcurrency = 4
	DefaultBatchYieldAt     = 64
	DefaultBatchLease       = 30 * time.Second
	DefaultBatchPoll        = 60 * time.Second
)

// On reports whether the Files and Batch APIs are served (when a
// request store keeps them).
func (b *Batches) On() bool { return b.Enabled == nil || *b.Enabled }

// Forwards reports whether lines go to the providers' batch APIs.
func (b *Batches) Forwards() bool { return b.Forward != BatchForwardOff }

// BatchDiscount is the share of the standard price a forwarded line
// costs when the catalog has no batch price.
func (b *Batches) BatchDiscount() float64 {
	if b.Discount == nil {
		return DefaultBatchDiscount
	}
	return *b.Discount
}

func (d *decoder) batches(e entry, b *Batches) {
	d.object(e.node, e.path, []field{
		{"enabled", func(e entry) { b.Enabled = d.boolean(e) }},
		{"max_file_bytes", func(e entry) {
			d.integer(e, &b.MaxFileBytes, true, "the largest file a client may upload, in bytes, e.g. 33554432 (32 MiB)")
		}},
		{"max_lines", func(e entry) { d.intField(e, &b.MaxLines, "the most requests one batch may hold, e.g. 50000") }},
		{"concurrency", func(e entry) { d.intField(e, &b.Concurrency, "how many batch lines run at once, e.g. 4") }},
		{"yield_at", func(e entry) {
			d.intField(e, &b.YieldAt, "how many interactive requests in flight pause the batch lines, e.g. 64")
		}},
		{"retention", func(e entry) { d.duration(e, &b.Retention, true) }},
		{"lease", func(e entry) { d.duration(e, &b.Lease, true) }},
		{"forward", func(e entry) { d.str(e, &b.Forward) }},
		{"poll_interval", func(e entry) { d.duration(e, &b.PollInterval, true) }},
		{"discount", func(e entry) {
			var f float64
			d.number(e, &f, "the share of the standard price a provider batch's line costs, e.g. 0.5")
			b.Discount = &f
		}},
	})
}

// batches applies the batches section's defaults and checks it.
func (v *validator) batches() {
	const path = "batches"
	b := &v.c.Batches
	if b.MaxFileBytes == 0 {
		b.MaxFileBytes = DefaultBatchFileBytes
	}
	orInt(&b.MaxLines, DefaultBatchLines)
	orInt(&b.Concurrency, DefaultBatchConcurrency)
	orInt(&b.YieldAt, DefaultBatchYieldAt)
	orDuration(&b.Retention, DefaultResponsesRetention)
	orDuration(&b.Lease, DefaultBatchLease)
	orDuration(&b.PollInterval, DefaultBatchPoll)
	if b.Forward == "" {
		b.Forward = BatchForwardAuto
	}
	if b.MaxFileBytes < 1 || b.MaxFileBytes > 1<<30 {
		v.add(path+".max_file_bytes", fmt.Sprintf("must be between 1 and 1073741824 (1 GiB), got %d", b.MaxFileBytes), "the largest file a client may upload, e.g. 33554432 (32 MiB)")
	}
	if b.MaxLines < 1 || b.MaxLines > 1000000 {
		v.add(path+".max_lines", fmt.Sprintf("must be between 1 and 1000000, got %d", b.MaxLines), "the most requests one batch may hold, e.g. 50000")
	}
	if b.Concurrency < 1 || b.Concurrency > 1024 {
		v.add(path+".concurrency", fmt.Sprintf("must be between 1 and 1024, got %d", b.Concurrency), "how many batch lines run at once, e.g. 4")
	}
	if b.YieldAt < 1 {
		v.add(path+".yield_at", fmt.Sprintf("must be at least 1, got %d", b.YieldAt), "how many interactive requests in flight pause the batch lines, e.g. 64")
	}
	v.positive(path+".retention", b.Retention, `how long files and batches are kept, e.g. "720h" (30 days)`)
	if b.Lease < 3*time.Second {
		v.add(path+".lease", "must be at least 3s, got "+b.Lease.String(), `how long a router holds a batch between renewals, e.g. "30s" (it renews every third of it)`)
	}
	v.forwarding(path, b)
}

// forwarding checks forward, poll_interval and discount.
func (v *validator) forwarding(path string, b *Batches) {
	if b.Forward != BatchForwardAuto && b.Forward != BatchForwardOff {
		v.add(path+".forward", fmt.Sprintf("unknown forward %q", b.Forward), `"auto" (lines go to the providers' batch APIs where their deployment takes them) or "off"`)
	}
	if b.PollInterval < 100*time.Millisecond {
		v.add(path+".poll_interval", "must be at least 100ms, got "+b.PollInterval.String(), `how often a provider batch is polled, e.g. "60s"`)
	}
	if b.Discount != nil && (*b.Discount <= 0 || *b.Discount > 1) {
		v.add(path+".discount", fmt.Sprintf("must be above 0 and at most 1, got %g", *b.Discount), "the share of the standard price a provider batch's line costs, e.g. 0.5")
	}
}
