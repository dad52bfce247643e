package openai

import (
	"bytes"
	"mime/multipart"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"switchyard/llm"
)

// form writes a multipart form: the file (when file is not nil) and the
// fields, in order; it returns the body and its boundary.
func form(t testing.TB, file []byte, fields ...string) ([]byte, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if file != nil {
		h := make(textproto.MIMEHeader)
		h.Set("Content-Disposition", `form-data; name="file"; filename="speech.wav"`)
		h.Set("Content-Type", "audio/wav")
		w, _ := mw.CreatePart(h)
		w.Write(file)
	}
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	mw.Close()
	return b.Bytes(), mw.Boundary()
}

func TestDecodeTranscriptionForm(t *testing.T) {
	body, boundary := form(t, []byte("RIFFaudio"), "model", "whisper-1", "language", "en", "prompt", "ZyntriQix", "response_format", "srt", "temperature", "0.2", "timestamp_granularities[]", "word")
	req, err := DecodeTranscriptionForm(bytes.NewReader(body), boundary, false)
	if err != nil {
		t.Fatal(err)
	}
	want := []llm.FormField{{Name: "language", Value: "en"}, {Name: "prompt", Value: "ZyntriQix"}, {Name: "temperature", Value: "0.2"}, {Name: "timestamp_granularities[]", Value: "word"}}
	if req.Model != "whisper-1" || string(req.File) != "RIFFaudio" || req.FileName != "speech.wav" || req.FileType != "audio/wav" || req.ResponseFormat != "srt" || req.Translate || len(req.Fields) != len(want) {
		t.Fatalf("decoded %+v", req)
	}
	for i := range want {
		if req.Fields[i] != want[i] {
			t.Errorf("field %d = %v, want %v", i, req.Fields[i], want[i])
		}
	}
	// What is sent upstream decodes to the same request.
	up, ct := EncodeTranscriptionForm(req)
	again, err := DecodeTranscriptionForm(bytes.NewReader(up), strings.TrimPrefix(ct, "multipart/form-data; boundary="), false)
	if err != nil || again.Model != req.Model || string(again.File) != string(req.File) || again.FileName != req.FileName || again.ResponseFormat != "srt" || len(again.Fields) != len(want) {
		t.Errorf("round trip: %+v, %v", again, err)
	}

	for _, c := range []struct {
		name       string
		file       []byte
		fields     []string
		param, msg string
	}{
		{"no file", nil, []string{"model", "whisper-1"}, "file", "Missing required parameter: 'file'"},
		{"no model", []byte("a"), nil, "model", "Missing required parameter: 'model'"},
		{"empty file", []byte{}, []string{"model", "whisper-1"}, "file", "the file is empty"},
		{"bad format", []byte("a"), []string{"model", "whisper-1", "response_format", "mp3"}, "response_format", "'json', 'text', 'srt', 'verbose_json', 'vtt', 'diarized_json'"},
		{"bad temperature", []byte("a"), []string{"model", "whisper-1", "temperature", "hot"}, "temperature", "from 0 to 1"},
		{"stream", []byte("a"), []string{"model", "gpt-4o-transcribe", "stream", "yes"}, "stream", "expected a boolean"},
		{"a huge prompt", []byte("a"), []string{"model", "whisper-1", "prompt", strings.Repeat("p", maxFormField+1)}, "prompt", "over 65536 bytes"},
	} {
		body, boundary := form(t, c.file, c.fields...)
		_, err := DecodeTranscriptionForm(bytes.NewReader(body), boundary, false)
		e, ok := err.(*llm.Error)
		if !ok || e.Kind != llm.KindInvalidRequest || e.Param != c.param || !strings.Contains(e.Message, c.msg) {
			t.Errorf("%s: %v; want %q on %q", c.name, err, c.msg, c.param)
		}
	}
	if _, err := DecodeTranscriptionForm(strings.NewReader("--x\r\nnot a part"), "x", false); llm.AsError(err).Kind != llm.KindInvalidRequest || !strings.Contains(err.Error(), "multipart") {
		t.Errorf("a broken form: %v", err)
	}
}

