package background

import (
	"strconv"
	"testing"
)

// ev is the event numbered n, as a Streamer writes one.
func ev(n int) string {
	return "event: x\ndata: {\"sequence_number\":" + strconv.Itoa(n) + "}\n\n"
}

// A feed gives its readers the events after theirs, wakes them at each
// change, keeps only what is not stored, and says when a reader must
// read the store first.
func TestFeed(t *testing.T) {
	f := NewFeed()
	if _, ok := f.Pending(); ok || f.Due() {
		t.Fatal("an empty feed has events to store")
	}
	_, _, gap, ended, wake := f.After(-1)
	if gap || ended {
		t.Fatalf("an empty feed: gap %v, ended %v", gap, ended)
	}
	f.Append([]byte(ev(0) + ev(1)))
	select {
	case <-wake:
	default:
		t.Fatal("Append did not wake the reader")
	}
	f.Append([]byte(ev(2)))
	data, last, gap, _, _ := f.After(-1)
	if string(data) != ev(0)+ev(1)+ev(2) || last != 2 || gap {
		t.Fatalf("After(-1) = %q, %d, gap %v", data, last, gap)
	}
	if data, last, _, _, _ := f.After(1); string(data) != ev(2) || last != 2 {
		t.Fatalf("After(1) = %q, %d", data, last)
	}
	if data, last, _, _, _ := f.After(2); data != nil || last != 2 {
		t.Fatalf("After(2) = %q, %d", data, last)
	}
	b, ok := f.Pending()
	if !ok || b.First != 0 || b.Last != 2 || string(b.Data) != ev(0)+ev(1)+ev(2) {
		t.Fatalf("Pending = %+v, %v", b, ok)
	}
	f.Append([]byte(ev(3)))
	f.Flushed(b.Last)
	if b, ok := f.Pending(); !ok || b.First != 3 || b.Last != 3 || string(b.Data) != ev(3) {
		t.Fatalf("Pending after a flush = %+v, %v", b, ok)
	}
	if _, _, gap, _, _ := f.After(1); !gap {
		t.Fatal("After(1) once 2 was stored: no gap")
	}
	if data, last, gap, _, _ := f.After(2); string(data) != ev(3) || last != 3 || gap {
		t.Fatalf("After(2) after the flush = %q, %d, gap %v", data, last, gap)
	}
	f.Flushed(1) // already gone: nothing
	_, _, _, _, wake = f.After(3)
	f.End()
	select {
	case <-wake:
	default:
		t.Fatal("End did not wake the reader")
	}
	if _, _, _, ended, _ := f.After(3); !ended {
		t.Fatal("After an End: not ended")
	}
	many := NewFeed()
	for i := range FlushEvents {
		if many.Due() {
			t.Fatalf("due after %d small events, within FlushAge", i)
		}
		many.Append([]byte(ev(i)))
	}
	if !many.Due() {
		t.Errorf("not due with %d events waiting", FlushEvents)
	}
}
