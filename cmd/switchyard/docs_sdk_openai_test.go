package main

import (
	"context"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/sim"
	simserver "switchyard/sim/server"
)

// The documents' Go snippets, verbatim, so that they compile with the
// real SDKs and packages; TestDocGoSnippets checks the documents still
// say exactly this. Each function holds one snippet.

func _(ctx context.Context) (any, error) { // README.md: the openai-go client
	client := openai.NewClient(option.WithBaseURL("http://127.0.0.1:8080/v1"), option.WithAPIKey("demo"))
	resp, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
		Model:    "auto",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hi")},
	})
	return resp, err
}

func _() { // docs/simulator.md: a simulator in Go code
	srv := simserver.New(simserver.DemoCatalogs(0), nil)
	srv.Behavior.Knowledge.Add(sim.Entry{Prompt: "…", Answer: "…", Category: "factual"})
	srv.Behavior.SetAccuracy("gpt-4o-mini", map[string]float64{"reasoning": 0.5})
}
