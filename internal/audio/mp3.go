package audio

import "encoding/binary"

// mp3Scan bounds the search for the first frame after the ID3 tag.
const mp3Scan = 64 << 10

// mp3Frame is what an MPEG audio frame header says.
type mp3Frame struct {
	mpeg1, mono    bool
	layer          int // 1, 2 or 3
	bitrate, rate  int // bits and samples per second
	samples, bytes int // per frame
}

// Bit rates in kbit/s by [MPEG-1, MPEG-2/2.5][layer-1][index-1].
var mp3Bitrates = [2][3][14]int{
	{
		{32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
		{32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
		{32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
	},
	{
		{32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
		{8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
		{8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
	},
}

// mp3Rates are the sample rates by version bits (0: MPEG-2.5, 2: MPEG-2,
// 3: MPEG-1) and index.
var mp3Rates = [4][3]int{{11025, 12000, 8000}, {}, {22050, 24000, 16000}, {44100, 48000, 32000}}

// parseMP3Frame reads the four-byte frame header h.
func parseMP3Frame(h []byte) (mp3Frame, bool) {
	if len(h) < 4 || h[0] != 0xFF || h[1]&0xE0 != 0xE0 {
		return mp3Frame{}, false
	}
	version, layerBits := h[1]>>3&3, h[1]>>1&3
	bi, ri := int(h[2]>>4), int(h[2]>>2&3)
	if version == 1 || layerBits == 0 || bi == 0 || bi == 15 || ri == 3 {
		return mp3Frame{}, false
	}
	f := mp3Frame{mpeg1: version == 3, layer: 4 - int(layerBits), mono: h[3]>>6 == 3, rate: mp3Rates[version][ri]}
	v := 1
	if f.mpeg1 {
		v = 0
	}
	f.bitrate = mp3Bitrates[v][f.layer-1][bi-1] * 1000
	pad := int(h[2] >> 1 & 1)
	switch {
	case f.layer == 1:
		f.samples, f.bytes = 384, (12*f.bitrate/f.rate+pad)*4
	case f.layer == 3 && !f.mpeg1:
		f.samples, f.bytes = 576, 72*f.bitrate/f.rate+pad
	default:
		f.samples, f.bytes = 1152, 144*f.bitrate/f.rate+pad
	}
	return f, true
}

// mp3Duration finds the first frame (after an ID3v2 tag), confirmed by
// the one after it when the data holds it, and times the file by its VBR
// header's frame count (Xing, Info or VBRI) or else its bit rate.
func mp3Duration(data []byte) float64 {
	start := id3Size(data)
	for i := start; i+4 <= len(data) && i < start+mp3Scan; i++ {
		f, ok := parseMP3Frame(data[i:])
		if !ok {
			continue
		}
		next := i + f.bytes
		if next > len(data) {
			continue // a frame longer than what is left: not one
		}
		if next+4 <= len(data) {
			if _, ok := parseMP3Frame(data[next:]); !ok {
				continue // a false sync inside other bytes
			}
		}
		if frames := vbrFrames(data[i:], f); frames > 0 {
			return float64(frames) * float64(f.samples) / float64(f.rate)
		}
		n := len(data) - i
		if n >= 128 && string(data[len(data)-128:len(data)-125]) == "TAG" { // ID3v1
			n -= 128
		}
		return float64(n) * 8 / float64(f.bitrate)
	}
	return 0
}

// id3Size is the length of the ID3v2 tag data opens with, 0 if none.
func id3Size(data []byte) int {
	if len(data) < 10 || string(data[:3]) != "ID3" {
		return 0
	}
	n := 10 + (int(data[6]&0x7F)<<21 | int(data[7]&0x7F)<<14 | int(data[8]&0x7F)<<7 | int(data[9]&0x7F))
	if data[5]&0x10 != 0 { // a footer
		n += 10
	}
	return min(n, len(data))
}

// vbrFrames is the frame count of a Xing/Info or VBRI header in the
// first frame, or 0.
func vbrFrames(frame []byte, f mp3Frame) uint32 {
	side := 32 // the side information's bytes, after the header
	switch {
	case f.mpeg1 && f.mono, !f.mpeg1 && !f.mono:
		side = 17
	case !f.mpeg1 && f.mono:
		side = 9
	}
	if x := 4 + side; len(frame) >= x+12 && (string(frame[x:x+4]) == "Xing" || string(frame[x:x+4]) == "Info") {
		if binary.BigEndian.Uint32(frame[x+4:])&1 != 0 {
			return binary.BigEndian.Uint32(frame[x+8:])
		}
		return 0
	}
	if len(frame) >= 36+18 && string(frame[36:40]) == "VBRI" {
		return binary.BigEndian.Uint32(frame[36+14:])
	}
	return 0
}
