package openai

import (
	"context"
	"encoding/binary"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"switchyard/llm"
)

// wav is a silent 24 kHz 16-bit mono WAV file of seconds.
func wav(seconds float64) []byte {
	n := int(seconds * 24000 * 2)
	b := make([]byte, 44+n)
	copy(b, "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+n))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1)
	binary.LittleEndian.PutUint16(b[22:], 1)
	binary.LittleEndian.PutUint32(b[24:], 24000)
	binary.LittleEndian.PutUint32(b[28:], 48000)
	binary.LittleEndian.PutUint16(b[32:], 2)
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(n))
	return b
}

// TestTranscribe asks the simulated OpenAI and Azure OpenAI for
// transcripts and translations in each format: the answer as it came,
// with the audio's seconds or tokens.
func TestTranscribe(t *testing.T) {
	for _, kind := range []string{KindOpenAI, KindAzure} {
		c := newEnv(t, kind, testKey).c
		for _, tc := range []struct {
			format, prefix, ct string
			translate          bool
		}{
			{"", `{"text":"This is a simulated transcription of a.wav."`, "application/json", false},
			{"verbose_json", `{"duration":12`, "application/json", true},
			{"srt", "1\n00:00:00,000 --> 00:00:12,000\n", "text/plain; charset=utf-8", false},
			{"vtt", "WEBVTT\n\n00:00:00.000 --> 00:00:12.000\n", "text/plain; charset=utf-8", true},
			{"text", "This is a simulated", "text/plain; charset=utf-8", false},
		} {
			req := &llm.TranscriptionRequest{Model: "whisper-1", File: wav(12), FileName: "a.wav", ResponseFormat: tc.format, Translate: tc.translate,
				Fields: []llm.FormField{{Name: "prompt", Value: "names"}}}
			resp, err := c.Transcribe(context.Background(), req)
			if err != nil {
				t.Fatalf("%s %s: %v", kind, tc.format, err)
			}
			want := 12.0
			if tc.format == "text" {
				want = 0
			}
			if !strings.HasPrefix(string(resp.Body), tc.prefix) || resp.ContentType != tc.ct || resp.Seconds != want {
				t.Errorf("%s %s: %s, %g s, %.120s", kind, tc.format, resp.ContentType, resp.Seconds, resp.Body)
			}
		}
	}
	c := newEnv(t, KindOpenAI, testKey).c
	resp, err := c.Transcribe(context.Background(), &llm.TranscriptionRequest{Model: "gpt-4o-transcribe", File: wav(3), FileName: "a.wav"})
	if err != nil || resp.Usage.AudioPromptTokens == 0 || resp.Usage.CompletionTokens == 0 {
		t.Errorf("gpt-4o-transcribe: %+v, %v", resp, err)
	}
	_, err = c.Transcribe(context.Background(), &llm.TranscriptionRequest{Model: "gpt-4o-transcribe", File: wav(3), FileName: "a.wav", ResponseFormat: "srt"})
	if e := asLLM(t, err); e.Kind != llm.KindInvalidRequest || e.Param != "response_format" {
		t.Errorf("srt from gpt-4o-transcribe: %+v", e)
	}
}

// TestTranscribeSends checks the form the upstream gets: the path, the
// file with its name and type, the model replaced, the fields in order.
func TestTranscribeSends(t *testing.T) {
	rec := &recorder{body: `{"text":"hi"}`, header: map[string]string{"Content-Type": "application/json"}}
	c := serve(t, rec, KindAzure, "", testKey)
	_, err := c.Transcribe(context.Background(), &llm.TranscriptionRequest{Model: "whisper-prod", Translate: true, File: []byte("ID3"), FileName: `my "talk".mp3`, FileType: "audio/mpeg",
		Fields: []llm.FormField{{Name: "prompt", Value: "p"}, {Name: "temperature", Value: "0"}}})
	if err != nil {
		t.Fatal(err)
	}
	hr, body := rec.last(t)
	if hr.URL.Path != "/openai/deployments/whisper-prod/audio/translations" {
		t.Errorf("sent to %s", hr.URL)
	}
	_, params, _ := mime.ParseMediaType(hr.Header.Get("Content-Type"))
	mr := multipart.NewReader(strings.NewReader(body), params["boundary"])
	var got []string
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		v, _ := io.ReadAll(p)
		got = append(got, p.FormName()+"="+string(v)+";"+p.FileName()+";"+p.Header.Get("Content-Type"))
	}
	want := `file=ID3;my "talk".mp3;audio/mpeg|model=whisper-prod;;|prompt=p;;|temperature=0;;`
	if strings.Join(got, "|") != want {
		t.Errorf("form %q\nwant %q", strings.Join(got, "|"), want)
	}
	cl := serve(t, &recorder{status: http.StatusOK, body: `{"error":{"message":"bad audio","type":"invalid_request_error"}}`, header: map[string]string{"Content-Type": "application/json"}}, KindOpenAI, "/v1", testKey)
	if _, err := cl.Transcribe(context.Background(), &llm.TranscriptionRequest{Model: "whisper-1", File: []byte("x"), FileName: "a"}); asLLM(t, err).Message != "bad audio" {
		t.Errorf("a 200 error: %v", err)
	}
}
