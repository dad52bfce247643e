package inject

import (
	"sync"
	"unsafe"
)

// scratch holds one scan's buffers; scans take one from a pool, so a
// scan allocates nothing once the pool is warm.
type scratch struct {
	norm     []byte // the folded words' bytes
	words    []word
	events   []event
	hidden   []byte     // ASCII smuggled in Unicode tag characters
	dec      []byte     // decoded payloads' bytes
	payloads [][2]int32 // bounds of each payload in dec
	tmp      []byte
	contrib  []float32 // prefix sums of the words' bucket weights
	seg      segStats
	ch       channel // of the segment being analyzed
	sys      sysContext
	// stemKeys and stemN count the segment's word stems (countStems).
	stemKeys  []uint64
	stemN     []int32
	stemsFor  int
	stemsDone bool
	// keyBuf collects the bucket indices of one window (training only).
	keyBuf []uint32
}

// segStats are a segment's values that do not belong to one word.
type segStats struct {
	invisible, tags, fancy int
}

var scratchPool = sync.Pool{New: func() any {
	return &scratch{
		norm: make([]byte, 0, 4096), words: make([]word, 0, 512), events: make([]event, 0, 64),
		tmp: make([]byte, 0, 256), contrib: make([]float32, 0, 513),
	}
}}

// maxPooled bounds the buffers a scratch keeps when it goes back to the
// pool, so one huge request does not pin its size.
const maxPooled = 1 << 20

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

func putScratch(sc *scratch) {
	if cap(sc.norm) > maxPooled || cap(sc.words) > maxPooled/16 || cap(sc.dec) > maxPooled {
		return
	}
	sc.sys.reset()
	scratchPool.Put(sc)
}

// resetSegment empties the per-segment buffers.
func (sc *scratch) resetSegment() {
	sc.norm, sc.words, sc.events = sc.norm[:0], sc.words[:0], sc.events[:0]
	sc.hidden, sc.dec, sc.payloads = sc.hidden[:0], sc.dec[:0], sc.payloads[:0]
	sc.seg = segStats{}
	sc.stemsDone = false
}

// view returns b as a string without copying; b must not change while
// the string is in use.
func view(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
