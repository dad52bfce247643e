package config

import (
	"fmt"
	"net"
	"slices"
	"strings"
)

// This file holds the state section: where the counters that several
// router processes share (budgets, rate limits, concurrency) live.

// The state drivers.
const (
	StateMemory = "memory"
	StateRedis  = "redis"
)

// What a request meets when the state back end does not answer.
const (
	OnErrorAllow = "allow"
	OnErrorDeny  = "deny"
)

// DefaultStatePrefix starts every Redis key when state.prefix is unset.
const DefaultStatePrefix = "switchyard:"

var (
	stateDrivers  = []string{StateMemory, StateRedis}
	stateOnErrors = []string{OnErrorAllow, OnErrorDeny}
)

// State configures the shared state back end.
type State struct {
	// Driver is StateMemory (one process; the default when empty) or
	// StateRedis (shared by every process using the same Redis and Prefix).
	Driver string
	// Addr is Redis's host:port; required for StateRedis, unused otherwise.
	Addr string
	// Password authenticates to Redis; empty means none. It never appears
	// in errors.
	Password string
	// DB is the Redis database number; zero means 0.
	DB int
	// Prefix starts every Redis key; empty means DefaultStatePrefix
	// (filled in for StateRedis only). Routers share state only when
	// Addr, DB and Prefix are the same.
	Prefix string
	// OnError is OnErrorAllow (the default when empty: a request goes on
	// unchecked, counted and logged) or OnErrorDeny (it is refused with a
	// 503) when the back end does not answer.
	OnError string
}

func (d *decoder) state(e entry, s *State) {
	d.object(e.node, e.path, []field{
		{"driver", func(e entry) { d.str(e, &s.Driver) }},
		{"addr", func(e entry) { d.str(e, &s.Addr) }},
		{"password", func(e entry) { d.secretStr(e, "", &s.Password) }},
		{"db", func(e entry) { d.intField(e, &s.DB, "a Redis database number, e.g. 0") }},
		{"prefix", func(e entry) { d.str(e, &s.Prefix) }},
		{"on_error", func(e entry) { d.str(e, &s.OnError) }},
	})
}

func (s *State) applyDefaults() {
	if s.Driver == "" {
		s.Driver = StateMemory
	}
	if s.OnError == "" {
		s.OnError = OnErrorAllow
	}
	if s.Driver == StateRedis && s.Prefix == "" {
		s.Prefix = DefaultStatePrefix
	}
}

func (v *validator) state() {
	const path = "state"
	s := &v.c.State
	if !slices.Contains(stateDrivers, s.Driver) {
		v.add(path+".driver", fmt.Sprintf("unknown driver %q", s.Driver), choices(s.Driver, "valid drivers", stateDrivers))
	}
	if !slices.Contains(stateOnErrors, s.OnError) {
		v.add(path+".on_error", fmt.Sprintf("unknown value %q", s.OnError),
			"allow (requests go on unchecked while the state back end is down) or deny (they get a 503)")
	}
	if s.Driver != StateRedis {
		for _, f := range []struct {
			name string
			set  bool
		}{{"addr", s.Addr != ""}, {"password", s.Password != ""}, {"db", s.DB != 0}, {"prefix", s.Prefix != ""}} {
			if f.set {
				v.add(path+"."+f.name, "is only used by driver redis", "set driver: redis, or remove it")
			}
		}
		return
	}
	v.redis(path, s)
}

// redis checks the fields of driver redis.
func (v *validator) redis(path string, s *State) {
	switch host, port, err := net.SplitHostPort(s.Addr); {
	case s.Addr == "":
		v.add(path+".addr", "is required for driver redis", `e.g. "127.0.0.1:6379"`)
	case err != nil || !validPort(port) || port == "0" || host == "" || strings.ContainsAny(host, " /"):
		v.add(path+".addr", fmt.Sprintf("%q is not a host:port address", s.Addr), `e.g. "127.0.0.1:6379" or "redis.internal:6379"`)
	}
	if badKey(s.Password) {
		v.add(path+".password", "has leading or trailing spaces or control characters", badKeyHint)
	}
	if s.DB < 0 {
		v.add(path+".db", fmt.Sprintf("must be >= 0, got %d", s.DB), "a Redis database number, e.g. 0")
	}
	if hasControl(s.Prefix) || strings.ContainsAny(s.Prefix, " {}*?[]") {
		v.add(path+".prefix", fmt.Sprintf("%q may not hold spaces, control characters or { } * ? [ ]", s.Prefix),
			`letters, digits and : . _ -, e.g. "switchyard:prod:"`)
	}
}
