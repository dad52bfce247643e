package record

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"switchyard/guard"
	"switchyard/llm"
	"switchyard/store"
	"switchyard/store/sqlite"
)

// configuredSecret is a provider key no built-in pattern knows: only a
// Redactor given it masks it.
const configuredSecret = "corp-gateway-pass-horse-battery"

func chatWithSecrets() (*llm.Request, *llm.Response) {
	user := llm.Message{Role: llm.RoleUser, Content: []llm.Part{
		{Type: llm.PartText, Text: "Mail jane.doe@example.com, key " + configuredSecret + ". "},
		llm.ImagePart("https://img.example.com/jane.png", "low"),
	}}
	asst := llm.Message{Role: llm.RoleAssistant}
	asst.SetToolCalls([]llm.ToolCall{{ID: "call_1", Type: "function", Name: "send_mail", Arguments: `{"to":"jane.doe@example.com"}`}})
	tool := llm.TextMessage(llm.RoleTool, `{"sent":true,"token":"sk-proj-Ab12Cd34Ef56Gh78Ij90"}`)
	tool.SetToolCallID("call_1")
	req := &llm.Request{Messages: []llm.Message{llm.TextMessage(llm.RoleSystem, "Be brief."), user, asst, tool}}
	answer := llm.TextMessage(llm.RoleAssistant, "Sent to jane.doe@example.com with "+configuredSecret+".")
	answer.SetRefusal("I can't share 4111 1111 1111 1111.")
	answer.SetToolCalls([]llm.ToolCall{{ID: "call_2", Name: "log", Arguments: `{"ssn":"123-45-6789"}`}})
	resp := &llm.Response{Choices: []llm.Choice{{Message: answer, FinishReason: llm.FinishToolCalls}}}
	return req, resp
}

func TestBodiesRedacted(t *testing.T) {
	req, resp := chatWithSecrets()
	got := Bodies(&Record{Request: req, Answer: resp}, guard.NewRedactor(configuredSecret))
	want := &store.Bodies{
		Messages: []store.BodyMessage{
			{Role: "system", Text: "Be brief."},
			{Role: "user", Text: "Mail [REDACTED:email], key [REDACTED:secret]. [image]"},
			{Role: "assistant", ToolCalls: []store.BodyToolCall{{ID: "call_1", Name: "send_mail", Arguments: `{"to":"[REDACTED:email]"}`}}},
			{Role: "tool", ToolCallID: "call_1", Text: `{"sent":true,"token":"[REDACTED:api_key]"}`},
		},
		Answer: &store.BodyAnswer{
			Text: "Sent to [REDACTED:email] with [REDACTED:secret].", Refusal: "I can't share [REDACTED:card].",
			ToolCalls:    []store.BodyToolCall{{ID: "call_2", Name: "log", Arguments: `{"ssn":"[REDACTED:ssn]"}`}},
			FinishReason: "tool_calls",
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Bodies =\n%+v\nwant\n%+v", got, want)
	}
	// Without the configured secret, only the built-in kinds are masked.
	plain := Bodies(&Record{Request: req, Answer: resp}, &guard.Redactor{})
	if !strings.Contains(plain.Messages[1].Text, configuredSecret) {
		t.Errorf("the test's secret is masked without being configured: %q", plain.Messages[1].Text)
	}
	if b := Bodies(&Record{Endpoint: "embeddings"}, &guard.Redactor{}); b != nil {
		t.Errorf("Bodies of a record without request or answer = %+v, want nil", b)
	}
}

func TestBodiesBounded(t *testing.T) {
	red := &guard.Redactor{}
	t.Run("newest messages kept", func(t *testing.T) {
		var msgs []llm.Message
		for i := range 200 {
			msgs = append(msgs, llm.TextMessage(llm.RoleUser, strings.Repeat(string(rune('a'+i%26)), 1000)))
		}
		b := Bodies(&Record{Request: &llm.Request{Messages: msgs}}, red)
		kept := len(b.Messages)
		if kept+b.OmittedMessages != 200 || kept < 60 || kept > 70 || !b.Truncated {
			t.Fatalf("kept %d, omitted %d, truncated %v", kept, b.OmittedMessages, b.Truncated)
		}
		if b.Messages[kept-1].Text != msgs[199].Content[0].Text || b.Messages[1].Text != msgs[b.OmittedMessages+1].Content[0].Text {
			t.Error("the kept messages are not the newest, in order")
		}
		if !strings.HasSuffix(b.Messages[0].Text, truncMark) {
			t.Errorf("the oldest kept message is not cut at the bound: %q", b.Messages[0].Text[len(b.Messages[0].Text)-20:])
		}
		if n := size(b); n > BodyPromptBytes+len(truncMark) {
			t.Errorf("kept %d bytes, bound %d", n, BodyPromptBytes)
		}
	})
	t.Run("personal data across the bound is masked, not cut", func(t *testing.T) {
		// Cut first, "jane.doe@exa" and "Zx98Yw76" would no longer read
		// as an email and a key.
		for _, secret := range []string{"jane.doe@example.com", "sk-proj-Zx98Yw76Vu54Ts32Rq10"} {
			for _, at := range []int{BodyPromptBytes - 14, BodyPromptBytes - 8, BodyPromptBytes - 4} {
				text := strings.Repeat("x", at) + " " + secret + " and more text after it"
				b := Bodies(&Record{Request: &llm.Request{Messages: []llm.Message{llm.TextMessage(llm.RoleUser, text)}}}, red)
				got := b.Messages[0].Text
				if strings.Contains(got, "jane") || strings.Contains(got, "Zx98") || !b.Truncated || len(got) > BodyPromptBytes+len(truncMark) {
					t.Errorf("%s at %d: kept %d bytes ending %q", secret, at, len(got), got[max(0, len(got)-40):])
				}
			}
		}
	})
	t.Run("a huge text is cut on a rune boundary", func(t *testing.T) {
		text := strings.Repeat("é", 1<<20) // 2 MB
		ans := &llm.Response{Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, text)}}}
		b := Bodies(&Record{Answer: ans}, red)
		if got := b.Answer.Text; !utf8.ValidString(got) || len(got) > BodyAnswerBytes+len(truncMark) || !strings.HasSuffix(got, truncMark) || !b.Truncated {
			t.Errorf("answer of %d bytes, valid UTF-8 %v", len(got), utf8.ValidString(got))
		}
	})
	t.Run("a shrinking redaction of a pre-cut text", func(t *testing.T) {
		// A private key block longer than the margin starts the text: the
		// pre-cut ends inside it, redaction masks what it can.
		pem := "-----BEGIN PRIVATE KEY-----\n" + strings.Repeat("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n", 4000) + "-----END PRIVATE KEY-----\n"
		ans := &llm.Response{Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, pem+"é done")}}}
		b := Bodies(&Record{Answer: ans}, red)
		if got := b.Answer.Text; !utf8.ValidString(got) || !b.Truncated || strings.Contains(got, "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nMIIE") {
			t.Errorf("answer %q", got[:min(len(got), 200)])
		}
	})
	// A streamed answer the record kept in part (past its bounds on text
	// or on parts: gateway's maxKeptAnswer, server.max_answer_bytes) is
	// marked truncated, though what is left fits the body's bound.
	for _, ans := range []*llm.Response{
		{TextLeftOut: 3 << 20, Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, "")}}},
		{PartsLeftOut: 40 << 20, Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, "Here are the images.")}}},
	} {
		if b := Bodies(&Record{Answer: ans}, red); !b.Truncated {
			t.Errorf("text left out %d, parts left out %d: not marked truncated", ans.TextLeftOut, ans.PartsLeftOut)
		}
	}
}

