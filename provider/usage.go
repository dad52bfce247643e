package provider

import (
	"bytes"
	"encoding/json"
	"strings"

	"switchyard/llm"
)

// MaxUsageTokens is the largest token count an upstream's usage report
// is believed with: ten times the largest context window offered today.
// A count above it, or below zero, is no count at all (a bug or a hostile
// upstream), and billing or budgets fed it would be nonsense.
const MaxUsageTokens = 100_000_000

// MaxReportedCostUSD is the largest cost an upstream's statement of what
// it charged (llm.Usage.ReportedCostUSD) is believed with: MaxUsageTokens
// at $100 per 1M tokens.
const MaxReportedCostUSD = 10_000

// PlausibleUsage reports whether every count of u lies in
// [0, MaxUsageTokens], and the cost it states, if any, in
// [0, MaxReportedCostUSD]. A nil u is not a report, and plausible.
func PlausibleUsage(u *llm.Usage) bool {
	if u == nil {
		return true
	}
	if u.CostReported && !(u.ReportedCostUSD >= 0 && u.ReportedCostUSD <= MaxReportedCostUSD) {
		return false
	}
	for _, n := range [...]int{
		u.PromptTokens, u.CompletionTokens, u.TotalTokens, u.CachedPromptTokens, u.CacheWriteTokens,
		u.ReasoningTokens, u.AudioPromptTokens, u.AudioCompletionTokens, u.AcceptedPredictionTokens, u.RejectedPredictionTokens,
	} {
		if n < 0 || n > MaxUsageTokens {
			return false
		}
	}
	return true
}

// usageKeys are the members that hold an event's usage in each upstream
// format: OpenAI's and Anthropic's "usage" (top level, or in Anthropic's
// message_start "message"), Gemini's "usageMetadata".
var usageKeys = [...]string{"usage", "usageMetadata"}

// WithoutUsage returns the JSON document data with every usage member (see
// usageKeys, at any depth of objects) removed, and whether it had one. It
// is the second chance of a document (a stream event, an embeddings
// answer) that did not decode: a count that overflows the decoder's
// integers (1e30, 30 digits) must cost the usage report only, not the
// text, the finish reason or the vectors that travel with it.
func WithoutUsage(data []byte) ([]byte, bool) {
	if !mayHoldUsage(data) {
		return nil, false
	}
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		return nil, false
	}
	if !dropUsage(v) {
		return nil, false
	}
	out, err := json.Marshal(v)
	if err != nil {
		return nil, false
	}
	return out, true
}

// LeadingJSON returns the JSON value data starts with and true when
// anything but white space follows it (a proxy's stray bytes after an
// event's JSON), or false. Decoders reject such data whole; the value
// itself is intact and says what the upstream meant.
func LeadingJSON(data []byte) ([]byte, bool) {
	d := json.NewDecoder(bytes.NewReader(data))
	var v json.RawMessage
	if d.Decode(&v) != nil {
		return nil, false
	}
	n := d.InputOffset()
	if len(bytes.TrimSpace(data[n:])) == 0 {
		return nil, false
	}
	return data[:n], true
}

// mayHoldUsage reports whether data may spell a usage key as
// encoding/json reads one: "usage" in any case, or a \u escape or an ſ
// (which folds to s) that may spell it.
func mayHoldUsage(data []byte) bool {
	if bytes.Contains(data, []byte(`\u`)) || bytes.Contains(data, []byte("ſ")) {
		return true
	}
	for i := 0; i+len("usage") <= len(data); i++ {
		if data[i]|0x20 == 'u' && bytes.EqualFold(data[i:i+len("usage")], []byte("usage")) {
			return true
		}
	}
	return false
}

// dropUsage deletes the usage members of the decoded JSON value v, in
// place, and reports whether there were any. A member's key is matched as
// encoding/json matches a field's (bytes.EqualFold): the decoders read
// "Usage" as "usage".
func dropUsage(v any) bool {
	dropped := false
	switch v := v.(type) {
	case map[string]any:
		for k := range v {
			if isUsageKey(k) {
				delete(v, k)
				dropped = true
			}
		}
		for _, m := range v {
			dropped = dropUsage(m) || dropped
		}
	case []any:
		for _, m := range v {
			dropped = dropUsage(m) || dropped
		}
	}
	return dropped
}

// isUsageKey reports whether encoding/json reads member k as one of
// usageKeys.
func isUsageKey(k string) bool {
	for _, u := range usageKeys {
		if strings.EqualFold(k, u) {
			return true
		}
	}
	return false
}

// EstimateEmbeddingUsage is the usage of embedding inputs when the
// upstream reported none that can be believed: about four bytes a token,
// so that cost accounting sees something.
func EstimateEmbeddingUsage(inputs []string) llm.Usage {
	n := 0
	for _, text := range inputs {
		n += (len(text) + 3) / 4
	}
	return llm.Usage{PromptTokens: n, TotalTokens: n, Estimated: true}
}

// screenUsage removes implausible usage from chunks, in place, and
// returns what is left: once any report of a stream (its final usage or
// one on the way, UsageSoFar) is implausible, none of its reports is
// believed from then on (Anthropic's final usage combines the counts
// of two events), and a chunk left with nothing to say is dropped. The
// router estimates the usage of a stream that reports none.
func (s *EventStream) screenUsage(chunks []*llm.Chunk) []*llm.Chunk {
	kept := chunks[:0]
	for _, c := range chunks {
		dropped := false
		if c.UsageSoFar != nil && (s.usageDropped || !PlausibleUsage(c.UsageSoFar)) {
			s.noteUsageDropped("implausible counts")
			c.UsageSoFar, dropped = nil, true
		}
		if c.Usage != nil && (s.usageDropped || !PlausibleUsage(c.Usage)) {
			s.noteUsageDropped("implausible counts")
			c.Usage, dropped = nil, true
		}
		if dropped && c.Usage == nil && c.UsageSoFar == nil && len(c.Choices) == 0 {
			continue
		}
		kept = append(kept, c)
	}
	clear(chunks[len(kept):])
	return kept
}

// noteUsageDropped makes the stream drop every usage report from now on,
// and logs it once, without the counts.
func (s *EventStream) noteUsageDropped(why string) {
	if s.usageDropped {
		return
	}
	s.usageDropped = true
	s.log.Warn("dropped an upstream's usage report; the router estimates the usage instead",
		"provider", s.name, "reason", why, "max_tokens_believed", MaxUsageTokens)
}
