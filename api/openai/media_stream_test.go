package openai_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	apiopenai "switchyard/api/openai"
	"switchyard/api/openai/openaitest"
	"switchyard/llm"
)

// chanEvents is an llm.EventStream fed by a channel: an event only
// exists once the test sends it.
type chanEvents struct {
	ch     chan string
	closed chan struct{}
}

func (c *chanEvents) Next() ([]byte, error) {
	ev, ok := <-c.ch
	if !ok {
		return nil, io.EOF
	}
	return []byte(ev), nil
}

func (c *chanEvents) Close() error { close(c.closed); return nil }

// A streamed image's events reach the client one by one as they come
// (the client reads the first before the second exists), as
// text/event-stream, with the cost as the trailer once the stream ended.
func TestStreamMediaRelaysEachEvent(t *testing.T) {
	evs := &chanEvents{ch: make(chan string), closed: make(chan struct{})}
	b := &fakeBackend{Served: llm.Served{Deployment: "gpt-image-1", CostUSD: 0.011}}
	var got *llm.MediaStreamRequest
	b.StreamMediaFunc = func(_ context.Context, req *llm.MediaStreamRequest) (llm.EventStream, error) {
		got = req
		return evs, nil
	}
	srv := httptest.NewServer(mux(b, 0))
	defer srv.Close()
	client := &http.Client{Timeout: 5 * time.Second}
	go func() {
		evs.ch <- "event: image_generation.partial_image\ndata: {\"type\":\"image_generation.partial_image\"}\n\n"
	}()
	resp, err := client.Post(srv.URL+"/v1/images/generations", "application/json", strings.NewReader(`{"model":"gpt-image-1","prompt":"a fox","stream":true,"partial_images":1}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") || resp.Header.Get(apiopenai.HeaderDeployment) != "gpt-image-1" {
		t.Fatalf("%d %v", resp.StatusCode, resp.Header)
	}
	if got.Images == nil || !got.Images.Stream || got.Images.Prompt != "a fox" {
		t.Fatalf("backend got %+v", got)
	}
	br := bufio.NewReader(resp.Body)
	if line, err := br.ReadString('\n'); err != nil || line != "event: image_generation.partial_image\n" {
		t.Fatalf("first event %q, %v", line, err)
	}
	evs.ch <- "event: image_generation.completed\ndata: {}\n\n"
	close(evs.ch)
	rest, _ := io.ReadAll(br)
	if !strings.HasSuffix(string(rest), "event: image_generation.completed\ndata: {}\n\n") || resp.Trailer.Get(apiopenai.HeaderCost) != "0.011" {
		t.Errorf("rest %q, trailer %v", rest, resp.Trailer)
	}
	<-evs.closed
}

// A stream the upstream cut ends with an error event after the events
// that came, and is closed.
func TestStreamMediaCut(t *testing.T) {
	evs := &openaitest.Events{Events: []string{"data: {\"type\":\"transcript.text.delta\",\"delta\":\"Hi\"}\n\n"},
		Err: llm.Errorf(llm.KindUpstream, "the upstream's event stream was cut")}
	b := &fakeBackend{}
	b.StreamMediaFunc = func(_ context.Context, req *llm.MediaStreamRequest) (llm.EventStream, error) {
		if req.Transcription == nil || !req.Transcription.Stream {
			return nil, errors.New("not a streamed transcription")
		}
		return evs, nil
	}
	srv := httptest.NewServer(mux(b, 0))
	defer srv.Close()
	body, ct := audioForm("model", "gpt-4o-transcribe", "stream", "true")
	resp, err := http.Post(srv.URL+"/v1/audio/transcriptions", ct, body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	want := "data: {\"type\":\"transcript.text.delta\",\"delta\":\"Hi\"}\n\nevent: error\ndata: {\"error\":{"
	if resp.StatusCode != 200 || !strings.HasPrefix(string(data), want) || !strings.Contains(string(data), "was cut") || !evs.Closed {
		t.Errorf("%d %q (closed %v)", resp.StatusCode, data, evs.Closed)
	}
}

// A stream that fails before its first event is a plain HTTP error; a
// translation with stream is not streamed (OpenAI streams none).
func TestStreamMediaErrors(t *testing.T) {
	b := &fakeBackend{}
	b.StreamMediaFunc = func(context.Context, *llm.MediaStreamRequest) (llm.EventStream, error) {
		e := llm.Errorf(llm.KindInvalidRequest, "Invalid 'stream': no")
		e.Param = "stream"
		return nil, e
	}
	srv := httptest.NewServer(mux(b, 0))
	defer srv.Close()
	body, ct := imageForm("prompt", "x", "stream", "true")
	resp, err := http.Post(srv.URL+"/v1/images/edits", ct, body)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(data), `"param":"stream"`) {
		t.Errorf("%d %s", resp.StatusCode, data)
	}
	body, ct = audioForm("model", "whisper-1", "stream", "true")
	resp, err = http.Post(srv.URL+"/v1/audio/translations", ct, body)
	if err != nil {
		t.Fatal(err)
	}
	data, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(data) != `{"text":"hello"}` {
		t.Errorf("translation %d %s", resp.StatusCode, data)
	}
}

// The image edit endpoints' errors: 400s naming the param, 413 past
// MaxImageBytes, 400 for a body that is not multipart.
func TestImageEditHandlerErrors(t *testing.T) {
	h := &apiopenai.Handler{Backend: &fakeBackend{}, MaxImageBytes: 1 << 10}
	m := http.NewServeMux()
	h.Mount(m)
	srv := httptest.NewServer(m)
	defer srv.Close()
	for _, c := range []struct {
		name, path string
		parts      []string
		status     int
		param, msg string
	}{
		{"no image", "/v1/images/edits", []string{"prompt", "x"}, 400, "image", "Missing required parameter: 'image'"},
		{"no prompt", "/v1/images/edits", nil, 400, "prompt", "Missing required parameter: 'prompt'"},
		{"bad n", "/v1/images/variations", []string{"n", "0"}, 400, "n", "from 1 to 10"},
		{"too large", "/v1/images/variations", []string{"user", strings.Repeat("u", 2<<10)}, 413, "", "server.max_image_bytes"},
	} {
		var body io.Reader
		var ct string
		if c.name == "no image" {
			var b bytes.Buffer
			mw := multipart.NewWriter(&b)
			mw.WriteField("prompt", "x")
			mw.Close()
			body, ct = &b, mw.FormDataContentType()
		} else {
			body, ct = imageForm(c.parts...)
		}
		resp, err := http.Post(srv.URL+c.path, ct, body)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status || c.param != "" && !strings.Contains(string(data), `"param":"`+c.param+`"`) || !strings.Contains(string(data), c.msg) {
			t.Errorf("%s: %d %s", c.name, resp.StatusCode, data)
		}
	}
	resp, err := http.Post(srv.URL+"/v1/images/edits", "application/json", strings.NewReader(`{"prompt":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(data), "multipart/form-data") {
		t.Errorf("not multipart: %d %s", resp.StatusCode, data)
	}
}

// imageForm is a multipart form of one image and the fields.
func imageForm(fields ...string) (io.Reader, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	w, _ := mw.CreateFormFile("image", "a.png")
	w.Write([]byte("\x89PNG"))
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	mw.Close()
	return &b, mw.FormDataContentType()
}

// audioForm is a multipart form of one audio file and the fields.
func audioForm(fields ...string) (io.Reader, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	w, _ := mw.CreateFormFile("file", "a.wav")
	w.Write([]byte("RIFF"))
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	mw.Close()
	return &b, mw.FormDataContentType()
}
