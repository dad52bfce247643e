package anthropic

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"switchyard/llm"
)

var update = flag.Bool("update", false, "rewrite golden files")

// chunkView is a compact, readable form of a chunk (or the stream's end)
// for golden files.
type chunkView struct {
	ID        string              `json:"id,omitempty"`
	Model     string              `json:"model,omitempty"`
	Role      llm.Role            `json:"role,omitempty"`
	Content   string              `json:"content,omitempty"`
	ToolCalls []llm.ToolCallDelta `json:"tool_calls,omitempty"`
	Block     *llm.BlockDelta     `json:"block,omitempty"`
	Finish    llm.FinishReason    `json:"finish_reason,omitempty"`
	Paused    bool                `json:"paused,omitempty"`
	NoChoices bool                `json:"no_choices,omitempty"`
	Usage     *llm.Usage          `json:"usage,omitempty"`
	End       string              `json:"end,omitempty"`
}

func view(c *llm.Chunk) chunkView {
	v := chunkView{ID: c.ID, Model: c.Model, Usage: c.Usage, NoChoices: len(c.Choices) == 0}
	if len(c.Choices) == 1 {
		ch := c.Choices[0]
		v.Role, v.Content, v.ToolCalls, v.Finish, v.Paused = ch.Delta.Role, ch.Delta.Content, ch.Delta.ToolCalls, ch.FinishReason, ch.Paused()
		if o := ch.Delta.Output; o != nil {
			v.Block = o.Block
		}
	}
	return v
}

// endView describes how a stream ended: "EOF" or the error's kind and
// message.
func endView(err error) string {
	if err == io.EOF {
		return "EOF"
	}
	var le *llm.Error
	if errors.As(err, &le) {
		return string(le.Kind) + ": " + le.Message
	}
	return "raw error: " + err.Error()
}

func decodeAll(t testing.TB, r io.Reader) ([]chunkView, error) {
	d := NewStreamDecoder(r, 1700000000)
	var out []chunkView
	for i := 0; ; i++ {
		if i > 10000 {
			t.Fatal("decoder does not end")
		}
		c, err := d.Next()
		if err != nil {
			if _, again := d.Next(); again != err {
				t.Errorf("Next after error returned %v, want the same %v", again, err)
			}
			return append(out, chunkView{End: endView(err)}), err
		}
		if c.Created != 1700000000 {
			t.Errorf("chunk Created = %d", c.Created)
		}
		out = append(out, view(c))
	}
}

func TestStreamGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.sse")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			in, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := decodeAll(t, bytes.NewReader(in))
			b, _ := json.MarshalIndent(got, "", "  ")
			b = append(b, '\n')
			golden := strings.TrimSuffix(f, ".sse") + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if !bytes.Equal(b, want) {
				t.Errorf("chunks differ from %s:\n%s", golden, b)
			}
		})
	}
}

// TestStreamAccumulates checks the documented tool-use transcript
// accumulates into the same message ToLLM gives for the non-streamed
// equivalent.
func TestStreamAccumulates(t *testing.T) {
	in, _ := os.ReadFile("testdata/stream_tool_use.sse")
	d := NewStreamDecoder(bytes.NewReader(in), 0)
	var text strings.Builder
	args := map[int]*strings.Builder{}
	var finish llm.FinishReason
	for {
		c, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range c.Choices {
			text.WriteString(ch.Delta.Content)
			for _, tc := range ch.Delta.ToolCalls {
				if args[tc.Index] == nil {
					args[tc.Index] = &strings.Builder{}
				}
				args[tc.Index].WriteString(tc.Arguments)
			}
			if ch.FinishReason != "" {
				finish = ch.FinishReason
			}
		}
	}
	if text.String() != "Okay, let's check the weather for San Francisco, CA:" {
		t.Errorf("text = %q", text.String())
	}
	if len(args) != 1 || args[0].String() != `{"location": "San Francisco, CA", "unit": "fahrenheit"}` {
		t.Errorf("arguments = %v", args)
	}
	if finish != llm.FinishToolCalls {
		t.Errorf("finish = %q", finish)
	}
}

func TestTranslatorRejects(t *testing.T) {
	start := `{"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"x","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}`
	tests := []struct {
		name   string
		events []string
	}{
		{"delta before start", []string{`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}`}},
		{"delta for unknown block", []string{start, `{"type":"content_block_delta","index":3,"delta":{"type":"text_delta","text":"x"}}`}},
		{"two message_starts", []string{start, start}},
		{"not JSON", []string{start, `{"type":`}},
		{"stop for unknown block", []string{start, `{"type":"content_block_stop","index":0}`}},
		{"block started twice", []string{start, `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`, `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`}},
		{"error without object", []string{start, `{"type":"error"}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tr StreamTranslator
			var err error
			for _, ev := range tt.events {
				if _, err = tr.Translate("", []byte(ev)); err != nil {
					break
				}
			}
			var le *llm.Error
			if !errors.As(err, &le) || le.Kind != llm.KindUpstream {
				t.Errorf("err = %v, want an upstream *llm.Error", err)
			}
		})
	}
}

func TestDecoderPrematureEnd(t *testing.T) {
	in, _ := os.ReadFile("testdata/stream_basic.sse")
	// Cut inside the last event, and just before it.
	for _, n := range []int{len(in) - 10, bytes.LastIndex(in, []byte("event: message_stop"))} {
		_, err := decodeAll(t, bytes.NewReader(in[:n]))
		var le *llm.Error
		if !errors.As(err, &le) || le.Kind != llm.KindUpstream || !errors.Is(err, ErrPrematureEnd) || !le.Retryable {
			t.Errorf("cut at %d: err = %v, want retryable upstream error wrapping ErrPrematureEnd", n, err)
		}
	}
	// A transport error passes through unclassified.
	boom := errors.New("connection reset by peer")
	_, err := decodeAll(t, io.MultiReader(bytes.NewReader(in[:200]), errReader{boom}))
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want the read error", err)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
