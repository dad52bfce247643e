package alloctest

import "testing"

var sink []byte

func TestBytesCountsWhatFAllocates(t *testing.T) {
	small := Bytes(3, func() { sink = make([]byte, 1<<10) })
	large := Bytes(3, func() { sink = make([]byte, 1<<20) })
	if small < 1<<10 || large < 1<<20 || large > 2<<20 {
		t.Fatalf("1 KiB counted %d bytes, 1 MiB %d", small, large)
	}
	if n := Bytes(0, func() {}); n > 1<<10 {
		t.Fatalf("nothing allocated counted %d bytes", n)
	}
}
