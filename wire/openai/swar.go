package openai

import (
	"encoding/binary"
	"unicode/utf8"
)

// Word-at-a-time scanning of JSON string bodies, eight bytes per step.
const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// specialWord reports whether one of the 8 bytes of v is a quote, a
// backslash or a control character (the bytes that end a plain run in a
// JSON string). Bytes >= 0x80 never match.
func specialWord(v uint64) bool {
	lt20 := (v - lsb*0x20) & ^v & msb
	q := v ^ (lsb * '"')
	bs := v ^ (lsb * '\\')
	return lt20|((q-lsb)&^q&msb)|((bs-lsb)&^bs&msb) != 0
}

// plainRun returns the index of the first quote, backslash or control
// character at or after i in d (len(d) if none), and whether every byte
// before it is ASCII.
func plainRun(d []byte, i int) (int, bool) {
	var high uint64
	for i+8 <= len(d) {
		v := binary.LittleEndian.Uint64(d[i:])
		if specialWord(v) {
			break
		}
		high |= v
		i += 8
	}
	ascii := high&msb == 0
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

// safeRun returns the index of the first byte at or after i in s that
// appendString cannot copy as is: a quote, backslash, control character or
// any non-ASCII byte.
func safeRun(s string, i int) int {
	for i+8 <= len(s) {
		v := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if specialWord(v) || v&msb != 0 {
			break
		}
		i += 8
	}
	for i < len(s) && s[i] < utf8.RuneSelf && safeASCII[s[i]] {
		i++
	}
	return i
}