// TestDecodeTranscriptionResponse reads OpenAI's documented answers:
// whisper-1's json (usage in seconds) and verbose_json, gpt-4o-transcribe's
// json (usage in tokens), srt and vtt (the last cue's end), text.
func TestDecodeTranscriptionResponse(t *testing.T) {
	for _, c := range []struct {
		format, body string
		seconds      float64
		usage        llm.Usage
		ct           string
	}{
		{"", `{"text":"Imagine the wildest idea.","usage":{"type":"duration","seconds":9}}`, 9, llm.Usage{}, "application/json"},
		{"json", `{"text":"Hi","usage":{"type":"tokens","input_tokens":14,"input_token_details":{"text_tokens":4,"audio_tokens":10},"output_tokens":45,"total_tokens":59}}`, 0,
			llm.Usage{PromptTokens: 14, AudioPromptTokens: 10, CompletionTokens: 45, TotalTokens: 59}, "application/json"},
		{"verbose_json", `{"task":"transcribe","language":"english","duration":8.470000267028809,"text":"The beach.","segments":[]}`, 8.470000267028809, llm.Usage{}, "application/json"},
		{"srt", "1\n00:00:00,000 --> 00:00:04,000\nHello\n\n2\n00:00:04,000 --> 01:02:03,450\nthere\n\n", 3723.45, llm.Usage{}, "text/plain; charset=utf-8"},
		{"vtt", "WEBVTT\n\n00:00.000 --> 00:07.250\nHello\n\n", 7.25, llm.Usage{}, "text/plain; charset=utf-8"},
		{"text", "Hello there.\n", 0, llm.Usage{}, "text/plain; charset=utf-8"},
	} {
		r, err := DecodeTranscriptionResponse(c.format, []byte(c.body))
		if err != nil || r.Seconds-c.seconds > 1e-9 || c.seconds-r.Seconds > 1e-9 || r.Usage != c.usage || r.ContentType != c.ct || string(r.Body) != c.body {
			t.Errorf("%s: %+v, %v", c.format, r, err)
		}
	}
	for _, bad := range []string{`{"usage":{}}`, `[`, `{"error":{"message":"x"}}`} {
		if _, err := DecodeTranscriptionResponse("json", []byte(bad)); err == nil {
			t.Errorf("%s decoded", bad)
		}
	}
}

// FuzzDecodeTranscriptionForm: any body decodes or fails with an
// invalid_request error (no panic, no hang); a decoded one has its file
// and model, and survives the encoding sent upstream.
func FuzzDecodeTranscriptionForm(f *testing.F) {
	body, boundary := form(f, []byte("RIFFaudio"), "model", "whisper-1", "response_format", "vtt", "prompt", "hi")
	f.Add(body, boundary)
	body, boundary = form(f, []byte("x"), "model", "m", "temperature", "1")
	f.Add(body, boundary)
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nm\r\n--b--\r\n"), "b")
	f.Add([]byte("--b\r\n\r\n--b--"), "b")
	f.Fuzz(func(t *testing.T, data []byte, boundary string) {
		req, err := DecodeTranscriptionForm(bytes.NewReader(data), boundary, false)
		if err != nil {
			if e, ok := err.(*llm.Error); !ok || e.Kind != llm.KindInvalidRequest {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		if req.Model == "" || len(req.File) == 0 {
			t.Fatalf("decoded %+v", req)
		}
		up, ct := EncodeTranscriptionForm(req)
		again, err := DecodeTranscriptionForm(bytes.NewReader(up), strings.TrimPrefix(ct, "multipart/form-data; boundary="), false)
		if err != nil || again.Model != req.Model || !bytes.Equal(again.File, req.File) || len(again.Fields) != len(req.Fields) {
			t.Fatalf("re-encoded: %+v, %v", again, err)
		}
	})
}

// The documented examples decode: the image answer's usage, the
// transcriptions' tokens and seconds, the translation's text alone.
func TestMediaSpecExamples(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", "spec", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	img, err := DecodeImageResponse(read("images_default_response.json"))
	if err != nil || img.Images != 1 || img.Usage != (llm.Usage{PromptTokens: 50, CompletionTokens: 50, TotalTokens: 100}) {
		t.Errorf("images: %+v, %v", img, err)
	}
	tr, err := DecodeTranscriptionResponse("json", read("transcriptions_default_response.json"))
	if err != nil || tr.Usage != (llm.Usage{PromptTokens: 14, AudioPromptTokens: 14, CompletionTokens: 45, TotalTokens: 59}) || tr.Seconds != 0 {
		t.Errorf("transcription: %+v, %v", tr, err)
	}
	tr, err = DecodeTranscriptionResponse("verbose_json", read("transcriptions_segments_response.json"))
	if err != nil || tr.Seconds != 9 {
		t.Errorf("segments: %+v, %v (usage's 9 seconds are what is billed)", tr, err)
	}
	tr, err = DecodeTranscriptionResponse("", read("translations_default_response.json"))
	if err != nil || tr.Seconds != 0 || tr.ContentType != "application/json" {
		t.Errorf("translation: %+v, %v", tr, err)
	}
}
