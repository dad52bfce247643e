package e2e

import (
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
)

// Citations as a drop-in: an Anthropic client's documents with citations
// enabled reach Claude as sent, and Claude's cited text blocks come back
// to the client as Claude wrote them — each block apart, with its
// citations — complete and streamed (the SDK's accumulator building the
// same message from citations_delta events).
func TestAnthropicCitations(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	on := sdk.CitationsConfigParam{Enabled: sdk.Bool(true)}
	params := sdk.MessageNewParams{Model: "claude-haiku-4-5", MaxTokens: 300,
		Messages: []sdk.MessageParam{sdk.NewUserMessage(
			sdk.ContentBlockParamUnion{OfDocument: &sdk.DocumentBlockParam{Title: sdk.String("Lawn care"), Citations: on,
				Source: sdk.DocumentBlockParamSourceUnion{OfText: &sdk.PlainTextSourceParam{Data: "The grass is green. The sky is blue."}}}},
			sdk.ContentBlockParamUnion{OfDocument: &sdk.DocumentBlockParam{Title: sdk.String("Tiny"), Citations: on,
				Source: sdk.DocumentBlockParamSourceUnion{OfBase64: &sdk.Base64PDFSourceParam{Data: tinyPDF(t)}}}},
			sdk.NewTextBlock("What colour is the grass?"),
		)}}
	for _, streamed := range []bool{false, true} {
		msg := anthropicAsk(t, c, params, streamed)
		if len(msg.Content) != 3 || msg.Content[0].Type != "text" || len(msg.Content[0].Citations) != 0 {
			t.Fatalf("streamed %v: content %+v; want an uncited text block and two cited ones", streamed, msg.Content)
		}
		text := msg.Content[1]
		if len(text.Citations) != 1 || text.Text != " The grass is green." {
			t.Fatalf("streamed %v: the text document's block %+v", streamed, text)
		}
		if ct := text.Citations[0]; ct.Type != "char_location" || ct.CitedText != "The grass is green." || ct.DocumentIndex != 0 ||
			ct.DocumentTitle != "Lawn care" || ct.StartCharIndex != 0 || ct.EndCharIndex != 19 {
			t.Errorf("streamed %v: char_location %+v", streamed, ct)
		}
		pdf := msg.Content[2]
		if len(pdf.Citations) != 1 || pdf.Citations[0].Type != "page_location" || pdf.Citations[0].DocumentIndex != 1 ||
			pdf.Citations[0].StartPageNumber != 1 || pdf.Citations[0].EndPageNumber != 2 {
			t.Errorf("streamed %v: the PDF's block %+v", streamed, pdf)
		}
		if !strings.HasPrefix(msg.Content[0].Text, "I read the document") {
			t.Errorf("streamed %v: first block %q", streamed, msg.Content[0].Text)
		}
	}
	// An OpenAI-format deployment cannot cite: the text comes back whole,
	// in one block without citations.
	params.Model = "gpt-4o-mini"
	msg := anthropicAsk(t, c, params, true)
	if len(msg.Content) != 1 || len(msg.Content[0].Citations) != 0 || msg.Content[0].Text == "" {
		t.Errorf("gpt-4o-mini: %+v", msg.Content)
	}
}

// Search results (retrieval-augmented answers): returned by a tool or
// sent in the user's turn, they reach Claude as search_result blocks, and
// its search_result_location citations come back; an OpenAI-format
// deployment reads them as text.
func TestAnthropicSearchResults(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	result := sdk.SearchResultBlockParam{Source: "https://kb.example/lawn", Title: "Lawn care",
		Content:   []sdk.TextBlockParam{{Text: "The grass is green. Mow it weekly."}},
		Citations: sdk.CitationsConfigParam{Enabled: sdk.Bool(true)}}
	viaTool := func(model string) sdk.MessageNewParams {
		tr := sdk.ToolResultBlockParam{ToolUseID: "toolu_1", Content: []sdk.ToolResultBlockParamContentUnion{{OfSearchResult: &result}}}
		return sdk.MessageNewParams{Model: sdk.Model(model), MaxTokens: 300,
			Tools: []sdk.ToolUnionParam{{OfTool: &sdk.ToolParam{Name: "search", InputSchema: sdk.ToolInputSchemaParam{Properties: map[string]any{}}}}},
			Messages: []sdk.MessageParam{
				sdk.NewUserMessage(sdk.NewTextBlock("What colour is the grass?")),
				sdk.NewAssistantMessage(sdk.NewToolUseBlock("toolu_1", map[string]any{}, "search")),
				sdk.NewUserMessage(sdk.ContentBlockParamUnion{OfToolResult: &tr}),
			}}
	}
	inTurn := sdk.MessageNewParams{Model: "claude-haiku-4-5", MaxTokens: 300, Messages: []sdk.MessageParam{sdk.NewUserMessage(
		sdk.ContentBlockParamUnion{OfSearchResult: &result}, sdk.NewTextBlock("What colour is the grass?"))}}
	for name, params := range map[string]sdk.MessageNewParams{"tool result": viaTool("claude-haiku-4-5"), "user turn": inTurn} {
		for _, streamed := range []bool{false, true} {
			msg := anthropicAsk(t, c, params, streamed)
			if len(msg.Content) != 2 || !strings.Contains(msg.Content[0].Text, `the search result "Lawn care" (https://kb.example/lawn)`) {
				t.Fatalf("%s, streamed %v: %+v", name, streamed, msg.Content)
			}
			if cs := msg.Content[1].Citations; len(cs) != 1 || cs[0].Type != "search_result_location" || cs[0].Source != "https://kb.example/lawn" ||
				cs[0].Title != "Lawn care" || cs[0].CitedText != "The grass is green." || cs[0].SearchResultIndex != 0 || cs[0].EndBlockIndex != 1 {
				t.Errorf("%s, streamed %v: citations %+v", name, streamed, cs)
			}
		}
	}
	if msg := anthropicAsk(t, c, viaTool("gpt-4o-mini"), false); len(msg.Content) == 0 {
		t.Errorf("gpt-4o-mini, from a tool: %+v", msg)
	}
	inTurn.Model = "gpt-4o-mini"
	if msg := anthropicAsk(t, c, inTurn, true); len(msg.Content) != 1 || msg.Content[0].Text == "" || len(msg.Content[0].Citations) != 0 {
		t.Errorf("gpt-4o-mini: %+v", msg.Content)
	}
}
