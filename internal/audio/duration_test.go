package audio

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

// The files in testdata are 2.5 s tones made by ffmpeg (see
// testdata/README); ffprobe's durations are the reference.
func TestDurationOfEachFormat(t *testing.T) {
	for name, want := range map[string]float64{
		"tone.wav":            2.5,
		"tone.flac":           2.5,
		"tone-cbr.mp3":        2.592, // whole frames: 108 of 576 samples at 16 kHz... and the encoder's delay
		"tone-vbr.mp3":        2.592,
		"tone.ogg":            2.5065, // Opus
		"tone.oga":            2.5,    // Vorbis
		"tone.m4a":            2.5,    // moov after the media data
		"tone-faststart.m4a":  2.5,    // moov first
		"tone-oddchunk.wav":   2.5,    // a chunk of odd size (padded) before the data
		"tone-streamed.wav":   2.5,    // the data chunk's size unset
		"tone-id3v1.mp3":      2.592,
		"tone-cbr-noxing.mp3": 2.592,
	} {
		data := read(t, name)
		got, ok := Duration(data)
		if !ok || math.Abs(got-want) > 0.03*want {
			t.Errorf("%s: Duration = %.4f, %v; want %.4f", name, got, ok, want)
		}
	}
}

func TestDurationRefusesWhatItCannotRead(t *testing.T) {
	webm := read(t, "tone.webm")
	for name, data := range map[string][]byte{
		"webm":              webm,
		"empty":             nil,
		"text":              []byte("hello, this is not audio at all"),
		"truncated wav":     read(t, "tone.wav")[:30],
		"truncated flac":    read(t, "tone.flac")[:12],
		"m4a without moov":  read(t, "tone.m4a")[:200],
		"ogg first page":    read(t, "tone.ogg")[:20],
		"wav with 0 rate":   wavWith(0, 1000),
		"flac with 0 rate":  append([]byte("fLaC\x00\x00\x00\x22"), make([]byte, 34)...),
		"a day and a half":  wavWith(1, 129600*2),
		"an MP3 false sync": append([]byte{0xFF, 0xFB, 0x10, 0x00}, []byte("and then no second frame where the first says")...),
	} {
		if got, ok := Duration(data); ok {
			t.Errorf("%s: Duration = %.3f, true; want not ok", name, got)
		}
	}
	if s, read := Estimate(webm); read || math.Abs(s-float64(len(webm))*8/16000) > 1e-9 {
		t.Errorf("Estimate(webm) = %v, %v; want the 16 kbit/s guess", s, read)
	}
	if s, read := Estimate(read(t, "tone.wav")); !read || s != 2.5 {
		t.Errorf("Estimate(wav) = %v, %v", s, read)
	}
}

// wavWith is a mono 8-bit WAV header of byteRate over a data chunk that
// says it holds size bytes (and holds them).
func wavWith(byteRate, size uint32) []byte {
	b := []byte("RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00")
	b = le32(b, byteRate) // sample rate = byte rate at 8 bits mono
	b = le32(b, byteRate)
	b = append(b, 1, 0, 8, 0)
	b = append(b, "data"...)
	b = le32(b, size)
	return append(b, make([]byte, size)...)
}

func le32(b []byte, v uint32) []byte { return append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24)) }

func read(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func FuzzDuration(f *testing.F) {
	names, _ := filepath.Glob("testdata/tone*")
	for _, n := range names {
		data, _ := os.ReadFile(n)
		f.Add(data[:min(len(data), 4096)])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, ok := Duration(data)
		if ok && (s <= 0 || s >= maxSeconds || math.IsNaN(s)) {
			t.Fatalf("Duration = %v, true", s)
		}
		if e, _ := Estimate(data); e < 0 || math.IsNaN(e) {
			t.Fatalf("Estimate = %v", e)
		}
	})
}
