package anthropic

import (
	"testing"

	"switchyard/llm"
	openai "switchyard/wire/openai"
)

// A document or an image naming a file by id decodes to the part the
// router resolves (openai.FileRefOf finds it), its breakpoint kept.
func TestFileSourceDecodesToFileRef(t *testing.T) {
	body := `{"model":"m","max_tokens":9,"messages":[{"role":"user","content":[
		{"type":"document","source":{"type":"file","file_id":"file-doc"},"cache_control":{"type":"ephemeral"}},
		{"type":"image","source":{"type":"file","file_id":"file-img"}},
		{"type":"text","text":"read"}]}]}`
	req, err := DecodeRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	c := req.Messages[0].Content
	doc, ok := openai.FileRefOf(&c[0])
	if !ok || doc.ID != "file-doc" || doc.Image {
		t.Fatalf("document: %+v %v", doc, ok)
	}
	if c[0].Cache() == llm.NoCache {
		t.Error("the document's breakpoint was lost")
	}
	img, ok := openai.FileRefOf(&c[1])
	if !ok || img.ID != "file-img" || !img.Image {
		t.Fatalf("image: %+v %v", img, ok)
	}
}
