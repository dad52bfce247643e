package anthropic

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/route"
	"switchyard/store/seal"

	wire "switchyard/wire/anthropic"
	wireresp "switchyard/wire/responses"
)

// The router's compaction blocks are told from Anthropic's by the prefix
// of the blobs the router seals: the two constants must agree.
func TestRouterCompactionPrefix(t *testing.T) {
	if wire.RouterCompactionPrefix != wireresp.BlobPrefix {
		t.Fatalf("wire/anthropic.RouterCompactionPrefix %q, wire/responses.BlobPrefix %q", wire.RouterCompactionPrefix, wireresp.BlobPrefix)
	}
}

// A compaction request without a key to seal with is a 400 naming
// compaction, and asks no model; with one, the routed model's summary is
// the block's content, sealed for the tenant, and the summary request
// carries the conversation.
func TestCompactionRequestHandler(t *testing.T) {
	var sent *llm.Request
	b := &askedBackend{fakeBackend: fakeBackend{resp: &llm.Response{ID: "x", Model: "gpt-4o-mini",
		Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, "They plan Lisbon."), FinishReason: llm.FinishStop}},
		Usage:   &llm.Usage{PromptTokens: 40, CompletionTokens: 5}}}, sent: &sent}
	body := `{"model":"auto","max_tokens":20,"compaction":{"type":"summarize","instructions":"Keep it short."},"messages":[{"role":"user","content":"Lisbon in May?"}]}`
	keys, err := seal.New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	for _, sealer := range []*wireresp.Sealer{nil, wireresp.NewSealer(keys, "acme")} {
		sent = nil
		mux := http.NewServeMux()
		(&Handler{Backend: b, Compactions: func(context.Context) *wireresp.Sealer { return sealer }}).Mount(mux)
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/v1/messages", strings.NewReader(body)))
		if sealer == nil {
			if w.Code != 400 || !strings.Contains(w.Body.String(), "no key to seal") || sent != nil {
				t.Fatalf("without a key: %d %s", w.Code, w.Body)
			}
			continue
		}
		var msg wire.MessagesResponse
		if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &msg) != nil || len(msg.Content) != 1 {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		cb, err := wire.DecodeCompactionBlock(msg.Content[0].Raw, "content.0")
		if err != nil || *cb.Content != "They plan Lisbon." || cb.Signature != nil {
			t.Fatalf("block %s", msg.Content[0].Raw)
		}
		if got, ok := sealer.OpenSummary(*cb.EncryptedContent); !ok || got != "They plan Lisbon." {
			t.Errorf("sealed %q opens to %q, %v", *cb.EncryptedContent, got, ok)
		}
		if other := wireresp.NewSealer(keys, "globex"); func() bool { _, ok := other.OpenSummary(*cb.EncryptedContent); return ok }() {
			t.Error("another tenant opens the block")
		}
		if it := msg.Usage.Iterations; len(it) != 1 || it[0].InputTokens != 40 || it[0].OutputTokens != 5 {
			t.Errorf("usage %+v", msg.Usage)
		}
		if p := sent.Messages[0].Text(); !strings.HasPrefix(p, "Keep it short.") || !strings.Contains(p, "Lisbon in May?") {
			t.Errorf("summary request %q", p)
		}
	}
}

// askedBackend is a fakeBackend keeping the request it was asked.
type askedBackend struct {
	fakeBackend
	sent **llm.Request
}

func (b *askedBackend) Chat(ctx context.Context, req *llm.Request, ov *route.Overrides, s *llm.Served) (*llm.Response, error) {
	*b.sent = req
	return b.fakeBackend.Chat(ctx, req, ov, s)
}
