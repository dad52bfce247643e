package server

import (
	"testing"

	"switchyard/api/openai/batch"
	"switchyard/llm"
	"switchyard/provider"
)

// A line a provider batch failed with usage to bill (a Responses API
// response of status failed, retryable) goes back to the router carrying
// that call priced at the batch price, for the line's record to bill it;
// a line with no result, or failed with nothing used, carries none.
func TestRetriedLineCarriesItsFailedCall(t *testing.T) {
	dep := llm.Deployment{Name: "gpt-5-mini", InputPricePerM: 0.25, OutputPricePerM: 2}
	half := func(d llm.Deployment) llm.Deployment {
		d.InputPricePerM, d.OutputPricePerM = d.InputPricePerM/2, d.OutputPricePerM/2
		return d
	}
	failed := &llm.Error{Kind: llm.KindUpstream, Code: "server_error", Retryable: true, Message: "The server had an error while processing your request."}
	used := &llm.Usage{PromptTokens: 7, CompletionTokens: 2, TotalTokens: 9}
	l := batch.Line{Index: 3, CustomID: "c3"}
	got := retriedLine(l, &provider.BatchResult{CustomID: "x", Err: failed, Usage: used}, dep, half)
	if e := got.Earlier; e == nil || e.Deployment.Name != dep.Name || e.Deployment.InputPricePerM != 0.125 || e.Usage != *used || e.Err != failed || got.Index != 3 {
		t.Errorf("retried %+v, earlier %+v", got, got.Earlier)
	}
	for _, r := range []*provider.BatchResult{nil, {Err: failed}, {}} {
		if got := retriedLine(l, r, dep, half); got.Earlier != nil {
			t.Errorf("result %+v: carried %+v", r, got.Earlier)
		}
	}
}
