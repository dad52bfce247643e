package audio

import (
	"bytes"
	"encoding/binary"
)

// mp4Duration reads an MP4/M4A file's movie header (moov/mvhd): its
// duration over its time scale. The moov box may follow the media data.
func mp4Duration(data []byte) float64 {
	moov, ok := mp4Box(data, "moov")
	if !ok {
		return 0
	}
	mvhd, ok := mp4Box(moov, "mvhd")
	if !ok || len(mvhd) < 4 {
		return 0
	}
	var scale uint32
	var dur uint64
	switch b := mvhd[4:]; mvhd[0] { // version; then flags
	case 0:
		if len(b) < 16 {
			return 0
		}
		scale, dur = binary.BigEndian.Uint32(b[8:]), uint64(binary.BigEndian.Uint32(b[12:]))
	case 1:
		if len(b) < 28 {
			return 0
		}
		scale, dur = binary.BigEndian.Uint32(b[16:]), binary.BigEndian.Uint64(b[20:])
	}
	if scale == 0 || dur == 0xFFFFFFFF || dur == 1<<64-1 { // all ones: unknown
		return 0
	}
	return float64(dur) / float64(scale)
}

// mp4Box returns the payload of the first box of type typ among the
// boxes b holds (one level: not nested).
func mp4Box(b []byte, typ string) ([]byte, bool) {
	for len(b) >= 8 {
		size, head := uint64(binary.BigEndian.Uint32(b)), uint64(8)
		name := string(b[4:8])
		switch size {
		case 0: // to the end
			size = uint64(len(b))
		case 1: // a 64-bit size follows
			if len(b) < 16 {
				return nil, false
			}
			size, head = binary.BigEndian.Uint64(b[8:]), 16
		}
		if size < head {
			return nil, false
		}
		if name == typ {
			return b[head:min(size, uint64(len(b)))], true
		}
		if size >= uint64(len(b)) {
			return nil, false
		}
		b = b[size:]
	}
	return nil, false
}

// oggDuration reads an Ogg stream's first packet (OpusHead or a Vorbis
// identification header) for its clock, and its last page with a
// granule position for the samples played.
func oggDuration(data []byte) float64 {
	first, ok := oggPacket(data)
	if !ok {
		return 0
	}
	var rate, skip uint64
	switch {
	case len(first) >= 19 && string(first[:8]) == "OpusHead":
		rate, skip = 48000, uint64(binary.LittleEndian.Uint16(first[10:12]))
	case len(first) >= 16 && string(first[:7]) == "\x01vorbis":
		rate = uint64(binary.LittleEndian.Uint32(first[12:16]))
	}
	if rate == 0 {
		return 0
	}
	serial := binary.LittleEndian.Uint32(data[14:18])
	for end := len(data); end > 0; {
		i := bytes.LastIndex(data[:end], []byte("OggS"))
		if i < 0 {
			break
		}
		end = i
		if p := data[i:]; len(p) >= 27 && binary.LittleEndian.Uint32(p[14:18]) == serial {
			g := binary.LittleEndian.Uint64(p[6:14])
			if g != 1<<64-1 && g > skip { // -1: no packet ends on this page
				return float64(g-skip) / float64(rate)
			}
		}
	}
	return 0
}

// oggPacket returns the start of the first page's first packet.
func oggPacket(data []byte) ([]byte, bool) {
	if len(data) < 27 || data[4] != 0 {
		return nil, false
	}
	n := int(data[26])
	if len(data) < 27+n {
		return nil, false
	}
	return data[27+n:], true
}
