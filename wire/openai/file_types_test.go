package openai

import (
	"testing"
)

// FilesNeedResponses: a non-PDF file by its bytes of a type the Responses
// API reads sends an api auto request there (CallsResponses); a PDF, a
// file by id, an image as a file and a request without files do not, and
// a request without files allocates nothing.
func TestFilesNeedResponses(t *testing.T) {
	for body, want := range map[string]bool{
		`{"model":"gpt-4o-mini","messages":[{"role":"user","content":[{"type":"file","file":{"filename":"a.csv","file_data":"data:text/csv;base64,YSxi"}}]}]}`:            true,
		`{"model":"gpt-4o-mini","messages":[{"role":"user","content":[{"type":"file","file":{"file_data":"data:text/markdown;base64,IyBh"}}]}]}`:                          true,
		`{"model":"gpt-4o-mini","messages":[{"role":"user","content":[{"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0x"}}]}]}`: false,
		`{"model":"gpt-4o-mini","messages":[{"role":"user","content":[{"type":"file","file":{"file_id":"file-abc"}}]}]}`:                                                  false,
		`{"model":"gpt-4o-mini","messages":[{"role":"user","content":[{"type":"file","file":{"filename":"a.png","file_data":"data:image/png;base64,iVBO"}}]}]}`:           false,
		`{"model":"gpt-4o-mini","messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}]}`:                                                                    false,
	} {
		req, err := DecodeChatRequest([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if FilesNeedResponses(req) != want || CallsResponses(req) != want {
			t.Errorf("%s: FilesNeedResponses %v, want %v", body, !want, want)
		}
	}
	req, err := DecodeChatRequest([]byte(`{"model":"gpt-4o-mini","messages":[{"role":"user","content":[{"type":"text","text":"hi"},{"type":"image_url","image_url":{"url":"https://x/a.png"}}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { CallsResponses(req) }); n != 0 {
		t.Errorf("CallsResponses without files: %v allocations", n)
	}
}
