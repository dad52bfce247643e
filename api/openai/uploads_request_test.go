package openai

import (
	"bytes"
	"io"
	"mime/multipart"
	"strings"
	"testing"

	"switchyard/llm"
)

// partBody is a multipart body (boundary "zz") with the part data.
func partBody(data []byte) []byte {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.SetBoundary("zz")
	p, _ := w.CreateFormFile("data", "blob")
	p.Write(data)
	w.Close()
	return buf.Bytes()
}

// A part over 64 MB is a 413 (read no further than its bound); one that
// fits 64 MB but not the bytes the upload still takes is a 400; one that
// fits is read whole.
func TestReadPartDataBounds(t *testing.T) {
	head := "--zz\r\nContent-Disposition: form-data; name=\"data\"; filename=\"blob\"\r\n\r\n"
	huge := io.MultiReader(strings.NewReader(head), io.LimitReader(zeros{}, maxPartBytes+1), strings.NewReader("\r\n--zz--\r\n"))
	_, err := readPartData(multipart.NewReader(huge, "zz"), 1<<40)
	if e := llm.AsError(err); e.Kind != llm.KindTooLarge || e.Code != "part_too_large" || e.Param != "data" {
		t.Errorf("a part of 64 MB + 1: %v", err)
	}
	_, err = readPartData(multipart.NewReader(bytes.NewReader(partBody([]byte("abcde"))), "zz"), 4)
	if e := llm.AsError(err); e.Kind != llm.KindInvalidRequest || e.Param != "data" || !strings.Contains(e.Message, "at most 4 more bytes") {
		t.Errorf("a part of 5 bytes where 4 are left: %v", err)
	}
	if d, err := readPartData(multipart.NewReader(bytes.NewReader(partBody([]byte("abcd"))), "zz"), 4); err != nil || string(d) != "abcd" {
		t.Errorf("a part that fits: %q, %v", d, err)
	}
}

// zeros reads zero bytes forever.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// FuzzDecodeUploadRequest: any body is an upload request that holds what
// OpenAI documents, or a 400; never a panic.
func FuzzDecodeUploadRequest(f *testing.F) {
	f.Add([]byte(`{"bytes":12,"filename":"in.jsonl","purpose":"batch","mime_type":"text/jsonl"}`))
	f.Add([]byte(`{"bytes":1,"filename":"a.png","purpose":"vision","mime_type":"image/png","expires_after":{"anchor":"created_at","seconds":3600}}`))
	f.Add([]byte(`{"bytes":100,"filename":"a","purpose":"assistants","mime_type":"text/plain; charset=utf-8"}`))
	f.Add([]byte(`{"bytes":-1,"filename":"","purpose":null,"mime_type":"x"}`))
	f.Add([]byte(`{"bytes":1e3}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		q, err := decodeUploadRequest(body, 64)
		if err != nil {
			if e := llm.AsError(err); e.Kind != llm.KindInvalidRequest {
				t.Fatalf("error of kind %s: %v", e.Kind, err)
			}
			return
		}
		if *q.Bytes < 0 || *q.Bytes > 64 || *q.Filename == "" || !strings.Contains(*q.MimeType, "/") {
			t.Fatalf("accepted %s", body)
		}
		if a := q.ExpiresAfter; a != nil && (a.Anchor != "created_at" || a.Seconds < minExpiresAfter || a.Seconds > maxExpiresAfter) {
			t.Fatalf("accepted expires_after %+v", *a)
		}
	})
}

// FuzzDecodeCompleteRequest: any body is a completion listing each part
// once, or a 400.
func FuzzDecodeCompleteRequest(f *testing.F) {
	f.Add([]byte(`{"part_ids":["part_a","part_b"],"md5":"0cc175b9c0f1b6a831c399e269772661"}`))
	f.Add([]byte(`{"part_ids":[]}`))
	f.Add([]byte(`{"part_ids":["a","a"]}`))
	f.Add([]byte(`{"md5":1}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		q, err := decodeCompleteRequest(body)
		if err != nil {
			if e := llm.AsError(err); e.Kind != llm.KindInvalidRequest {
				t.Fatalf("error of kind %s: %v", e.Kind, err)
			}
			return
		}
		seen := map[string]bool{}
		for _, id := range *q.PartIDs {
			if seen[id] {
				t.Fatalf("accepted %q twice", id)
			}
			seen[id] = true
		}
	})
}

// FuzzReadPartData: any multipart body is a part of at most the bytes
// left, or a 400 or 413; never a panic.
func FuzzReadPartData(f *testing.F) {
	f.Add(partBody([]byte("abc")))
	f.Add(partBody(nil))
	f.Add(partBody(bytes.Repeat([]byte("x"), 40)))
	f.Add([]byte("--zz\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\nab\r\n--zz\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\ncd\r\n--zz--\r\n"))
	f.Add([]byte("--zz\r\n\r\n--zz--"))
	f.Fuzz(func(t *testing.T, body []byte) {
		d, err := readPartData(multipart.NewReader(bytes.NewReader(body), "zz"), 32)
		if err != nil {
			if e := llm.AsError(err); e.Kind != llm.KindInvalidRequest && e.Kind != llm.KindTooLarge {
				t.Fatalf("error of kind %s: %v", e.Kind, err)
			}
			return
		}
		if d == nil || len(d) > 32 {
			t.Fatalf("accepted %d bytes", len(d))
		}
	})
}
