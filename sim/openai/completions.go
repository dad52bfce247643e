package openai

import (
	"encoding/json"
	"net/http"
	"time"
	"unicode/utf8"

	"switchyard/sim"
)

// This file is the legacy completions endpoint (POST /v1/completions) of
// a completions-only model (sim.Profile.Completion: gpt-3.5-turbo-instruct,
// davinci-002): a prompt in, text_completion objects out, complete or
// streamed, with legacy log probabilities; a chat model asked there is the
// API's 404.

// legacyRequest is the part of a completions request the simulator reads.
type legacyRequest struct {
	Model         string          `json:"model"`
	Prompt        json.RawMessage `json:"prompt"`
	MaxTokens     *int            `json:"max_tokens"`
	N             *int            `json:"n"`
	Stream        bool            `json:"stream"`
	StreamOptions *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
	Logprobs *int     `json:"logprobs"`
	Echo     bool     `json:"echo"`
	Stop     []string `json:"stop"`
}

// legacyChoice is one choice of a text_completion object.
type legacyChoice struct {
	Text         string          `json:"text"`
	Index        int             `json:"index"`
	Logprobs     json.RawMessage `json:"logprobs"`
	FinishReason *string         `json:"finish_reason"`
}

// legacyObject is a text_completion object, complete or a stream's event.
type legacyObject struct {
	ID      string         `json:"id"`
	Object  string         `json:"object"`
	Created int64          `json:"created"`
	Model   string         `json:"model"`
	Choices []legacyChoice `json:"choices"`
	Usage   *legacyUsage   `json:"usage,omitempty"`
}

type legacyUsage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// completions serves POST /v1/completions (and Azure's deployment route).
func (s *server) completions(c *call) {
	req, ok := readRequest(c, func(b []byte) (*legacyRequest, error) {
		var r legacyRequest
		return &r, json.Unmarshal(b, &r)
	})
	if !ok {
		return
	}
	c.useDeployment(&req.Model)
	p, ok := s.profile(c, req.Model)
	if !ok {
		return
	}
	prompt, ok := legacyPrompt(c, req, p)
	if !ok {
		return
	}
	ask := sim.Ask{Model: req.Model, Prompt: prompt, PromptTokens: sim.CountTokens(prompt), MaxTokens: 16}
	if req.MaxTokens != nil {
		ask.MaxTokens = *req.MaxTokens
	}
	ft := s.faults.Pick(req.Model, prompt)
	if s.failEarly(c, ft, p) {
		return
	}
	ans := s.behavior.Respond(p, ask).Stop(req.Stop)
	if req.Echo {
		ans.Text = prompt + ans.Text
		ans.Pieces = append([]string{prompt}, ans.Pieces...)
	}
	n := 1
	if req.N != nil && *req.N > 1 {
		n = *req.N
	}
	usage := legacyUsage{PromptTokens: ask.PromptTokens, CompletionTokens: ans.CompletionTokens * n}
	usage.TotalTokens = usage.PromptTokens + usage.CompletionTokens
	if req.Stream {
		s.streamLegacy(c, req, p, ans, n, usage, ft)
		return
	}
	if !sim.Sleep(c.r.Context(), p.FirstTokenDelay()+p.PieceDelay(ans.CompletionTokens)) {
		return
	}
	out := legacyObject{ID: newID("cmpl-"), Object: "text_completion", Created: time.Now().Unix(), Model: p.Model, Usage: &usage}
	for i := range n {
		out.Choices = append(out.Choices, legacyChoice{Text: ans.Text, Index: i, Logprobs: legacyLogprobs(req, ans.Pieces, 0), FinishReason: &ans.Finish})
	}
	body, _ := json.Marshal(out)
	s.writeAnswer(c, ft, append(body, '\n'))
}

