package openai

import (
	"encoding/json"
	"testing"

	"switchyard/llm"
)

// The parts naming a file by id are found with what they say; every other
// part (a file by its bytes, text, an image by URL, malformed JSON, an
// empty id) is not one.
func TestFileRefOf(t *testing.T) {
	for raw, want := range map[string]FileRef{
		`{"type":"file","file":{"file_id":"file-a"}}`:                                                                     {ID: "file-a"},
		`{"type":"file","file":{"filename":"r.pdf","file_id":"file-a"}}`:                                                  {ID: "file-a", Filename: "r.pdf"},
		`{"type":"file","file":{"file_id":"file-a","file_data":"data:application/pdf;base64,QQ=="}}`:                      {ID: "file-a"},
		`{"type":"image_file","image_file":{"file_id":"file-i","detail":"high"}}`:                                         {ID: "file-i", Detail: "high", Image: true},
		`{"type":"file","file":{"file_id":"file-d"},"document":{"title":"T","context":"C","citations":{"enabled":true}}}`: {ID: "file-d", Title: "T", Context: "C", Citations: `{"enabled":true}`},
	} {
		p := llm.OtherPart(json.RawMessage(raw))
		got, ok := FileRefOf(&p)
		if !ok || got != want {
			t.Errorf("%s: %+v %v, want %+v", raw, got, ok, want)
		}
	}
	for _, raw := range []string{
		`{"type":"file","file":{"file_data":"data:text/csv;base64,YSxi"}}`,
		`{"type":"file","file":{"file_id":""}}`,
		`{"type":"file","file_id":"file-a"}`,
		`{"type":"input_audio","input_audio":{"data":"file_id"}}`,
		`{"type":"file","file":{"file_id":1}}`,
		`{"type":"file","file":{"file_id":"file-a"`,
		`{"type":"image_file","image_file":{"detail":"low"},"file_id":"x"}`,
	} {
		p := llm.OtherPart(json.RawMessage(raw))
		if got, ok := FileRefOf(&p); ok {
			t.Errorf("%s: %+v, want none", raw, got)
		}
	}
	for _, p := range []llm.Part{{Type: llm.PartText, Text: `"file_id"`}, llm.ImagePart("https://x/file_id.png", "")} {
		if got, ok := FileRefOf(&p); ok {
			t.Errorf("%+v: %+v, want none", p, got)
		}
	}
}

// ImageFilePart holds what FileRefOf reads back, its JSON escaped.
func TestImageFilePartRoundTrip(t *testing.T) {
	for _, c := range []struct{ id, detail string }{{"file-1", ""}, {"file-\"q\"\\", "auto"}, {"file-é\u2028", "low"}} {
		p := ImageFilePart(c.id, c.detail)
		if !json.Valid(p.Raw()) {
			t.Fatalf("invalid JSON %s", p.Raw())
		}
		got, ok := FileRefOf(&p)
		if !ok || got != (FileRef{ID: c.id, Detail: c.detail, Image: true}) {
			t.Errorf("%+v: %+v %v", c, got, ok)
		}
	}
}

// DocumentFilePart holds what FileRefOf reads back, its JSON escaped;
// without a title, context or citations it is FilePart's part by id.
func TestDocumentFilePartRoundTrip(t *testing.T) {
	for _, want := range []FileRef{
		{ID: "file-1", Title: "Q3 \"final\"", Context: "é\u2028<b>", Citations: `{"enabled":true}`},
		{ID: "file-2", Context: "only context"},
		{ID: "file-3", Citations: `{"enabled":false}`},
		{ID: "file-4"},
	} {
		p := DocumentFilePart(want.ID, want.Title, want.Context, json.RawMessage(want.Citations))
		if !json.Valid(p.Raw()) {
			t.Fatalf("invalid JSON %s", p.Raw())
		}
		if got, ok := FileRefOf(&p); !ok || got != want {
			t.Errorf("%+v: %+v %v", want, got, ok)
		}
	}
	if p, q := DocumentFilePart("file-4", "", "", nil), FilePart("", "", "file-4"); string(p.Raw()) != string(q.Raw()) {
		t.Errorf("without fields %s, want %s", p.Raw(), q.Raw())
	}
}

// FileRefOf never panics on a part's bytes, and what it finds names a
// file: a non-empty id.
func FuzzFileRefOf(f *testing.F) {
	for _, s := range []string{
		`{"type":"file","file":{"file_id":"file-a","filename":"r.pdf"}}`,
		`{"type":"image_file","image_file":{"file_id":"file-i","detail":"low"}}`,
		`{"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0="}}`,
		`{"type":"file","file":null,"file_id":"x"}`,
		`{"type":"file","file":{"file_id":"f"},"document":{"title":"t","citations":{"enabled":true}}}`,
		`{"type":"file","file":{"file_id":"f"},"document":{"citations":7}}`,
		`[]`, `"file_id"`, `{"file_id":`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		p := llm.OtherPart(raw)
		ref, ok := FileRefOf(&p)
		if ok && ref.ID == "" {
			t.Fatalf("%q: a ref without an id", raw)
		}
		if ok && ref.Image {
			q := ImageFilePart(ref.ID, ref.Detail)
			if again, ok2 := FileRefOf(&q); !ok2 || again != ref {
				t.Fatalf("%q: %+v does not round-trip (%+v)", raw, ref, again)
			}
		}
		if ok && !ref.Image && ref.Filename == "" && (ref.Citations == "" || json.Valid([]byte(ref.Citations))) {
			q := DocumentFilePart(ref.ID, ref.Title, ref.Context, json.RawMessage(ref.Citations))
			if again, ok2 := FileRefOf(&q); !ok2 || again != ref {
				t.Fatalf("%q: %+v does not round-trip (%+v)", raw, ref, again)
			}
		}
	})
}

// A file_id key spelled with a \u escape (valid JSON) names the file as
// the plain one does: the router inlines or forwards it the same.
func TestFileRefOfEscapedKey(t *testing.T) {
	for _, raw := range []string{
		`{"type":"file","file":{"file\u005fid":"file-a","filename":"r.pdf"}}`,
		`{"type":"image_file","image_file":{"fil\u0065_id":"file-i"}}`,
		// A key in another case, which encoding/json reads as file_id.
		`{"type":"file","file":{"File_ID":"file-a","filename":"r.pdf"}}`,
	} {
		p := llm.OtherPart(json.RawMessage(raw))
		if ref, ok := FileRefOf(&p); !ok || ref.ID == "" {
			t.Errorf("FileRefOf(%s) = %+v, %v", raw, ref, ok)
		}
	}
}
