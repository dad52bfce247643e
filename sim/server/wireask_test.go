package server

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// wireAnswer is what one chat request answered, read from its wire format.
type wireAnswer struct {
	text   string
	finish string
	// output is the usage's completion tokens (OpenAI), output_tokens
	// (Anthropic) or candidates tokens (Gemini: the answer's, without the
	// thoughts, which a Gemini 2.5 model spends by default whatever it
	// answers).
	output int
}

// wireModel is the chat model each wire format's test requests ask for.
var wireModel = map[Wire]string{OpenAI: "gpt-4o", Azure: "gpt-4o-mini", Anthropic: "claude-haiku-4-5", Gemini: "gemini-2.5-flash"}

// askWire sends prompt to the demo model of wire w on the server at url,
// streamed or not, and decodes the answer.
func askWire(t *testing.T, url string, w Wire, stream bool, prompt string) wireAnswer {
	t.Helper()
	req := wireRequest(url, w, stream, prompt)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("%s: status %d", w, resp.StatusCode)
	}
	var ans wireAnswer
	if !stream {
		var v wireJSON
		if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
			t.Fatal(err)
		}
		v.add(&ans)
		return ans
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		data, ok := strings.CutPrefix(strings.TrimRight(sc.Text(), "\r"), "data: ")
		if !ok || data == "[DONE]" {
			continue
		}
		var v wireJSON
		if err := json.Unmarshal([]byte(data), &v); err != nil {
			t.Fatalf("%s: event %s: %v", w, data, err)
		}
		v.add(&ans)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return ans
}

func wireRequest(url string, w Wire, stream bool, prompt string) *http.Request {
	model := wireModel[w]
	msgs, _ := json.Marshal([]map[string]string{{"role": "user", "content": prompt}})
	var path, body string
	header := map[string]string{}
	switch w {
	case OpenAI, Azure:
		path = "/openai/v1/chat/completions"
		header["Authorization"] = "Bearer k"
		if w == Azure {
			path = "/azure/openai/deployments/" + model + "/chat/completions?api-version=2024-10-21"
			header = map[string]string{"api-key": "k"}
		}
		body = fmt.Sprintf(`{"model":%q,"messages":%s,"stream":%v}`, model, msgs, stream)
		if stream {
			body = body[:len(body)-1] + `,"stream_options":{"include_usage":true}}`
		}
	case Anthropic:
		path = "/anthropic/v1/messages"
		header["x-api-key"], header["anthropic-version"] = "k", "2023-06-01"
		body = fmt.Sprintf(`{"model":%q,"max_tokens":4000,"messages":%s,"stream":%v}`, model, msgs, stream)
	case Gemini:
		path = "/gemini/v1beta/models/" + model + ":generateContent"
		if stream {
			path = "/gemini/v1beta/models/" + model + ":streamGenerateContent?alt=sse"
		}
		header["x-goog-api-key"] = "k"
		parts, _ := json.Marshal(prompt)
		body = `{"contents":[{"role":"user","parts":[{"text":` + string(parts) + `}]}]}`
	}
	req, _ := http.NewRequest("POST", url+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return req
}

// wireJSON holds the fields of any of the four formats' responses and
// stream events that carry text, finish reason and output usage.
type wireJSON struct {
	// OpenAI and Azure.
	Choices []struct {
		Message      *struct{ Content string } `json:"message"`
		Delta        *struct{ Content string } `json:"delta"`
		FinishReason string                    `json:"finish_reason"`
	} `json:"choices"`
	Usage *struct {
		CompletionTokens int `json:"completion_tokens"`
		OutputTokens     int `json:"output_tokens"`
	} `json:"usage"`
	// Anthropic.
	Type    string `json:"type"`
	Content []struct {
		Type, Text string
	} `json:"content"`
	StopReason string `json:"stop_reason"`
	Delta      *struct {
		Type, Text string
		StopReason string `json:"stop_reason"`
	} `json:"delta"`
	// Gemini.
	Candidates []struct {
		Content struct {
			Parts []struct{ Text string } `json:"parts"`
		} `json:"content"`
		FinishReason string `json:"finishReason"`
	} `json:"candidates"`
	UsageMetadata *struct {
		CandidatesTokenCount int `json:"candidatesTokenCount"`
	} `json:"usageMetadata"`
}

// add folds one response or event into ans: text is appended, the last
// finish reason and output usage win.
func (v *wireJSON) add(ans *wireAnswer) {
	for _, c := range v.Choices {
		if c.Message != nil {
			ans.text += c.Message.Content
		}
		if c.Delta != nil {
			ans.text += c.Delta.Content
		}
		if c.FinishReason != "" {
			ans.finish = c.FinishReason
		}
	}
	if v.Usage != nil {
		ans.output = max(v.Usage.CompletionTokens, v.Usage.OutputTokens)
	}
	for _, c := range v.Content {
		ans.text += c.Text
	}
	if v.StopReason != "" {
		ans.finish = v.StopReason
	}
	if d := v.Delta; d != nil && v.Type != "" {
		ans.text += d.Text
		if d.StopReason != "" {
			ans.finish = d.StopReason
		}
	}
	if len(v.Candidates) > 0 {
		for _, p := range v.Candidates[0].Content.Parts {
			ans.text += p.Text
		}
		if f := v.Candidates[0].FinishReason; f != "" {
			ans.finish = f
		}
	}
	if u := v.UsageMetadata; u != nil {
		ans.output = u.CandidatesTokenCount
	}
}

func post(t *testing.T, url, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func del(t *testing.T, url string) int {
	t.Helper()
	req, _ := http.NewRequest("DELETE", url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
