package record

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"time"

	"switchyard/llm"
)

// LogSink writes one structured log line per record to l, as it comes.
// LineSink writes the same lines for less CPU when the log's writer and
// format are known.
func LogSink(l *slog.Logger) Sink {
	return SinkFunc(func(r *Record) {
		level, attrs := lineAttrs(nil, r)
		l.LogAttrs(context.Background(), level, lineMessage, attrs...)
	})
}

// LineSink returns a sink that writes each record's log line to w: the
// line LogSink logs, byte for byte as slog.NewTextHandler(w, opts) — or
// slog.NewJSONHandler(w, opts) if json — writes it for opts that set at
// most a Level (INFO or below). It holds the lines and writes them in one
// Write per batch of records the recorder hands it (it is a Flusher), or
// per 32 KiB: one system call per batch instead of one per request, and
// no slog handler's reflection. A line's time is when the sink got the
// record (LogSink's, when it logged it). w must be safe for writes that
// race other writers of it (an *os.File is); a failed Write is dropped,
// as slog drops it.
func LineSink(w io.Writer, json bool) Sink { return newLineSink(w, json, time.Now) }

// lineFlushAt is the most bytes of lines a LineSink holds.
const lineFlushAt = 32 << 10

type lineSink struct {
	w     io.Writer
	json  bool
	now   func() time.Time
	buf   []byte
	attrs []slog.Attr // lineAttrs' array, reused
}

func newLineSink(w io.Writer, json bool, now func() time.Time) *lineSink {
	return &lineSink{w: w, json: json, now: now}
}

// Consume implements Sink.
func (s *lineSink) Consume(r *Record) {
	var level slog.Level
	level, s.attrs = lineAttrs(s.attrs, r)
	s.buf = appendLine(s.buf, s.now(), level, lineMessage, s.attrs, s.json)
	clear(s.attrs) // let go of the record's strings
	if len(s.buf) >= lineFlushAt {
		s.Flush()
	}
}

// Flush implements Flusher.
func (s *lineSink) Flush() {
	if len(s.buf) > 0 {
		s.w.Write(s.buf) //nolint:errcheck // as slog, a log that cannot be written is dropped
		s.buf = s.buf[:0]
	}
}

// lineMessage is the message of a record's log line.
const lineMessage = "request"

// lineAttrs returns the level and the attributes of r's log line (in
// dst's array, when it has room): WARN for a failed request, or one a
// misconfigured deployment refused on its way (misconfigured), INFO
// otherwise.
func lineAttrs(dst []slog.Attr, r *Record) (slog.Level, []slog.Attr) {
	attrs := append(dst[:0],
		slog.String("request_id", r.RequestID),
		slog.String("endpoint", r.Endpoint),
		slog.String("route", r.Route),
		slog.String("deployment", r.Deployment),
		slog.Bool("stream", r.Stream),
		slog.Int("status", r.Status),
		slog.Int("attempts", r.Attempts),
		slog.Int("prompt_tokens", r.Usage.PromptTokens),
		slog.Int("completion_tokens", r.Usage.CompletionTokens),
		slog.Float64("cost_usd", r.CostUSD),
		slog.Duration("latency", r.Latency),
	)
	if r.TTFT > 0 {
		attrs = append(attrs, slog.Duration("ttft", r.TTFT))
	}
	if r.Caller != "" {
		attrs = append(attrs, slog.String("caller", r.Caller))
	}
	level := slog.LevelInfo
	if r.ErrorKind != "" {
		attrs = append(attrs, slog.String("error", string(r.ErrorKind)))
		level = slog.LevelWarn
	}
	if r.ErrorCode != "" {
		attrs = append(attrs, slog.String("code", r.ErrorCode))
	}
	if dep := misconfigured(r.Trail); dep != "" {
		attrs = append(attrs, slog.String("misconfigured", dep))
		level = slog.LevelWarn
	}
	if r.StreamFailed {
		attrs = append(attrs, slog.Bool("stream_failed", true))
	}
	if len(r.Budgets) > 0 {
		attrs = append(attrs, slog.String("budgets", strings.Join(r.Budgets, ",")))
	}
	if r.UsageEstimated() {
		attrs = append(attrs, slog.Bool("usage_estimated", true))
	}
	if r.ServedCostUSD != r.CostUSD {
		attrs = append(attrs, slog.Float64("served_cost_usd", r.ServedCostUSD))
	}
	if r.CostUnknown {
		attrs = append(attrs, slog.Bool("cost_unknown", true))
	}
	if len(r.Billed) > 1 {
		attrs = append(attrs, slog.Int("billed_attempts", len(r.Billed)))
	}
	return level, attrs
}

// misconfigured returns the first deployment of trail whose provider said
// its model does not exist or the key has no access to it
// (llm.CodeModelNotFound): a configuration error to warn of even when
// another deployment answered. "" when none did.
func misconfigured(trail []Attempt) string {
	for i := range trail {
		if trail[i].ErrorCode == llm.CodeModelNotFound {
			return trail[i].Deployment
		}
	}
	return ""
}
