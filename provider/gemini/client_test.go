package gemini

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"switchyard/llm/llmtest"
	"testing"

	"go.uber.org/goleak"

	"switchyard/llm"
	"switchyard/provider"
	"switchyard/sim"
	simgemini "switchyard/sim/gemini"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const testKey = "AIzaSyTESTKEY0123456789"

// newSim starts a simulated Gemini API and a client for it.
func newSim(t *testing.T, key string) *Client {
	t.Helper()
	cat := sim.NewCatalog(
		sim.Profile{Model: "gemini-2.5-flash", Reasoning: true},
		sim.Profile{Model: "gemini-2.0-flash", TokensPerSecond: 2000},
		sim.Profile{Model: "text-embedding-004", Embedding: true, Dimensions: 768},
		sim.Profile{Model: "gemma-3-27b-it", NoSystemInstruction: true, NoFunctionCalling: true, MaxOutputTokens: 8192},
	)
	srv := httptest.NewServer(simgemini.New(cat, nil))
	t.Cleanup(srv.Close)
	return newClient(t, srv, key)
}

func newClient(t *testing.T, srv *httptest.Server, key string) *Client {
	t.Helper()
	c, err := New(provider.Config{Name: "gem", BaseURL: srv.URL, APIKey: key, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func chatReq(model, text string) *llm.Request {
	return &llm.Request{Model: model, Messages: []llm.Message{llm.TextMessage(llm.RoleUser, text)}}
}

func TestChat(t *testing.T) {
	c := newSim(t, testKey)
	resp, err := llmtest.Complete(context.Background(), c, chatReq("gemini-2.5-flash", "What is a router?"))
	if err != nil {
		t.Fatal(err)
	}
	ch := resp.Choices[0]
	if !strings.Contains(ch.Message.Text(), "What is a router?") || ch.FinishReason != llm.FinishStop || ch.Message.Role != llm.RoleAssistant {
		t.Errorf("choice = %+v", ch)
	}
	u := resp.Usage
	if u == nil || u.PromptTokens == 0 || u.ReasoningTokens == 0 || u.CompletionTokens <= u.ReasoningTokens ||
		u.TotalTokens != u.PromptTokens+u.CompletionTokens {
		t.Errorf("usage = %+v", u)
	}
	if resp.Model != "gemini-2.5-flash" || resp.ID == "" {
		t.Errorf("model %q id %q", resp.Model, resp.ID)
	}
}

func TestStream(t *testing.T) {
	c := newSim(t, testKey)
	st, err := c.Stream(context.Background(), chatReq("models/gemini-2.0-flash", "Stream this please"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var text strings.Builder
	var finish llm.FinishReason
	var usage *llm.Usage
	n := 0
	for {
		ch, err := st.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		if ch.Usage != nil {
			usage = ch.Usage
			continue
		}
		if (ch.Choices[0].Delta.Role == llm.RoleAssistant) != (n == 1) {
			t.Errorf("chunk %d role %q", n, ch.Choices[0].Delta.Role)
		}
		text.WriteString(ch.Choices[0].Delta.Content)
		if ch.Choices[0].FinishReason != "" {
			finish = ch.Choices[0].FinishReason
		}
	}
	if n < 5 || !strings.Contains(text.String(), "Stream this please") || finish != llm.FinishStop {
		t.Errorf("%d chunks, text %q, finish %q", n, text.String(), finish)
	}
	if usage == nil || usage.CompletionTokens == 0 {
		t.Errorf("usage = %+v", usage)
	}
}

// TestStreamIncremental proves chunks are handed over as they arrive: the
// upstream holds the rest of the stream until the first chunk was read.
func TestStreamIncremental(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, `data: {"candidates":[{"content":{"parts":[{"text":"first"}],"role":"model"},"index":0}]}`+"\r\n\r\n")
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		io.WriteString(w, `data: {"candidates":[{"content":{"parts":[{"text":" second"}],"role":"model"},"finishReason":"STOP","index":0}]}`+"\r\n\r\n")
	}))
	defer srv.Close()
	st, err := newClient(t, srv, testKey).Stream(context.Background(), chatReq("m", "hi"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ch, err := st.Next()
	if err != nil || ch.Choices[0].Delta.Content != "first" {
		t.Fatalf("first chunk %+v, %v", ch, err)
	}
	close(release)
	ch, err = st.Next()
	if err != nil || ch.Choices[0].Delta.Content != " second" || ch.Choices[0].FinishReason != llm.FinishStop {
		t.Fatalf("second chunk %+v, %v", ch, err)
	}
	if _, err := st.Next(); err != io.EOF {
		t.Errorf("end = %v", err)
	}
}

func TestToolsRoundTrip(t *testing.T) {
	c := newSim(t, testKey)
	tools := []llm.Tool{{Type: "function", Name: "get_weather", Description: "Weather",
		Parameters: json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}`)}}
	req := chatReq("gemini-2.5-flash", "What is the weather in Paris? Use get_weather.")
	req.Tools = tools
	resp, err := llmtest.Complete(context.Background(), c, req)
	if err != nil {
		t.Fatal(err)
	}
	ch := resp.Choices[0]
	if ch.FinishReason != llm.FinishToolCalls || len(ch.Message.ToolCalls()) != 1 {
		t.Fatalf("choice = %+v", ch)
	}
	call := ch.Message.ToolCalls()[0]
	if call.Name != "get_weather" || call.Arguments != `{"city":"example"}` || call.ID == "" {
		t.Errorf("call = %+v", call)
	}
	req.Messages = append(req.Messages, ch.Message, llm.Message{
		Role:    llm.RoleTool,
		Content: []llm.Part{{Type: llm.PartText, Text: "18 degrees and sunny"}},
		Extra:   &llm.MessageExtra{ToolCallID: call.ID},
	})
	resp, err = llmtest.Complete(context.Background(), c, req)
	if err != nil {
		t.Fatal(err)
	}
	if txt := resp.Choices[0].Message.Text(); !strings.Contains(txt, "18 degrees and sunny") || resp.Choices[0].FinishReason != llm.FinishStop {
		t.Errorf("answer to the tool result = %q (%s)", txt, resp.Choices[0].FinishReason)
	}
}

func TestStreamToolCall(t *testing.T) {
	c := newSim(t, testKey)
	req := chatReq("gemini-2.0-flash", "hi")
	req.Tools = []llm.Tool{{Name: "lookup", Parameters: json.RawMessage(`{"type":"object","properties":{"q":{"type":"string"}}}`)}}
	req.ToolChoice = &llm.ToolChoice{Mode: llm.ToolChoiceFunction, Name: "lookup"}
	st, err := c.Stream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ch, err := st.Next()
	if err != nil {
		t.Fatal(err)
	}
	c0 := ch.Choices[0]
	if len(c0.Delta.ToolCalls) != 1 || c0.Delta.ToolCalls[0].Name != "lookup" || c0.Delta.ToolCalls[0].Arguments != `{"q":"example"}` ||
		c0.FinishReason != llm.FinishToolCalls {
		t.Errorf("chunk = %+v", c0)
	}
}

func TestJSONSchema(t *testing.T) {
	c := newSim(t, testKey)
	req := chatReq("gemini-2.0-flash", "Give me a person")
	req.ResponseFormat = &llm.ResponseFormat{Type: llm.FormatJSONSchema, Name: "person",
		Schema: json.RawMessage(`{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer","minimum":18}},"required":["name","age"],"additionalProperties":false}`)}
	resp, err := llmtest.Complete(context.Background(), c, req)
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Name string `json:"name"`
		Age  int    `json:"age"`
	}
	if err := json.Unmarshal([]byte(resp.Choices[0].Message.Text()), &v); err != nil || v.Name == "" || v.Age != 18 {
		t.Errorf("JSON answer %q: %v", resp.Choices[0].Message.Text(), err)
	}
}

func TestEmbed(t *testing.T) {
	c := newSim(t, testKey)
	resp, err := c.Embed(context.Background(), &llm.EmbeddingRequest{Model: "text-embedding-004", Input: []string{"alpha", "beta gamma", "alpha"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Data) != 3 || len(resp.Data[0].Vector) != 768 || resp.Data[2].Index != 2 {
		t.Fatalf("data = %d vectors", len(resp.Data))
	}
	for i := range resp.Data[0].Vector {
		if resp.Data[0].Vector[i] != resp.Data[2].Vector[i] {
			t.Fatal("identical texts gave different vectors")
		}
	}
	if resp.Usage.PromptTokens != 2+3+2 || resp.Usage.TotalTokens != resp.Usage.PromptTokens {
		t.Errorf("estimated usage = %+v", resp.Usage)
	}
	dims := 32
	resp, err = c.Embed(context.Background(), &llm.EmbeddingRequest{Model: "text-embedding-004", Input: []string{"x"}, Dimensions: &dims})
	if err != nil || len(resp.Data[0].Vector) != 32 {
		t.Errorf("dimensions 32: %v", err)
	}
	if _, err := c.Embed(context.Background(), &llm.EmbeddingRequest{Model: "text-embedding-004"}); kindOf(err) != llm.KindInvalidRequest {
		t.Errorf("empty input: %v", err)
	}
}

func kindOf(err error) llm.ErrorKind {
	var le *llm.Error
	if errors.As(err, &le) {
		return le.Kind
	}
	return ""
}

// TestEmbedImplausibleUsage checks that a token count no upstream can mean
// is not passed on: the vectors come back with an estimated usage.
func TestEmbedImplausibleUsage(t *testing.T) {
	for _, count := range []string{"-8", "1e30", "123456789012345678901234567890", "1000000000000"} {
		t.Run(count, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"embeddings":[{"values":[0.5,-0.5]}],"usageMetadata":{"promptTokenCount":`+count+`}}`)
			}))
			t.Cleanup(srv.Close)
			resp, err := newClient(t, srv, testKey).Embed(context.Background(), &llm.EmbeddingRequest{Model: "m", Input: []string{"The food was delicious"}})
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Data) != 1 || len(resp.Data[0].Vector) != 2 {
				t.Fatalf("data = %+v", resp.Data)
			}
			if u := resp.Usage; !u.Estimated || u.PromptTokens != 6 || u.TotalTokens != 6 {
				t.Errorf("usage = %+v, want the estimate of 6 tokens", u)
			}
		})
	}
}