// legacyPrompt checks the model and reads the prompt (a string, or an
// array of one), answering as the API does when it cannot.
func legacyPrompt(c *call, req *legacyRequest, p *sim.Profile) (string, bool) {
	if !p.Completion {
		c.fail(http.StatusNotFound, apiError{Message: "This is a chat model and not supported in the v1/completions endpoint. Did you mean to use v1/chat/completions?", Type: "invalid_request_error", Param: "model"})
		return "", false
	}
	var prompt string
	if json.Unmarshal(req.Prompt, &prompt) != nil {
		var list []string
		if json.Unmarshal(req.Prompt, &list) != nil || len(list) != 1 {
			c.fail(http.StatusBadRequest, apiError{Message: "Invalid 'prompt': expected a string or an array of one string.", Type: "invalid_request_error", Param: "prompt"})
			return "", false
		}
		prompt = list[0]
	}
	return prompt, true
}

// streamLegacy streams the answer as text_completion events, a piece
// each, the finish reason on each choice's last, the usage after them
// when asked for, then [DONE].
func (s *server) streamLegacy(c *call, req *legacyRequest, p *sim.Profile, ans sim.Answer, n int, usage legacyUsage, ft sim.Fault) {
	ctx := c.r.Context()
	if !sim.Sleep(ctx, p.FirstTokenDelay()) {
		return
	}
	s.okRateHeaders(c)
	c.w.Header().Set("Cache-Control", "no-cache")
	c.header(http.StatusOK, "text/event-stream; charset=utf-8")
	sw := &sseWriter{w: c.w, rc: http.NewResponseController(c.w)}
	head := legacyObject{ID: newID("cmpl-"), Object: "text_completion", Created: time.Now().Unix(), Model: p.Model}
	offset := 0
	for k, piece := range ans.Pieces {
		if k > 0 && !sw.pause(ctx, p.PieceDelay(1)) {
			return
		}
		if ft.Kind == sim.FaultCut && k == max(ft.After, 1) {
			sw.flush()
			sim.Cut()
		}
		ev := head
		for i := range n {
			ch := legacyChoice{Text: piece, Index: i, Logprobs: legacyLogprobs(req, []string{piece}, offset)}
			if k == len(ans.Pieces)-1 {
				ch.FinishReason = &ans.Finish
			}
			ev.Choices = append(ev.Choices, ch)
		}
		offset += utf8.RuneCountInString(piece)
		if !writeEvent(sw, ev) {
			return
		}
	}
	if req.StreamOptions != nil && req.StreamOptions.IncludeUsage {
		ev := head
		ev.Choices, ev.Usage = []legacyChoice{}, &usage
		if !writeEvent(sw, ev) {
			return
		}
	}
	if sw.raw([]byte("[DONE]")) {
		sw.flush()
	}
}

func writeEvent(sw *sseWriter, v legacyObject) bool {
	data, _ := json.Marshal(v)
	return sw.raw(data)
}

// legacyLogprobs is the logprobs object of pieces (each a token) starting
// at character offset, when the request asked for them: each token at
// -0.25, and as many alternatives as asked, the token first.
func legacyLogprobs(req *legacyRequest, pieces []string, offset int) json.RawMessage {
	if req.Logprobs == nil {
		return json.RawMessage("null")
	}
	type obj struct {
		Tokens        []string             `json:"tokens"`
		TokenLogprobs []float64            `json:"token_logprobs"`
		TopLogprobs   []map[string]float64 `json:"top_logprobs"`
		TextOffset    []int                `json:"text_offset"`
	}
	var o obj
	for _, t := range pieces {
		o.Tokens, o.TokenLogprobs, o.TextOffset = append(o.Tokens, t), append(o.TokenLogprobs, -0.25), append(o.TextOffset, offset)
		top := map[string]float64{}
		if *req.Logprobs > 0 {
			top[t] = -0.25
			for k := 1; k < *req.Logprobs; k++ {
				top[t+string(rune('a'+k))] = -1.5 - float64(k)
			}
		}
		o.TopLogprobs = append(o.TopLogprobs, top)
		offset += utf8.RuneCountInString(t)
	}
	raw, _ := json.Marshal(o)
	return raw
}
