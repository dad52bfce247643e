package openai

import (
	"context"

	"switchyard/llm"
	"switchyard/provider/thinking"
	"switchyard/provider/toolname"
	wire "switchyard/wire/openai"
)

// This file gives a provider batch's answer what Stream gives a live one
// (provider.Batcher's RestoreAnswer).

// RestoreAnswer implements provider.Batcher: the reasoning a host wrote
// beside the answer (reasoning_content, a Responses reasoning item; in
// it, a <think> block opening a chat answer: splitAnswerTags) and
// the thought signatures of its tool calls marked with their model and
// kept in the thinking memory where Stream keeps them (batchKeepsThinking), the reasoning then kept
// in resp only for a client that sees it (chatShowsThinking; on the
// Responses API, Reasoning.Show alone), and the function names
// SubmitBatch sent short (toolname.Shorten, as Stream does) given back
// whole.
func (c *Client) RestoreAnswer(ctx context.Context, req *llm.Request, resp *llm.Response) {
	if resp == nil {
		return
	}
	if !c.UsesResponses(req) {
		splitAnswerTags(req, resp)
		if c.sendsSignatures(req) {
			markSignatures(resp, llm.SignatureModelID(req.ModelID()))
		}
	}
	c.keepBatchThinking(thinking.Scope(ctx), req, resp)
	shows := chatShowsThinking(req)
	if c.UsesResponses(req) {
		shows = req.Reasoning != nil && req.Reasoning.Show
	}
	if !shows {
		resp.DropThinking()
	}
	_, names := toolname.Shorten(req, toolname.OpenAIMax)
	toolname.RestoreResponse(resp, names)
}

// markSignatures marks the signed tool calls of resp with model, the
// model that made their signatures (llm.ToolCall.SignatureModel), as
// Stream marks a live answer's (keepSignatures).
func markSignatures(resp *llm.Response, model string) {
	for i := range resp.Choices {
		m := &resp.Choices[i].Message
		calls := m.ToolCalls()
		marked := false
		for j := range calls {
			if calls[j].Signature != "" && calls[j].SignatureModel == "" {
				if !marked {
					calls, marked = append([]llm.ToolCall(nil), calls...), true
				}
				calls[j].SignatureModel = model
			}
		}
		if marked {
			m.SetToolCalls(calls)
		}
	}
}

// keepBatchThinking leaves in the thinking memory, in scope, what Stream
// would of resp, the answer to req: the thought signatures of its tool
// calls for a host that wants them back (sendsSignatures), its reasoning
// under its calls' ids for one that wants reasoning_content, <think>
// tags or reasoning_details back, or from the Responses API.
func (c *Client) keepBatchThinking(scope string, req *llm.Request, resp *llm.Response) {
	if c.thoughts == nil || len(req.Tools) == 0 {
		return
	}
	responses := c.UsesResponses(req)
	signatures := !responses && c.sendsSignatures(req)
	reasoning := responses || wire.SendsReasoningContent(req) || wire.SendsThinkTags(req) || c.sendsDetails(req)
	for i := range resp.Choices {
		m := &resp.Choices[i].Message
		calls := m.ToolCalls()
		ids := make([]string, 0, len(calls))
		for _, tc := range calls {
			ids = append(ids, tc.ID)
			if signatures && tc.Signature != "" {
				c.thoughts.KeepSignature(scope, tc.ID, tc.Signature, llm.SignatureModelID(req.ModelID()))
			}
		}
		if reasoning {
			c.thoughts.Keep(scope, ids, m.Thinking())
		}
	}
}
