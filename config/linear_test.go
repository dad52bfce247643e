package config

import (
	"fmt"
	"strings"
	"testing"

	"switchyard/internal/alloctest"
)

// manyRoutes is a configuration of n providers, n deployments (one on
// each) and n routes (one to each).
func manyRoutes(n int) []byte {
	var b strings.Builder
	b.WriteString("providers:\n")
	for i := range n {
		fmt.Fprintf(&b, "  p%d: {kind: openai, base_url: \"http://127.0.0.1:1/v1\"}\n", i)
	}
	b.WriteString("deployments:\n")
	for i := range n {
		fmt.Fprintf(&b, "  d%d: {provider: p%d, model: gpt-4o-mini}\n", i, i)
	}
	b.WriteString("routes:\n")
	for i := range n {
		fmt.Fprintf(&b, "  r%d: {deployments: [d%d]}\n", i, i)
	}
	return []byte(b.String())
}

// Parsing a configuration costs bytes about linear in its providers,
// deployments and routes: each deployment's check sorted every provider's
// name (for a hint it seldom gives) and each route's every deployment's,
// and 3,200 of each allocated 77 times what 200 did for 16 times the
// configuration (6,400: 1.2 GB). Some 37 times now: the YAML parser
// (goccy/go-yaml v1.19.2's parseMap) copies a mapping's later entries
// once per key, quadratic in its own right but smaller, so the bound is
// 55, not the 20-odd linear would give.
func TestManyRoutesParseInLinearBytes(t *testing.T) {
	small, large := manyRoutes(200), manyRoutes(3200)
	for _, data := range [][]byte{small, large} {
		if _, err := Parse(data, allKeys); err != nil {
			t.Fatal(err)
		}
	}
	sb := alloctest.Bytes(2, func() { Parse(small, allKeys) })
	lb := alloctest.Bytes(2, func() { Parse(large, allKeys) })
	t.Logf("200 of each: %d bytes, 3200: %d", sb, lb)
	if ratio := float64(lb) / float64(max(sb, 1)); ratio > 55 {
		t.Errorf("200 of each: %d bytes allocated, 3200: %d (%.0f times for 16 times the configuration)", sb, lb, ratio)
	}
}
