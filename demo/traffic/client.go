package traffic

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// This file is the traffic's HTTP client of the router's /v1 API, as any
// OpenAI client calls it: chat completions (whole, or streamed as
// server-sent events), feedback and embeddings.

// message is a chat message as the API takes it.
type message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// answer is what a chat request got.
type answer struct {
	// ID is its x-switchyard-request-id, Deployment its
	// x-switchyard-deployment.
	ID, Deployment string
	// Text is the answer's content (for a stream, its deltas').
	Text string
}

// client calls one router.
type client struct {
	http *http.Client
	// base is the router's address (http://host:port), key the bearer
	// token sent ("" none).
	base, key string
}

// maxErrorBody bounds what an error quotes of an answer's body.
const maxErrorBody = 200

// chat sends messages to model for user and returns the answer.
func (c *client) chat(ctx context.Context, model, user string, msgs []message, stream bool) (answer, error) {
	body := map[string]any{"model": model, "messages": msgs, "user": user}
	if stream {
		body["stream"] = true
	}
	resp, err := c.post(ctx, "/v1/chat/completions", body)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	a := answer{ID: resp.Header.Get("x-switchyard-request-id"), Deployment: resp.Header.Get("x-switchyard-deployment")}
	if stream {
		a.Text, err = readStream(resp.Body)
	} else {
		a.Text, err = readWhole(resp.Body)
	}
	if err != nil {
		return answer{}, fmt.Errorf("chat %s (%s): %w", model, a.ID, err)
	}
	return a, nil
}

// readWhole returns a chat completion's first choice's content.
func readWhole(r io.Reader) (string, error) {
	var c struct {
		Choices []struct {
			Message struct {
				Content string `json:"content"`
			} `json:"message"`
		} `json:"choices"`
	}
	if err := json.NewDecoder(r).Decode(&c); err != nil {
		return "", fmt.Errorf("decode the answer: %w", err)
	}
	if len(c.Choices) == 0 {
		return "", errors.New("the answer has no choice")
	}
	return c.Choices[0].Message.Content, nil
}

// readStream returns the content of a chat completion stream's deltas,
// up to its [DONE]; an error event or a stream without [DONE] is an
// error.
func readStream(r io.Reader) (string, error) {
	var text strings.Builder
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data:")
		if !ok {
			continue
		}
		data = strings.TrimSpace(data)
		if data == "[DONE]" {
			return text.String(), nil
		}
		var ev struct {
			Choices []struct {
				Delta struct {
					Content string `json:"content"`
				} `json:"delta"`
			} `json:"choices"`
			Error *struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			return "", fmt.Errorf("decode a stream event: %w", err)
		}
		if ev.Error != nil {
			return "", fmt.Errorf("the stream failed: %s", ev.Error.Message)
		}
		for _, ch := range ev.Choices {
			text.WriteString(ch.Delta.Content)
		}
	}
	if err := sc.Err(); err != nil {
		return "", fmt.Errorf("read the stream: %w", err)
	}
	return "", errors.New("the stream ended without [DONE]")
}

// feedback posts a rating (the body of POST /v1/feedback).
func (c *client) feedback(ctx context.Context, body []byte) error {
	resp, err := c.post(ctx, "/v1/feedback", json.RawMessage(body))
	if err != nil {
		return err
	}
	resp.Body.Close()
	return nil
}

// embed asks model for the embedding of input.
func (c *client) embed(ctx context.Context, model, input string) error {
	resp, err := c.post(ctx, "/v1/embeddings", map[string]any{"model": model, "input": input})
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// post sends body as JSON to path and returns a 2xx answer; another
// status is an error quoting the start of the answer's body.
func (c *client) post(ctx context.Context, path string, body any) (*http.Response, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("POST %s: %w", path, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("POST %s: %w", path, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("POST %s: %w", path, err)
	}
	if resp.StatusCode/100 != 2 {
		defer resp.Body.Close()
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		return nil, fmt.Errorf("POST %s: %s: %s", path, resp.Status, bytes.TrimSpace(msg))
	}
	return resp, nil
}
