package config

import (
	"fmt"
	"time"
)

// Defaults of the server's limits on slow clients and load, applied to
// unset (zero) fields of Server.
const (
	DefaultReadTimeout           = 30 * time.Second
	DefaultWriteTimeout          = 30 * time.Second
	DefaultIdleTimeout           = 120 * time.Second
	DefaultReadHeaderTimeout     = 10 * time.Second
	DefaultMaxConcurrentRequests = 1024
	DefaultMaxInflightBytes      = 64 << 20 // 64 MiB
	DefaultMaxAnswerBytes        = 32 << 20 // 32 MiB, dispatch.DefaultMaxAnswerBytes
)

// Bounds of server.max_answer_bytes: below 64 KiB ordinary answers (a few
// thousand tokens, a compaction's summary) would fail; above 1 GiB one
// answer, held whole and then encoded, would take gigabytes.
const (
	MinMaxAnswerBytes = 64 << 10
	MaxMaxAnswerBytes = 1 << 30
)

// maxAnswerHint is the hint of server.max_answer_bytes's errors.
const maxAnswerHint = "bytes of the largest answer held whole (a complete one, a streamed Responses one), e.g. 33554432 for 32 MiB"

// serverLimitFields decodes the server's limit fields; the server section's
// decoder appends them to its own.
func (d *decoder) serverLimitFields(s *Server) []field {
	return []field{
		{"read_timeout", func(e entry) { d.duration(e, &s.ReadTimeout, true) }},
		{"write_timeout", func(e entry) { d.duration(e, &s.WriteTimeout, true) }},
		{"idle_timeout", func(e entry) { d.duration(e, &s.IdleTimeout, true) }},
		{"read_header_timeout", func(e entry) { d.duration(e, &s.ReadHeaderTimeout, true) }},
		{"max_concurrent_requests", func(e entry) {
			var v int64
			d.integer(e, &v, true, "requests served at once, e.g. 1024")
			s.MaxConcurrentRequests = int(min(v, 1<<31-1))
		}},
		{"max_audio_bytes", func(e entry) {
			d.integer(e, &s.MaxAudioBytes, true, "bytes, e.g. 26214400 for 25 MiB")
		}},
		{"max_image_bytes", func(e entry) {
			d.integer(e, &s.MaxImageBytes, true, "bytes, e.g. 52428800 for 50 MiB")
		}},
		{"max_inflight_bytes", func(e entry) {
			d.integer(e, &s.MaxInflightBytes, true, "bytes, e.g. 67108864 for 64 MiB")
		}},
		{"max_answer_bytes", func(e entry) {
			d.integer(e, &s.MaxAnswerBytes, true, maxAnswerHint)
		}},
	}
}

func (s *Server) applyLimitDefaults() {
	orDuration(&s.ReadTimeout, DefaultReadTimeout)
	orDuration(&s.WriteTimeout, DefaultWriteTimeout)
	orDuration(&s.IdleTimeout, DefaultIdleTimeout)
	orDuration(&s.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	if s.MaxConcurrentRequests == 0 {
		s.MaxConcurrentRequests = DefaultMaxConcurrentRequests
	}
	if s.MaxInflightBytes == 0 {
		s.MaxInflightBytes = max(DefaultMaxInflightBytes, s.MaxBodyBytes, s.MaxAudioBytes, s.MaxImageBytes)
	}
	if s.MaxAnswerBytes == 0 {
		s.MaxAnswerBytes = DefaultMaxAnswerBytes
	}
	if s.MaxAudioBytes == 0 {
		// Never above the in-flight bound a configuration already set.
		s.MaxAudioBytes = min(DefaultMaxAudioBytes, s.MaxInflightBytes)
	}
	if s.MaxImageBytes == 0 {
		s.MaxImageBytes = min(DefaultMaxImageBytes, s.MaxInflightBytes)
	}
}

// serverLimits checks the limit fields (after defaults).
func (v *validator) serverLimits() {
	s := &v.c.Server
	for _, f := range []struct {
		path string
		d    time.Duration
		hint string
	}{
		{"server.read_timeout", s.ReadTimeout, `e.g. "30s"; bounds reading one request body`},
		{"server.write_timeout", s.WriteTimeout, `e.g. "30s"; bounds each write of a response`},
		{"server.idle_timeout", s.IdleTimeout, `e.g. "120s"`},
		{"server.read_header_timeout", s.ReadHeaderTimeout, `e.g. "10s"; bounds reading one request's headers`},
	} {
		if f.d < 0 {
			v.add(f.path, "must be > 0, got "+f.d.String(), f.hint)
		}
	}
	if s.MaxConcurrentRequests < 0 {
		v.add("server.max_concurrent_requests", fmt.Sprintf("must be > 0, got %d", s.MaxConcurrentRequests), "requests served at once, e.g. 1024")
	}
	if s.MaxAudioBytes < 0 {
		v.add("server.max_audio_bytes", fmt.Sprintf("must be > 0, got %d", s.MaxAudioBytes), "bytes, e.g. 26214400 for 25 MiB")
	}
	if s.MaxAnswerBytes < MinMaxAnswerBytes || s.MaxAnswerBytes > MaxMaxAnswerBytes {
		v.add("server.max_answer_bytes", fmt.Sprintf("must be between %d (64 KiB) and %d (1 GiB), got %d", MinMaxAnswerBytes, MaxMaxAnswerBytes, s.MaxAnswerBytes), maxAnswerHint)
	}
	if s.MaxImageBytes < 0 {
		v.add("server.max_image_bytes", fmt.Sprintf("must be > 0, got %d", s.MaxImageBytes), "bytes, e.g. 52428800 for 50 MiB")
	}
	switch {
	case s.MaxInflightBytes < 0:
		v.add("server.max_inflight_bytes", fmt.Sprintf("must be > 0, got %d", s.MaxInflightBytes), "bytes, e.g. 67108864 for 64 MiB")
	case s.MaxBodyBytes > 0 && s.MaxInflightBytes < s.MaxBodyBytes:
		v.add("server.max_inflight_bytes", fmt.Sprintf("must be at least server.max_body_bytes (%d), got %d", s.MaxBodyBytes, s.MaxInflightBytes),
			"a request as large as max_body_bytes could never be admitted; raise it or lower max_body_bytes")
	case s.MaxAudioBytes > 0 && s.MaxInflightBytes < s.MaxAudioBytes:
		v.add("server.max_inflight_bytes", fmt.Sprintf("must be at least server.max_audio_bytes (%d), got %d", s.MaxAudioBytes, s.MaxInflightBytes),
			"an audio upload as large as max_audio_bytes could never be admitted; raise it or lower max_audio_bytes")
	case s.MaxImageBytes > 0 && s.MaxInflightBytes < s.MaxImageBytes:
		v.add("server.max_inflight_bytes", fmt.Sprintf("must be at least server.max_image_bytes (%d), got %d", s.MaxImageBytes, s.MaxInflightBytes),
			"an image upload as large as max_image_bytes could never be admitted; raise it or lower max_image_bytes")
	}
}
