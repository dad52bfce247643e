package main

import (
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/bench"
)

func TestParseBenchArgs(t *testing.T) {
	ba, ok := parseBenchArgs([]string{"--compare-store", "--quiet", "--rate", "400", "--duration", "20s",
		"--mode", "stream", "--router-pprof", "127.0.0.1:6062", "--record-off-pprof", "127.0.0.1:6063", "--json"}, io.Discard)
	if !ok {
		t.Fatal("parseBenchArgs rejected valid flags")
	}
	o := ba.opts
	if !ba.compareStore || !ba.json || !o.Quiet || o.Rate != 400 || o.Duration != 20*time.Second ||
		o.RouterPprof != "127.0.0.1:6062" || o.RecordOffPprof != "127.0.0.1:6063" || !slices.Equal(o.Modes, []bench.Mode{bench.Stream}) || o.RouterCommand != nil {
		t.Errorf("parseBenchArgs = %+v, options %+v", ba, o)
	}
	vs, ok := parseBenchArgs([]string{"--against", "/tmp/sw-old", "--mode", "nonstream"}, io.Discard)
	if !ok || vs.compareStore || !slices.Equal(vs.opts.Against, []string{"/tmp/sw-old"}) {
		t.Errorf("--against: %+v, options %+v; want Against set", vs, vs.opts)
	}
	def, ok := parseBenchArgs(nil, io.Discard)
	if !ok || def.compareStore || def.opts.Quiet || def.opts.Against != nil || len(def.opts.Modes) != 2 || def.opts.Rate != bench.Defaults().Rate {
		t.Errorf("no flags: %+v, options %+v; want the defaults, router against direct, both modes", def, def.opts)
	}
}

func TestParseBenchArgsRejects(t *testing.T) {
	for _, args := range [][]string{
		{"--compare-store", "--router-cmd", "/tmp/nethttp-proxy"},
		{"--compare-store", "--against", "/tmp/sw-old"},
		{"--quiet", "--router-cmd", "/tmp/nethttp-proxy"},
		{"--mode", "sideways"},
		{"--record-off-pprof", "127.0.0.1:6063"},
		{"extra"},
		{"--no-such-flag"},
	} {
		var stderr strings.Builder
		if _, ok := parseBenchArgs(args, &stderr); ok || stderr.Len() == 0 {
			t.Errorf("parseBenchArgs(%q) accepted, or rejected without saying why (%q)", args, stderr.String())
		}
	}
}
