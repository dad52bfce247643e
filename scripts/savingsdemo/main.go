// Command savingsdemo sends the simulators' known questions to a demo
// router's route auto and rates every answer — up when it is the known
// answer, down otherwise — so that `switchyard report` has traffic and
// feedback to show its savings on (docs/report.md#savings-what-routing-saved):
//
//	go run ./cmd/switchyard serve --demo --sim-latency 0 --addr 127.0.0.1:18931
//	go run ./scripts/savingsdemo --url http://127.0.0.1:18931 --knowledge URL
//
// URL is the simulators' knowledge list the serve banner prints
// (http://127.0.0.1:PORT/openai/_sim/knowledge).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"
)

// known is one question the simulators know the answer to.
type known struct {
	Prompt string `json:"prompt"`
	Answer string `json:"answer"`
}

func main() {
	url := flag.String("url", "http://127.0.0.1:18931", "the demo router")
	knowledge := flag.String("knowledge", "", "the simulators' knowledge list (printed by serve --demo)")
	rounds := flag.Int("rounds", 2, "times each question is asked")
	flag.Parse()
	if err := run(*url, *knowledge, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "savingsdemo:", err)
		os.Exit(1)
	}
}

func run(url, knowledgeURL string, rounds int) error {
	qs, err := questions(knowledgeURL)
	if err != nil {
		return err
	}
	up, down := 0, 0
	for range rounds {
		for _, q := range qs {
			id, text, err := ask(url, q.Prompt)
			if err != nil {
				return err
			}
			thumbs := "down"
			if strings.Contains(text, strings.TrimSpace(q.Answer)) {
				thumbs = "up"
				up++
			} else {
				down++
			}
			if _, err := post(url+"/v1/feedback", map[string]string{"request_id": id, "thumbs": thumbs}); err != nil {
				return err
			}
		}
	}
	fmt.Printf("%d answers rated up, %d down\n", up, down)
	return nil
}

// questions reads the knowledge list: one JSON object a line.
func questions(url string) ([]known, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out []known
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		var k known
		if err := json.Unmarshal(sc.Bytes(), &k); err != nil {
			return nil, fmt.Errorf("knowledge line %q: %w", sc.Text(), err)
		}
		out = append(out, k)
	}
	return out, sc.Err()
}

// ask sends prompt to route auto and returns the request id and answer.
func ask(url, prompt string) (string, string, error) {
	body := map[string]any{"model": "auto", "messages": []map[string]string{{"role": "user", "content": prompt}}}
	resp, err := post(url+"/v1/chat/completions", body)
	if err != nil {
		return "", "", err
	}
	defer resp.Body.Close()
	var c struct {
		Choices []struct {
			Message struct{ Content string } `json:"message"`
		} `json:"choices"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil || len(c.Choices) == 0 {
		return "", "", fmt.Errorf("answer to %q: %v", prompt, err)
	}
	return resp.Header.Get("x-switchyard-request-id"), c.Choices[0].Message.Content, nil
}

func post(url string, body any) (*http.Response, error) {
	b, _ := json.Marshal(body)
	req, err := http.NewRequest("POST", url, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer demo")
	resp, err := http.DefaultClient.Do(req)
	if err == nil && resp.StatusCode >= 300 {
		resp.Body.Close()
		return nil, fmt.Errorf("POST %s: %s", url, resp.Status)
	}
	return resp, err
}
