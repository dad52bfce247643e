// Package audio reads how long an audio file plays from its headers,
// without decoding it: WAV, FLAC, MP3, MP4/M4A and Ogg (Opus, Vorbis) —
// the formats OpenAI's transcription endpoints take, but WebM. The
// router uses it to reserve a transcription's cost against the budgets
// before the upstream answers, and to price an answer that does not say
// how long the audio was.
package audio

import (
	"bytes"
	"encoding/binary"
)

// Duration returns how many seconds data plays, read from its headers,
// and whether its format was recognized and the headers consistent. An
// MP3 without a VBR header is timed at its first frame's bit rate (exact
// for constant bit rate files, the common case).
func Duration(data []byte) (float64, bool) {
	var s float64
	switch {
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WAVE":
		s = wavDuration(data[12:])
	case bytes.HasPrefix(data, []byte("fLaC")):
		s = flacDuration(data[4:])
	case bytes.HasPrefix(data, []byte("OggS")):
		s = oggDuration(data)
	case len(data) >= 8 && string(data[4:8]) == "ftyp":
		s = mp4Duration(data)
	default:
		s = mp3Duration(data)
	}
	return s, s > 0 && s < maxSeconds
}

// maxSeconds bounds a credible duration: a day of audio. A header saying
// more is taken as corrupt.
const maxSeconds = 24 * 3600

// Estimate returns Duration's seconds when it reads them, else the
// seconds data would play at a low speech bit rate (16 kbit/s): more than
// most files of that size play, so that a budget reserved on it is rarely
// short. The second result reports whether the seconds were read.
func Estimate(data []byte) (float64, bool) {
	if s, ok := Duration(data); ok {
		return s, true
	}
	return float64(len(data)) * 8 / 16000, false
}

// wavDuration reads a RIFF WAVE file's chunks (after "WAVE"): the data
// chunk's size over the fmt chunk's byte rate. A data chunk whose size is
// unset (streamed, 0 or 0xFFFFFFFF) counts the bytes that follow it.
func wavDuration(b []byte) float64 {
	var byteRate uint32
	for len(b) >= 8 {
		id, size := string(b[:4]), binary.LittleEndian.Uint32(b[4:8])
		b = b[8:]
		switch id {
		case "fmt ":
			if len(b) < 16 {
				return 0
			}
			byteRate = binary.LittleEndian.Uint32(b[8:12])
		case "data":
			if byteRate == 0 {
				return 0
			}
			n := uint64(size)
			if size == 0 || size == 0xFFFFFFFF || n > uint64(len(b)) {
				n = uint64(len(b))
			}
			return float64(n) / float64(byteRate)
		}
		if uint64(size) > uint64(len(b)) {
			return 0
		}
		b = b[size:]
		if size&1 == 1 && len(b) > 0 { // chunks are padded to an even size
			b = b[1:]
		}
	}
	return 0
}

// flacDuration reads the STREAMINFO block that opens a FLAC stream
// (after "fLaC"): total samples over the sample rate.
func flacDuration(b []byte) float64 {
	if len(b) < 4+18 || b[0]&0x7F != 0 { // the first block must be STREAMINFO
		return 0
	}
	info := b[4:]
	rate := uint32(info[10])<<12 | uint32(info[11])<<4 | uint32(info[12])>>4
	samples := uint64(info[13]&0x0F)<<32 | uint64(binary.BigEndian.Uint32(info[14:18]))
	if rate == 0 {
		return 0
	}
	return float64(samples) / float64(rate)
}
