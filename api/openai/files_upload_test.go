package openai

import (
	"bytes"
	"errors"
	"mime/multipart"
	"testing"

	"switchyard/llm"
)

// uploadBody is a multipart body (boundary "zz") of fields then a file.
func uploadBody(fields [][2]string, file []byte) []byte {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.SetBoundary("zz")
	for _, f := range fields {
		w.WriteField(f[0], f[1])
	}
	if file != nil {
		p, _ := w.CreateFormFile("file", "in.jsonl")
		p.Write(file)
	}
	w.Close()
	return buf.Bytes()
}

func TestReadUpload(t *testing.T) {
	u, err := readUpload(multipart.NewReader(bytes.NewReader(uploadBody([][2]string{{"purpose", "batch"},
		{"expires_after[anchor]", "created_at"}, {"expires_after[seconds]", "7200"}}, []byte("{}\n"))), "zz"), 10)
	if err != nil || u.purpose != "batch" || u.filename != "in.jsonl" || string(u.content) != "{}\n" || u.expiresAfter != 7200 {
		t.Fatalf("readUpload = %+v, %v", u, err)
	}
	_, err = readUpload(multipart.NewReader(bytes.NewReader(uploadBody([][2]string{{"purpose", "batch"}}, []byte("01234567890"))), "zz"), 10)
	if e := llm.AsError(err); e.Kind != llm.KindTooLarge || e.Code != "file_too_large" {
		t.Errorf("a file of 11 bytes past 10: %v", err)
	}
	_, err = readUpload(multipart.NewReader(bytes.NewReader(uploadBody([][2]string{{"purpose", "batch"}}, nil)), "zz"), 10)
	if e := (*llm.Error)(nil); !errors.As(err, &e) || e.Param != "file" {
		t.Errorf("no file: %v", err)
	}
}

// FuzzReadUpload: any body is an upload whose file fits the bound, or an
// API error of the caller's (400 or 413); never a panic.
func FuzzReadUpload(f *testing.F) {
	f.Add(uploadBody([][2]string{{"purpose", "batch"}}, []byte("{}\n")))
	f.Add(uploadBody([][2]string{{"purpose", "batch"}, {"expires_after[seconds]", "3600"}}, []byte("x")))
	f.Add(uploadBody([][2]string{{"purpose", "nope"}}, nil))
	f.Add([]byte("--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nabc\r\n--zz--\r\n"))
	f.Add([]byte("--zz\r\n\r\n--zz--"))
	f.Fuzz(func(t *testing.T, body []byte) {
		u, err := readUpload(multipart.NewReader(bytes.NewReader(body), "zz"), 64)
		if err != nil {
			if e := llm.AsError(err); e.Kind != llm.KindInvalidRequest && e.Kind != llm.KindTooLarge {
				t.Fatalf("error of kind %s: %v", e.Kind, err)
			}
			return
		}
		if len(u.content) > 64 || u.purpose == "" {
			t.Fatalf("accepted %+v", u)
		}
	})
}
