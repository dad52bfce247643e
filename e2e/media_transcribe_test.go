package e2e

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/sim"
)

// silentWAV is seconds of silent 24 kHz 16-bit mono WAV.
func silentWAV(seconds int) []byte {
	n := seconds * 48000
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(36+n))
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(24000), uint32(48000), uint16(2), uint16(16)} {
		binary.Write(&b, binary.LittleEndian, v)
	}
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(n))
	b.Write(make([]byte, n))
	return b.Bytes()
}

// openai-go's Audio.Transcriptions.New and Audio.Translations.New work
// through the router: json and verbose_json answers, whisper-1's price by
// the audio's seconds in the cost header and the record, a route failing
// over from a failing Azure deployment, srt relayed as text, errors in
// OpenAI's shape (an upload over server.max_audio_bytes is a 413).
func TestTranscriptionsSDK(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) {
		withMedia(c)
		c.Server.MaxAudioBytes = 2 << 20
		c.Deployments["azure-whisper"] = &config.Deployment{Name: "azure-whisper", Provider: "azure", Model: "whisper-1"}
		c.Routes["stt"] = &config.Route{Name: "stt", Deployments: []string{"azure-whisper", "whisper-1"}}
	})
	audio := silentWAV(20)
	var hr *http.Response
	tr, err := e.Client.Audio.Transcriptions.New(ctxT(t), openai.AudioTranscriptionNewParams{
		File: openai.File(bytes.NewReader(audio), "meeting.wav", "audio/wav"), Model: "whisper-1",
		Language: openai.String("en"), Prompt: openai.String("Switchyard"), Temperature: openai.Float(0),
	}, option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tr.Text, "meeting.wav") {
		t.Errorf("answer %s", tr.RawJSON())
	}
	if usd, _ := strconv.ParseFloat(hr.Header.Get("x-switchyard-cost-usd"), 64); math.Abs(usd-0.002) > 1e-9 || hr.Header.Get("x-switchyard-deployment") != "whisper-1" {
		t.Errorf("headers %v", hr.Header)
	}

	tr, err = e.Client.Audio.Transcriptions.New(ctxT(t), openai.AudioTranscriptionNewParams{
		File: openai.File(bytes.NewReader(audio), "meeting.wav", "audio/wav"), Model: "stt", ResponseFormat: openai.AudioResponseFormatVerboseJSON,
	}, option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	if tr.Duration != 20 || tr.Language != "english" || len(tr.Segments) != 1 || hr.Header.Get("x-switchyard-deployment") != "azure-whisper" {
		t.Errorf("verbose: %s, %v", tr.RawJSON(), hr.Header)
	}

	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultServerError, Count: 1})
	//lint:ignore SA1019 the SDK marks translations deprecated; the API serves them, and so does the router.
	tl, err := e.Client.Audio.Translations.New(ctxT(t), openai.AudioTranslationNewParams{File: openai.File(bytes.NewReader(audio), "rede.wav", "audio/wav"), Model: "stt"},
		option.WithResponseInto(&hr))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tl.Text, "rede.wav") || !strings.Contains(hr.Header.Get("x-switchyard-route"), "attempt=2") {
		t.Errorf("translation %s, %v", tl.RawJSON(), hr.Header)
	}

	srt := postForm(t, e, "demo-key", "/v1/audio/transcriptions", audio, "model", "whisper-1", "response_format", "srt")
	if srt.status != 200 || srt.contentType != "text/plain; charset=utf-8" || !strings.HasPrefix(srt.body, "1\n00:00:00,000 --> 00:00:20,000\n") {
		t.Errorf("srt: %+v", srt)
	}

	recs := e.recorded(t, 4)
	if r := recs[0]; r.Endpoint != "transcriptions" || r.Status != 200 || r.CostUnknown || math.Abs(r.CostUSD-0.002) > 1e-9 {
		t.Errorf("record %+v", r)
	}
	if r := recs[2]; r.Endpoint != "translations" || r.Route != "stt" || r.Attempts != 2 || r.Trail[0].Deployment != "azure-whisper" {
		t.Errorf("translation record %+v", r)
	}

	for _, tt := range []struct {
		name          string
		model         string
		file          []byte
		status        int
		param, detail string
	}{
		{"unknown model", "no-such-model", audio, 404, "model", "no-such-model"},
		{"a chat model", "gpt-4o-mini", audio, 400, "model", "does not serve transcription"},
		{"an empty file", "whisper-1", []byte{}, 400, "file", "the file is empty"},
		{"over server.max_audio_bytes", "whisper-1", make([]byte, 3<<20), 413, "", "server.max_audio_bytes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Client.Audio.Transcriptions.New(ctxT(t), openai.AudioTranscriptionNewParams{File: openai.File(bytes.NewReader(tt.file), "a.wav", "audio/wav"), Model: openai.AudioModel(tt.model)})
			var apiErr *openai.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tt.status || apiErr.Param != tt.param || !strings.Contains(apiErr.Message, tt.detail) {
				t.Fatalf("want %d on %q with %q, got %v", tt.status, tt.param, tt.detail, err)
			}
		})
	}
}

// formAnswer is what postForm got.
type formAnswer struct {
	status            int
	contentType, body string
}

// postForm sends a multipart upload of file with the fields to path
// with key.
func postForm(t *testing.T, e *env, key, path string, file []byte, fields ...string) formAnswer {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	w, _ := mw.CreateFormFile("file", "a.wav")
	w.Write(file)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	mw.Close()
	req, _ := http.NewRequestWithContext(ctxT(t), http.MethodPost, e.URL+path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return formAnswer{resp.StatusCode, resp.Header.Get("Content-Type"), string(body)}
}
