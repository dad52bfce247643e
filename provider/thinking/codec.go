package thinking

import (
	"encoding/binary"
	"errors"
	"time"

	"switchyard/llm"
)

// This file holds the encoding of an entry in the shared tier: a version
// byte, the entry's expiry, then its blocks, each field a uvarint length
// and its bytes. What is read back from the shared store is outside input:
// decodeEntry checks every length against what is left.

// entryVersion is the first byte of an encoded entry; a reader refuses
// any other.
const entryVersion = 1

// maxBlocks bounds the blocks of one decoded entry (an answer's thinking
// is a handful of blocks).
const maxBlocks = 256

// errCorrupt is returned by decodeEntry for bytes it did not write.
var errCorrupt = errors.New("thinking: corrupt shared entry")

// encodeEntry appends to dst the encoding of blocks kept until until.
func encodeEntry(dst []byte, blocks []llm.Thinking, until time.Time) []byte {
	dst = append(dst, entryVersion)
	dst = binary.AppendUvarint(dst, uint64(until.UnixMilli()))
	dst = binary.AppendUvarint(dst, uint64(len(blocks)))
	for _, b := range blocks {
		for _, f := range [3]string{b.Text, b.Signature, b.Redacted} {
			dst = binary.AppendUvarint(dst, uint64(len(f)))
			dst = append(dst, f...)
		}
	}
	return dst
}

// decodeEntry returns the blocks and expiry encoded in data, or
// errCorrupt. The blocks' strings are copies: data may be reused.
func decodeEntry(data []byte) ([]llm.Thinking, time.Time, error) {
	if len(data) < 1 || data[0] != entryVersion {
		return nil, time.Time{}, errCorrupt
	}
	r := reader{rest: data[1:]}
	ms, n := r.uvarint(), r.uvarint()
	// Every block takes at least 3 bytes, so a count past what is left
	// is a lie, not an allocation to make.
	if r.bad || ms > 1<<62 || n == 0 || n > maxBlocks || n > uint64(len(r.rest))/3 {
		return nil, time.Time{}, errCorrupt
	}
	blocks := make([]llm.Thinking, n)
	for i := range blocks {
		blocks[i] = llm.Thinking{Text: r.str(), Signature: r.str(), Redacted: r.str()}
	}
	if r.bad || len(r.rest) != 0 {
		return nil, time.Time{}, errCorrupt
	}
	return blocks, time.UnixMilli(int64(ms)), nil
}

// reader reads uvarints and strings from rest; bad reports a read past
// its end or a malformed uvarint, after which every read returns zero.
type reader struct {
	rest []byte
	bad  bool
}

func (r *reader) uvarint() uint64 {
	if r.bad {
		return 0
	}
	v, n := binary.Uvarint(r.rest)
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.rest = r.rest[n:]
	return v
}

func (r *reader) str() string {
	n := r.uvarint()
	if r.bad || n > uint64(len(r.rest)) {
		r.bad = true
		return ""
	}
	s := string(r.rest[:n])
	r.rest = r.rest[n:]
	return s
}
