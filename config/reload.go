package config

import (
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode"
)

// This file says which changes a running router can apply without a
// restart (docs/admin-api.md#what-a-reload-changes): providers,
// deployments, routes, the resilience settings (the health tracker's
// included), budgets, the audit trail's retention, client and admin keys,
// drift. The listeners, the store (and the keys of its stored responses'
// encryption), the background responses' and the batches' workers, the
// shared state, the thinking memory, telemetry, learn, notify and which
// routes learn adaptively (with what half-life) are built once, at start
// (restartOnly; docs/admin-api.md lists them, TestRestartOnlyDocumented
// checks it).

// CheckReload returns, as Errors positioned in c, the changes from
// running that only a restart applies; nil when c can replace running in
// place.
func (c *Config) CheckReload(running *Config) error {
	var errs Errors
	add := func(path string, changed []string) {
		paths := []string{path}
		if len(changed) > 0 {
			paths = paths[:0]
			for _, f := range changed {
				paths = append(paths, path+"."+f)
			}
		}
		for _, p := range paths {
			errs = append(errs, c.FieldError(p, "changed; it takes effect only when the router starts",
				"keep the running value here to apply the rest now, and restart the router for this part"))
		}
	}
	for _, s := range restartOnly {
		if old, new := s.get(running), s.get(c); !reflect.DeepEqual(old, new) {
			add(s.path, changedFields(old, new))
		}
	}
	names := append(running.RouteNames(), c.RouteNames()...)
	slices.Sort(names)
	for _, name := range slices.Compact(names) {
		var was, is learner
		if r := running.Routes[name]; r != nil && r.Adaptive.On() {
			was = learner{true, r.Adaptive.HalfLife}
		}
		if r := c.Routes[name]; r != nil && r.Adaptive.On() {
			is = learner{true, r.Adaptive.HalfLife}
		}
		if was != is {
			add("routes."+name+".adaptive", nil)
		}
	}
	return errs.orNil()
}

// restartOnly are the sections a running router cannot change: each is
// built once, at start.
var restartOnly = []struct {
	path string
	get  func(*Config) any
	keep func(c, running *Config)
}{
	{"server", func(c *Config) any { return c.Server }, func(c, r *Config) { c.Server = r.Server }},
	{"store", func(c *Config) any { return c.Store }, func(c, r *Config) { c.Store = r.Store }},
	{"state", func(c *Config) any { return c.State }, func(c, r *Config) { c.State = r.State }},
	{"telemetry", func(c *Config) any { return c.Telemetry }, func(c, r *Config) { c.Telemetry = r.Telemetry }},
	{"learn", func(c *Config) any { return c.Learn }, func(c, r *Config) { c.Learn = r.Learn }},
	{"notify", func(c *Config) any { return c.Notify }, func(c, r *Config) { c.Notify = r.Notify }},
	// The keys the store seals and opens the stored content with: a
	// router gives them to its store once, at start.
	{"responses.encryption", func(c *Config) any { return c.Responses.Encryption }, func(c, r *Config) { c.Responses.Encryption = r.Responses.Encryption }},
	// The background responses' workers and lease keeper, built once.
	{"responses.background", func(c *Config) any { return c.Responses.Background }, func(c, r *Config) { c.Responses.Background = r.Responses.Background }},
	// The files' limits and the batches' workers, built once.
	{"batches", func(c *Config) any { return c.Batches }, func(c, r *Config) { c.Batches = r.Batches }},
	// The thinking memory, one for the router's life.
	{"thinking", func(c *Config) any { return c.Thinking }, func(c, r *Config) { c.Thinking = r.Thinking }},
}

// KeepRestartOnly replaces, in c, each section only a restart changes
// (server, store, state, telemetry, learn, notify, responses.encryption,
// responses.background, batches, thinking)
// that differs from running's by running's, and returns the paths it
// replaced: a router following a version another router stored keeps its
// own listeners, store, keys and state. Call it before CheckReload, on a
// c not yet in use.
func (c *Config) KeepRestartOnly(running *Config) []string {
	var kept []string
	for _, s := range restartOnly {
		if !reflect.DeepEqual(s.get(running), s.get(c)) {
			s.keep(c, running)
			kept = append(kept, s.path)
		}
	}
	return kept
}

// learner is what the adaptive learner is built with for one route.
type learner struct {
	on       bool
	halfLife time.Duration
}

// changedFields names the fields of two structs of one type that differ,
// in snake_case; nil for values that are not structs.
func changedFields(a, b any) []string {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	if va.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for i := range va.NumField() {
		f := va.Type().Field(i)
		if f.IsExported() && !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			out = append(out, snake(f.Name))
		}
	}
	return out
}

// snake turns a Go field name into its YAML key: MaxBodyBytes is
// max_body_bytes, DSN is dsn.
func snake(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// FieldError returns an error about path positioned in c's text (when c
// was parsed from one) and naming c's file.
func (c *Config) FieldError(path, problem, hint string) *FieldError {
	p := c.locate(path)
	return &FieldError{File: c.file, Path: path, Line: p.line, Column: p.col, Problem: problem, Hint: hint}
}
