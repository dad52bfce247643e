package server

import (
	"strings"
	"testing"
	"time"
)

// Every refused creation is an error in OpenAI's shape with its status
// and param; nothing is stored.
func TestUploadCreateRefused(t *testing.T) {
	g := newUploadsRig(t)
	for _, tt := range []struct {
		name, body   string
		param, code  string
		status       int
		wantInMesage string
	}{
		{"bytes past batches.max_file_bytes", `{"bytes":65,"filename":"a.jsonl","purpose":"batch","mime_type":"text/jsonl"}`, "bytes", "file_too_large", 400, "at most 64 bytes"},
		{"no bytes", `{"filename":"a.jsonl","purpose":"batch","mime_type":"text/jsonl"}`, "bytes", "", 400, "bytes"},
		{"negative bytes", `{"bytes":-1,"filename":"a.jsonl","purpose":"batch","mime_type":"text/jsonl"}`, "bytes", "", 400, "bytes"},
		{"no filename", `{"bytes":1,"purpose":"batch","mime_type":"text/jsonl"}`, "filename", "", 400, "filename"},
		{"no mime type", `{"bytes":1,"filename":"a.jsonl","purpose":"batch"}`, "mime_type", "", 400, "mime_type"},
		{"a mime type that is none", `{"bytes":1,"filename":"a.jsonl","purpose":"batch","mime_type":"jsonl"}`, "mime_type", "", 400, "not a MIME type"},
		{"vision takes images only", `{"bytes":1,"filename":"a.txt","purpose":"vision","mime_type":"text/plain"}`, "mime_type", "", 400, "not supported for purpose 'vision'"},
		{"assistants takes file search's types", `{"bytes":1,"filename":"a.jsonl","purpose":"assistants","mime_type":"application/jsonl"}`, "mime_type", "", 400, "assistants"},
		{"unknown purpose", `{"bytes":1,"filename":"a.jsonl","purpose":"nope","mime_type":"text/jsonl"}`, "purpose", "", 400, "nope"},
		{"expires_after too short", `{"bytes":1,"filename":"a","purpose":"batch","mime_type":"text/jsonl","expires_after":{"anchor":"created_at","seconds":60}}`, "expires_after.seconds", "", 400, "3600"},
		{"expires_after's anchor", `{"bytes":1,"filename":"a","purpose":"batch","mime_type":"text/jsonl","expires_after":{"anchor":"now","seconds":3600}}`, "expires_after.anchor", "", 400, "created_at"},
		{"not JSON", `{"bytes":`, "", "", 400, "could not parse the JSON body"},
		{"a string for bytes", `{"bytes":"1","filename":"a.jsonl","purpose":"batch","mime_type":"text/jsonl"}`, "bytes", "", 400, "Invalid type for 'bytes': expected an integer"},
	} {
		code, out := g.do("acme", "/v1/uploads", "application/json", []byte(tt.body))
		e := apiError(out)
		if code != tt.status || e == nil || e["type"] != "invalid_request_error" || (e["param"] != nil && e["param"] != tt.param) ||
			(tt.param != "" && e["param"] != tt.param) || (tt.code != "" && e["code"] != tt.code) || !strings.Contains(e["message"].(string), tt.wantInMesage) {
			t.Errorf("%s: %d %v; want %d param %q code %q", tt.name, code, out, tt.status, tt.param, tt.code)
		}
	}
	if code, out := g.do("acme", "/v1/uploads", "application/json", []byte(`{"bytes":1,"filename":"a.png","purpose":"vision","mime_type":"image/png"}`)); code != 200 {
		t.Errorf("a vision upload of a PNG: %d %v", code, out)
	}
}

