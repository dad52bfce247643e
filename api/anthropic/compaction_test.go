package anthropic

import (
	"testing"

	wire "switchyard/wire/anthropic"
	wireresp "switchyard/wire/responses"
)

// The router's compaction blocks are told from Anthropic's by the prefix
// of the blobs the router seals: the two constants must agree.
func TestRouterCompactionPrefix(t *testing.T) {
	if wire.RouterCompactionPrefix != wireresp.BlobPrefix {
		t.Fatalf("wire/anthropic.RouterCompactionPrefix %q, wire/responses.BlobPrefix %q", wire.RouterCompactionPrefix, wireresp.BlobPrefix)
	}
}
