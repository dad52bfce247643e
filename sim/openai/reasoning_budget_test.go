package openai

import (
	"encoding/json"
	"testing"

	"switchyard/sim"
)

// A reasoning model's max_completion_tokens (max_output_tokens on the
// Responses API) bounds its reasoning and its visible output together
// (OpenAI's API reference: "an upper bound for the number of tokens that
// can be generated for a completion, including visible output tokens and
// reasoning tokens"): the usage never reports more; a bound the
// reasoning spends whole leaves no text, finish length (incomplete,
// max_output_tokens). A bound above what the answer needs changes nothing.
func TestReasoningWithinMaxTokens(t *testing.T) {
	url, hc := start(t, New(sim.NewCatalog(sim.Profile{Model: "o4-mini", Reasoning: true}), nil))
	type usage struct {
		Completion int `json:"completion_tokens"`
		Output     int `json:"output_tokens"`
		Details    struct {
			Reasoning int `json:"reasoning_tokens"`
		} `json:"completion_tokens_details"`
		OutDetails struct {
			Reasoning int `json:"reasoning_tokens"`
		} `json:"output_tokens_details"`
	}
	const prompt = "Write a long essay about the rivers of Europe, please."
	for _, max := range []int{16, 40, 4000} {
		body := `{"model":"o4-mini","max_completion_tokens":` + itoa(max) + `,"messages":[{"role":"user","content":"` + prompt + `"}]}`
		status, _, out := do(t, hc, "POST", url+"/v1/chat/completions", body, bearer)
		var chat struct {
			Choices []struct {
				Message struct {
					Content string `json:"content"`
				} `json:"message"`
				Finish string `json:"finish_reason"`
			} `json:"choices"`
			Usage usage `json:"usage"`
		}
		if status != 200 || json.Unmarshal([]byte(out), &chat) != nil || len(chat.Choices) != 1 {
			t.Fatalf("chat max %d: %d %s", max, status, out)
		}
		u, c := chat.Usage, chat.Choices[0]
		if u.Completion > max || u.Details.Reasoning == 0 || u.Details.Reasoning > u.Completion {
			t.Errorf("chat max %d: usage %+v", max, u)
		}
		if wantCut := max < 1000; (c.Finish == "length") != wantCut || (max == 16) != (c.Message.Content == "") {
			t.Errorf("chat max %d: finish %q content %q", max, c.Finish, c.Message.Content)
		}

		body = `{"model":"o4-mini","max_output_tokens":` + itoa(max) + `,"input":"` + prompt + `"}`
		status, _, out = do(t, hc, "POST", url+"/v1/responses", body, bearer)
		var resp struct {
			Status string `json:"status"`
			Usage  usage  `json:"usage"`
		}
		if status != 200 || json.Unmarshal([]byte(out), &resp) != nil {
			t.Fatalf("responses max %d: %d %s", max, status, out)
		}
		if ru := resp.Usage; ru.Output > max || ru.OutDetails.Reasoning == 0 || (resp.Status == "incomplete") != (max < 1000) {
			t.Errorf("responses max %d: status %s usage %+v", max, resp.Status, ru)
		}
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