// A completion whose parts are not the upload's, do not add up to its
// bytes, or whose md5 differs is refused, the upload still pending.
func TestUploadCompleteRefused(t *testing.T) {
	g := newUploadsRig(t)
	id := g.create("acme", `{"bytes":8,"filename":"a.jsonl","purpose":"batch","mime_type":"text/jsonl"}`)
	other := g.create("acme", `{"bytes":8,"filename":"b.jsonl","purpose":"batch","mime_type":"text/jsonl"}`)
	_, a := g.part("acme", id, []byte("abcd"))
	_, b := g.part("acme", id, []byte("efgh"))
	_, o := g.part("acme", other, []byte("ijkl"))
	pa, pb, po := a["id"].(string), b["id"].(string), o["id"].(string)
	for _, tt := range []struct {
		name  string
		body  []string
		sum   string
		param string
		want  string
	}{
		{"a part short", []string{pa}, "", "", "add up to 4 bytes"},
		{"another upload's part", []string{pa, po}, "", "part_ids", po},
		{"a part twice", []string{pa, pa}, "", "part_ids", "more than once"},
		{"the md5 of another order", []string{pa, pb}, md5Hex("efghabcd"), "md5", "MD5"},
		{"an md5 that is not hex", []string{pa, pb}, "zz", "md5", "MD5"},
	} {
		code, out := g.complete("acme", id, tt.body, tt.sum)
		e := apiError(out)
		if code != 400 || e == nil || (tt.param != "" && e["param"] != tt.param) || !strings.Contains(e["message"].(string), tt.want) {
			t.Errorf("%s: %d %v; want 400 param %q", tt.name, code, out, tt.param)
		}
	}
	if code, out := g.do("acme", "/v1/uploads/"+id+"/complete", "application/json", []byte(`{}`)); code != 400 || apiError(out)["param"] != "part_ids" {
		t.Errorf("no part_ids: %d %v", code, out)
	}
	if code, out := g.complete("acme", id, []string{pa, pb}, md5Hex("abcdefgh")); code != 200 || out["status"] != "completed" {
		t.Errorf("the upload after the refusals: %d %v", code, out)
	}
}

// Another tenant's upload is not found (404, OpenAI's shape) on every
// path; a cancelled upload takes no part nor completion; an expired one
// neither, and is shown expired.
func TestUploadScopeCancelExpiry(t *testing.T) {
	g := newUploadsRig(t)
	id := g.create("acme", `{"bytes":8,"filename":"a.jsonl","purpose":"batch","mime_type":"text/jsonl"}`)
	_, a := g.part("acme", id, []byte("abcd"))
	for _, path := range []string{"/parts", "/complete", "/cancel"} {
		var code int
		var out map[string]any
		if path == "/parts" {
			code, out = g.part("globex", id, []byte("x"))
		} else {
			code, out = g.do("globex", "/v1/uploads/"+id+path, "application/json", []byte(`{"part_ids":[]}`))
		}
		e := apiError(out)
		if code != 404 || e == nil || e["type"] != "invalid_request_error" || !strings.Contains(e["message"].(string), id) {
			t.Errorf("another tenant's %s: %d %v; want 404", path, code, out)
		}
	}
	if code, out := g.do("acme", "/v1/uploads/"+id+"/cancel", "", nil); code != 200 || out["status"] != "cancelled" || out["id"] != id {
		t.Fatalf("cancel: %d %v", code, out)
	}
	if code, out := g.part("acme", id, []byte("efgh")); code != 400 || !strings.Contains(apiError(out)["message"].(string), "cancelled") {
		t.Errorf("a part after cancel: %d %v", code, out)
	}
	if code, out := g.complete("acme", id, []string{a["id"].(string)}, ""); code != 400 || !strings.Contains(apiError(out)["message"].(string), "cancelled") {
		t.Errorf("a completion after cancel: %d %v", code, out)
	}
	// An upload created two hours ago expired an hour ago.
	g.uploads.now = func() time.Time { return time.Now().Add(-2 * time.Hour) }
	old := g.create("acme", `{"bytes":4,"filename":"a.jsonl","purpose":"batch","mime_type":"text/jsonl"}`)
	g.uploads.now = time.Now
	if code, out := g.part("acme", old, []byte("abcd")); code != 400 || !strings.Contains(apiError(out)["message"].(string), "expired") {
		t.Errorf("a part of an expired upload: %d %v", code, out)
	}
	if code, out := g.complete("acme", old, []string{}, ""); code != 400 || !strings.Contains(apiError(out)["message"].(string), "expired") {
		t.Errorf("a completion of an expired upload: %d %v", code, out)
	}
	if code, out := g.do("acme", "/v1/uploads/nope/cancel", "", nil); code != 404 {
		t.Errorf("cancel of an unknown upload: %d %v", code, out)
	}
}