func size(b *store.Bodies) int {
	n := 0
	for i := range b.Messages {
		n += bodySize(&b.Messages[i])
	}
	return n
}

func bodySize(m *store.BodyMessage) int {
	n := len(m.Text) + len(m.ToolCallID) + len(m.Refusal)
	for _, c := range m.ToolCalls {
		n += len(c.ID) + len(c.Name) + len(c.Arguments)
	}
	return n
}

// rows is a RowWriter that keeps what it is given.
type rows []*store.Request

func (r *rows) Add(row *store.Request) bool { *r = append(*r, row); return true }

func TestStoreSink(t *testing.T) {
	req, resp := chatWithSecrets()
	rec := &Record{RequestID: "req_1", Endpoint: "chat", Request: req, Answer: resp}
	semantic := &Record{Endpoint: "semantic", Deployment: "emb"} // no request id: not a request
	var without, with rows
	StoreSink(&without, StoreOptions{}).Consume(rec)
	StoreSink(&without, StoreOptions{}).Consume(semantic)
	StoreSink(&with, StoreOptions{Bodies: true, Redactor: guard.NewRedactor(configuredSecret)}).Consume(rec)
	if len(without) != 1 || without[0].ID != "req_1" || without[0].Bodies != nil {
		t.Errorf("bodies none: rows %+v", without)
	}
	if len(with) != 1 || with[0].Bodies == nil || with[0].Bodies.Answer.Text != "Sent to [REDACTED:email] with [REDACTED:secret]." {
		t.Errorf("bodies redacted: rows %+v", with)
	}
	var defaults rows
	StoreSink(&defaults, StoreOptions{Bodies: true}).Consume(rec) // nil Redactor: the built-in kinds
	if a := defaults[0].Bodies.Answer.Text; a != "Sent to [REDACTED:email] with "+configuredSecret+"." {
		t.Errorf("nil Redactor: answer %q", a)
	}
}

// TestStoreSinkThroughSQLite: a record goes through the sink, a real
// Writer and SQLite, and comes back as Row plus its redacted bodies.
func TestStoreSinkThroughSQLite(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "switchyard.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w := store.NewWriter(db, store.WriterConfig{})
	rec := resumedRecord(t)
	rec.Request, rec.Answer = chatWithSecrets()
	StoreSink(w, StoreOptions{Bodies: true, Redactor: guard.NewRedactor(configuredSecret)}).Consume(rec)
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := db.Get(ctx, store.TenantScope("acme"), "req_1")
	if err != nil {
		t.Fatal(err)
	}
	want := Row(rec)
	want.Bodies = Bodies(rec, guard.NewRedactor(configuredSecret))
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stored\n%+v\nwant\n%+v", got, want)
	}
}
