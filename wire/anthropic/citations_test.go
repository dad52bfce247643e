package anthropic

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"switchyard/llm"
)

// decodeCited accumulates the chunks of an Anthropic stream, asking for the
// cited text blocks or not.
func decodeCited(t *testing.T, in []byte, citations bool) (*llm.Response, []*llm.Chunk) {
	t.Helper()
	d := NewStreamDecoder(bytes.NewReader(in), 0)
	d.t.Citations = citations
	var acc llm.Accumulator
	var chunks []*llm.Chunk
	for {
		c, err := d.Next()
		if err == io.EOF {
			return acc.Response(), chunks
		}
		if err != nil {
			t.Fatal(err)
		}
		acc.Add(c)
		chunks = append(chunks, c)
	}
}

const citedText = "According to the document, the grass is green and the sky is blue"

// Claude's cited answer (its documentation's example, streamed) keeps its
// four text blocks and their citations; without Citations they are
// joined as before.
func TestStreamCitations(t *testing.T) {
	in, err := os.ReadFile("testdata/stream_citations.sse")
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := decodeCited(t, in, true)
	m := &resp.Choices[0].Message
	blocks := m.TextBlocks()
	if m.Text() != citedText || len(blocks) != 4 {
		t.Fatalf("text %q, blocks %+v", m.Text(), blocks)
	}
	for i, want := range []struct{ start, cites int }{{0, 0}, {27, 1}, {45, 0}, {50, 2}} {
		if blocks[i].Start != want.start || len(blocks[i].Citations) != want.cites {
			t.Errorf("block %d: %+v, want start %d with %d citations", i, blocks[i], want.start, want.cites)
		}
	}
	plain, _ := decodeCited(t, in, false)
	if pm := &plain.Choices[0].Message; pm.Text() != citedText || pm.TextBlocks() != nil {
		t.Errorf("without Citations: %q, %+v", pm.Text(), pm.TextBlocks())
	}

	// The complete answer an Anthropic client gets.
	var got MessagesResponse
	if err := json.Unmarshal(AppendResponse(nil, resp, "msg_x"), &got); err != nil {
		t.Fatal(err)
	}
	texts := []string{"According to the document, ", "the grass is green", " and ", "the sky is blue"}
	if len(got.Content) != 4 {
		t.Fatalf("content %+v", got.Content)
	}
	for i, b := range got.Content {
		if b.Type != BlockText || b.Text != texts[i] || (len(b.Citations) > 0) != (i == 1 || i == 3) {
			t.Errorf("block %d: %+v", i, b)
		}
	}
	var cites []map[string]any
	if json.Unmarshal(got.Content[3].Citations, &cites) != nil || len(cites) != 2 || cites[1]["type"] != "page_location" || cites[1]["document_title"] != nil {
		t.Errorf("block 3's citations %s", got.Content[3].Citations)
	}
}

// The stream an Anthropic client gets writes the same blocks and
// citations: decoded again, it accumulates to the same message.
func TestStreamEncoderCitations(t *testing.T) {
	in, _ := os.ReadFile("testdata/stream_citations.sse")
	want, chunks := decodeCited(t, in, true)
	out := encodeStream(chunks)
	if n := strings.Count(string(out), `"type":"citations_delta"`); n != 3 {
		t.Errorf("%d citations_delta events, want 3:\n%s", n, out)
	}
	got, _ := decodeCited(t, out, true)
	if w, g := want.Choices[0].Message, got.Choices[0].Message; w.Text() != g.Text() || !reflect.DeepEqual(w.TextBlocks(), g.TextBlocks()) {
		t.Errorf("round trip: %q %+v\nwant %q %+v", g.Text(), g.TextBlocks(), w.Text(), w.TextBlocks())
	}
}

// A citation an upstream wrote over several lines (an SSE event of
// several data lines) is written again on one.
func TestCitationOnOneLine(t *testing.T) {
	raw := json.RawMessage("{\n  \"type\": \"char_location\",\n  \"cited_text\": \"a\\nb\"\n}")
	if got := string(oneLine(raw)); got != `{"type":"char_location","cited_text":"a\nb"}` {
		t.Errorf("oneLine = %s", got)
	}
	if got := oneLine(json.RawMessage(`{"a":1}`)); string(got) != `{"a":1}` {
		t.Errorf("oneLine of one line = %s", got)
	}
}

func TestCitationsEnabled(t *testing.T) {
	doc := func(cfg string) *llm.Request {
		return &llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{
			llm.DocumentPart(&llm.Document{Text: "x", Citations: json.RawMessage(cfg)}), {Type: llm.PartText, Text: "q"}}}}}
	}
	for cfg, want := range map[string]bool{`{"enabled":true}`: true, `{"enabled":false}`: false, ``: false, `[]`: false} {
		if got := CitationsEnabled(doc(cfg)); got != want {
			t.Errorf("citations %q: %v", cfg, got)
		}
	}
}
