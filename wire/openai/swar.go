package openai

import (
	"encoding/binary"
	"unicode/utf8"

	"switchyard/internal/jsonw"
)

// Word-at-a-time scanning of JSON string bodies, eight bytes per step
// (the word tests are switchyard/internal/jsonw's).

// plainRun returns the index of the first quote, backslash or control
// character at or after i in d (len(d) if none), and whether every byte
// before it is ASCII.
func plainRun(d []byte, i int) (int, bool) {
	var high uint64
	for i+8 <= len(d) {
		v := binary.LittleEndian.Uint64(d[i:])
		if jsonw.SpecialWord(v) {
			break
		}
		high |= v
		i += 8
	}
	ascii := high&jsonw.MSB == 0
	for ; i < len(d); i++ {
		c := d[i]
		if c == '"' || c == '\\' || c < 0x20 {
			break
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	return i, ascii
}
