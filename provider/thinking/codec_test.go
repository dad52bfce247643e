package thinking

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"switchyard/llm"
)

func TestEntryRoundTrip(t *testing.T) {
	until := time.UnixMilli(1_800_000_000_123)
	for _, blocks := range [][]llm.Thinking{
		blocks,
		{{Signature: "gemini-sig"}},
		{{Text: "a", Signature: "s1"}, {Redacted: "opaque"}, {}},
	} {
		data := encodeEntry(nil, blocks, until)
		got, gotUntil, err := decodeEntry(data)
		if err != nil || !reflect.DeepEqual(got, blocks) || !gotUntil.Equal(until) {
			t.Errorf("decode(encode(%+v)) = %+v, %v, %v", blocks, got, gotUntil, err)
		}
	}
}

func TestEntryCorrupt(t *testing.T) {
	good := encodeEntry(nil, blocks, time.UnixMilli(1e12))
	for name, data := range map[string][]byte{
		"empty":           nil,
		"another version": append([]byte{2}, good[1:]...),
		"truncated":       good[:len(good)-1],
		"trailing bytes":  append(bytes.Clone(good), 0),
		"no blocks":       {entryVersion, 1, 0},
		"a huge count":    {entryVersion, 1, 0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0, 0},
		"a huge length":   {entryVersion, 1, 1, 0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0},
		"bad uvarint":     {entryVersion, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		"json":            []byte(`{"text":"x"}`),
	} {
		if _, _, err := decodeEntry(data); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
}

// FuzzDecodeEntry: whatever bytes the shared store holds, decodeEntry
// neither panics nor returns an entry that does not survive its own
// encoding.
func FuzzDecodeEntry(f *testing.F) {
	f.Add(encodeEntry(nil, blocks, time.UnixMilli(1e12)))
	f.Add(encodeEntry(nil, []llm.Thinking{{Signature: "s"}, {Redacted: "r"}}, time.UnixMilli(0)))
	f.Add([]byte{entryVersion, 1, 1, 0, 0, 0})
	f.Add([]byte{entryVersion, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xff, 0x01})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		got, until, err := decodeEntry(data)
		if err != nil {
			return
		}
		if len(got) == 0 || len(got) > maxBlocks {
			t.Fatalf("%d blocks", len(got))
		}
		again, againUntil, err := decodeEntry(encodeEntry(nil, got, until))
		if err != nil || !reflect.DeepEqual(again, got) || !againUntil.Equal(until) {
			t.Fatalf("%+v until %v does not survive its encoding: %+v, %v, %v", got, until, again, againUntil, err)
		}
	})
}
