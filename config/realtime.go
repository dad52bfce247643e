package config

import (
	"fmt"
	"time"
)

// Defaults of the Realtime API's limits (server.realtime), applied to
// unset (zero) fields of Realtime.
const (
	// DefaultRealtimeIdleTimeout ends a session in which neither side
	// sent a message for this long.
	DefaultRealtimeIdleTimeout = 10 * time.Minute
	// DefaultRealtimeMaxMessageBytes bounds one WebSocket message either
	// way: OpenAI takes audio appends of up to 15 MiB of base64, and a
	// session.update or response.done is far smaller.
	DefaultRealtimeMaxMessageBytes = 16 << 20
	// DefaultRealtimeConnectTimeout bounds one upstream handshake.
	DefaultRealtimeConnectTimeout = 10 * time.Second
	// DefaultRealtimeKeepalive is how often both sides of a session are
	// pinged: under the 60 s idle cut of common load balancers.
	DefaultRealtimeKeepalive = 30 * time.Second
	// DefaultRealtimeMaxStreams bounds the stream_id lanes of one
	// Responses API WebSocket connection: openai-go's own bound on the
	// lanes a connection attaches.
	DefaultRealtimeMaxStreams = 64
)

// Realtime bounds the Realtime API's WebSocket sessions (GET
// /v1/realtime). server.request_timeout does not apply to a session once
// it started: these do.
type Realtime struct {
	// IdleTimeout ends a session (close 1001) in which neither the client
	// nor the upstream sent a message for this long; zero means
	// DefaultRealtimeIdleTimeout.
	IdleTimeout time.Duration
	// MaxMessageBytes bounds one message either way; a larger one ends
	// the session (close 1009, message too big); zero means
	// DefaultRealtimeMaxMessageBytes.
	MaxMessageBytes int64
	// ConnectTimeout bounds each upstream handshake, after which the next
	// candidate is tried; zero means DefaultRealtimeConnectTimeout.
	ConnectTimeout time.Duration
	// Keepalive is how often the client and the upstream are each sent a
	// WebSocket ping; a side whose pong does not come within the interval
	// is taken as gone and ends the session. Zero means
	// DefaultRealtimeKeepalive.
	Keepalive time.Duration
	// MaxStreams bounds the stream_id lanes one Responses API WebSocket
	// connection (GET /v1/responses upgraded) may use over its life: a
	// lane counts from its first response.create until the connection
	// ends, as openai-go reserves a stream_id; a create naming one
	// more is refused (websocket_stream_limit_reached). The default lane
	// (no stream_id) does not count. Zero means DefaultRealtimeMaxStreams.
	MaxStreams int
}

// realtimeFields decodes server.realtime.
func (d *decoder) realtimeFields(rt *Realtime) []field {
	return []field{
		{"idle_timeout", func(e entry) { d.duration(e, &rt.IdleTimeout, true) }},
		{"connect_timeout", func(e entry) { d.duration(e, &rt.ConnectTimeout, true) }},
		{"keepalive", func(e entry) { d.duration(e, &rt.Keepalive, true) }},
		{"max_message_bytes", func(e entry) {
			d.integer(e, &rt.MaxMessageBytes, true, "bytes, e.g. 16777216 for 16 MiB")
		}},
		{"max_streams", func(e entry) {
			d.count(e, &rt.MaxStreams, "stream_id lanes a connection may use, e.g. 64")
		}},
	}
}

func (rt *Realtime) applyDefaults() {
	orDuration(&rt.IdleTimeout, DefaultRealtimeIdleTimeout)
	orDuration(&rt.ConnectTimeout, DefaultRealtimeConnectTimeout)
	orDuration(&rt.Keepalive, DefaultRealtimeKeepalive)
	if rt.MaxMessageBytes == 0 {
		rt.MaxMessageBytes = DefaultRealtimeMaxMessageBytes
	}
	if rt.MaxStreams == 0 {
		rt.MaxStreams = DefaultRealtimeMaxStreams
	}
}

// realtime checks server.realtime (after defaults).
func (v *validator) realtime() {
	rt := &v.c.Server.Realtime
	if rt.IdleTimeout < 0 {
		v.add("server.realtime.idle_timeout", "must be > 0, got "+rt.IdleTimeout.String(), `e.g. "10m"; ends a session silent for that long`)
	}
	if rt.ConnectTimeout < 0 {
		v.add("server.realtime.connect_timeout", "must be > 0, got "+rt.ConnectTimeout.String(), `e.g. "10s"; bounds one upstream handshake`)
	}
	if rt.Keepalive < 0 {
		v.add("server.realtime.keepalive", "must be > 0, got "+rt.Keepalive.String(), `e.g. "30s"; how often each side of a session is pinged`)
	}
	if rt.MaxMessageBytes < 0 {
		v.add("server.realtime.max_message_bytes", fmt.Sprintf("must be > 0, got %d", rt.MaxMessageBytes), "bytes, e.g. 16777216 for 16 MiB")
	}
	if rt.MaxStreams < 0 {
		v.add("server.realtime.max_streams", fmt.Sprintf("must be > 0, got %d", rt.MaxStreams), "stream_id lanes a Responses API WebSocket connection may use, e.g. 64")
	}
}
