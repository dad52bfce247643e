package conformance

import (
	"fmt"
	"slices"
	"strings"
)

// allowExtra lists the fields, by "spec component path", that the router
// or a simulator sends although the published schema does not declare
// them, each with the reason it is there on purpose. Anything else a
// schema does not declare fails the tests.
var allowExtra = map[string]string{
	// The served cost in USD, OpenRouter's field, where SDKs read usage
	// (README "Cost", docs/cost.md#usagecost-the-served-cost-where-sdks-read-it).
	"openai CreateChatCompletionResponse .usage.cost":       "usage.cost: the router's served cost",
	"openai CreateChatCompletionStreamResponse .usage.cost": "usage.cost: the router's served cost",
	"openai Response .usage.cost":                           "usage.cost: the router's served cost",
	// An OpenAI-compatible host's reasoning text, as DeepSeek writes it,
	// on the message and the deltas (README, POST /v1/chat/completions;
	// docs/providers.md "Reasoning text of OpenAI-compatible hosts").
	"openai CreateChatCompletionResponse .choices[].message.reasoning_content":     "the host's reasoning text",
	"openai CreateChatCompletionStreamResponse .choices[].delta.reasoning_content": "the host's reasoning text",
	// The spec (2.3.0) is older than the live Response object: its own
	// examples show "store", and openai-go v3.105.0's Response declares
	// AccessPrograms (api:"required"), which the router writes as null.
	"openai Response .store":           "stale spec: in its own Response examples",
	"openai Response .access_programs": "stale spec: openai-go Response.AccessPrograms",
	// A Responses stream's error event: the spec puts code, message and
	// param at the top level, OpenAI sends them nested under "error", and
	// the SDKs (openai-go, npm openai) raise the stream's error only when
	// they find the nested object, so the router writes both
	// (docs/responses.md, "Streaming").
	"openai ResponseErrorEvent .error": "OpenAI's nested error, which the SDKs read",
	// A batch's served cost and every call billed for its lines
	// (docs/batches.md "How a batch runs").
	"openai Batch .cost_usd":                                      "the batch's served cost",
	"openai Batch .total_cost_usd":                                "every call billed for the batch",
	"openai ListBatchesResponse .data[].cost_usd":                 "the batch's served cost",
	"openai ListBatchesResponse .data[].total_cost_usd":           "every call billed for the batch",
	"anthropic MessageBatch .cost_usd":                            "the batch's served cost",
	"anthropic MessageBatch .total_cost_usd":                      "every call billed for the batch",
	"anthropic ListResponse_MessageBatch_ .data[].cost_usd":       "the batch's served cost",
	"anthropic ListResponse_MessageBatch_ .data[].total_cost_usd": "every call billed for the batch",
	// The Anthropic spec copy is older than anthropic-sdk-go v2.18.0,
	// whose Message declares Diagnostics and whose Usage declares
	// OutputTokensDetails and Speed, all api:"required"; the router
	// writes them as the live API does (docs/anthropic-api.md).
	"anthropic Message .diagnostics":                                   "stale spec: anthropic-sdk-go Message.Diagnostics",
	"anthropic Message .usage.output_tokens_details":                   "stale spec: anthropic-sdk-go Usage.OutputTokensDetails",
	"anthropic Message .usage.speed":                                   "stale spec: anthropic-sdk-go Usage.Speed",
	"anthropic MessageStartEvent .message.diagnostics":                 "stale spec: anthropic-sdk-go Message.Diagnostics",
	"anthropic MessageStartEvent .message.usage.output_tokens_details": "stale spec: anthropic-sdk-go Usage.OutputTokensDetails",
	"anthropic MessageStartEvent .message.usage.speed":                 "stale spec: anthropic-sdk-go Usage.Speed",
	// Google's JSON error envelope is a google.rpc.Status with the
	// code's name in "status" (AIP-193, "Errors": INVALID_ARGUMENT,
	// NOT_FOUND…); the discovery-derived spec has the proto Status alone.
	"gemini Status .status": "Google's JSON error envelope (AIP-193)",
	"anthropic MessageDeltaEvent .usage.output_tokens_details": "stale spec: anthropic-sdk-go MessageDeltaUsage.OutputTokensDetails",
}

// The Response object rides in the lifecycle events whole: what it may
// carry beyond the spec, they may. Its usage, and so its cost, is null
// until the answer is over: only the events that end an answer with one
// (completed, incomplete) carry the cost.
func init() {
	for _, ev := range []string{"Created", "InProgress", "Queued", "Completed", "Incomplete", "Failed"} {
		fields := []string{".store", ".access_programs"}
		if ev == "Completed" || ev == "Incomplete" {
			fields = append(fields, ".usage.cost")
		}
		for _, f := range fields {
			allowExtra["openai Response"+ev+"Event .response"+f] = allowExtra["openai Response "+f]
		}
	}
}

// patchSpec corrects the published specs where they are known to disagree
// with the live API and the official SDKs; each patch says why.
func patchSpec(name string, doc map[string]any) error {
	if name == "azure" {
		if err := patchSpec("openai", doc); err != nil {
			return err
		}
		return patchAzure(doc)
	}
	// All three documents mark fields that may be null with OpenAPI 3.0's
	// "nullable": true. The OpenAI and Anthropic documents declare OpenAPI
	// 3.1, whose JSON Schema 2020-12 ignores that keyword, so read
	// literally they forbid the nulls the APIs send and the SDKs decode
	// (finish_reason, logprobs and usage on every chat.completion.chunk;
	// stop_reason on Anthropic's message_start). Read it as the authors
	// meant it: the value, or null.
	nullable(doc)
	// OpenAI's CompoundFilter and BetaCompoundFilter recurse with JSON
	// Schema 2019-09's $recursiveAnchor/$recursiveRef, which the 2020-12
	// dialect of OpenAPI 3.1 replaced (its metaschema rejects a boolean
	// $recursiveAnchor): say the same with a plain $ref to the component.
	if name == "openai" {
		schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
		for _, c := range []string{"CompoundFilter", "BetaCompoundFilter"} {
			f, ok := schemas[c].(map[string]any)
			if !ok {
				return fmt.Errorf("no component %s to patch", c)
			}
			delete(f, "$recursiveAnchor")
			items := f["properties"].(map[string]any)["filters"].(map[string]any)["items"].(map[string]any)
			items["oneOf"].([]any)[1] = map[string]any{"$ref": "#/components/schemas/" + c}
		}
	}
	return patchByName(name, doc)
}

// nullable rewrites every {…, "nullable": true} in v into
// {"anyOf": [{…}, {"type": "null"}]}.
func nullable(v any) {
	switch x := v.(type) {
	case map[string]any:
		for _, sub := range x {
			nullable(sub)
		}
		if x["nullable"] != true {
			return
		}
		inner := make(map[string]any, len(x))
		for k, sub := range x {
			if k != "nullable" {
				inner[k] = sub
			}
		}
		clear(x)
		x["anyOf"] = []any{inner, map[string]any{"type": "null"}}
	case []any:
		for _, sub := range x {
			nullable(sub)
		}
	}
}

// optional lists, per spec, the "component.field"s whose required mark
// the providers' own documentation contradicts: the field may be absent.
var optional = map[string][]string{
	"anthropic": {
		// Anthropic's documented transcripts ("Streaming messages", "Tool
		// use", "Extended thinking"; verbatim in
		// wire/anthropic/testdata/stream_*.sse and response_*.json) send
		// text blocks without citations, tool_use blocks without caller,
		// and message_delta usage with output_tokens alone; the Python
		// SDK generated from the same spec gives each of these a default
		// (anthropic-sdk-python_types.tar.gz beside the spec: TextBlock
		// "citations: Optional[…] = None", ToolUseBlock "caller:
		// Optional[Caller] = None"), so it reads them absent.
		"ResponseTextBlock.citations",
		"ResponseToolUseBlock.caller",
		"ResponseServerToolUseBlock.caller",
		"MessageDeltaUsage.input_tokens",
		"MessageDeltaUsage.cache_creation_input_tokens",
		"MessageDeltaUsage.cache_read_input_tokens",
	},
}

// nullableFields lists, per spec, the "component.field"s the live API
// sends as null although the schema does not say it may be null.
var nullableFields = map[string][]string{
	"openai": {
		// The spec's own Response examples have "user": null, and
		// response.created's and response.in_progress's "usage": null.
		"ModelResponseProperties.user",
		"Response.usage",
		// The spec's own Batch examples have null for every timestamp
		// and file not reached yet, and "errors": null.
		"Batch.errors", "Batch.output_file_id", "Batch.error_file_id",
		"Batch.in_progress_at", "Batch.expires_at", "Batch.finalizing_at",
		"Batch.completed_at", "Batch.failed_at", "Batch.expired_at",
		"Batch.cancelling_at", "Batch.cancelled_at",
		// A file without an expiry has "expires_at": null, and the
		// deprecated status_details is null, as the OpenAI simulator
		// writes them; openai-python's FileObject (generated from this
		// spec) types both Optional[…] = None.
		"OpenAIFile.expires_at", "OpenAIFile.status_details",
		// A Response echoes a json_schema text format without a
		// description as "description": null: so do OpenAI's live
		// answers (recorded Responses in public HTTP cassettes, e.g.
		// "text":{"format":{"type":"json_schema","description":null,
		// "name":…}}), and openai-python types it Optional[str] = None.
		"TextResponseFormatJsonSchema.description",
	},
}

func patchByName(name string, doc map[string]any) error {
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	find := func(cf string) (map[string]any, string, error) {
		c, f, _ := strings.Cut(cf, ".")
		sch, ok := schemas[c].(map[string]any)
		if !ok {
			return nil, "", fmt.Errorf("no component %s to patch", c)
		}
		return sch, f, nil
	}
	for _, cf := range optional[name] {
		sch, f, err := find(cf)
		if err != nil {
			return err
		}
		req, _ := sch["required"].([]any)
		i := slices.Index(req, any(f))
		if i < 0 {
			return fmt.Errorf("%s is not required: the patch is stale", cf)
		}
		sch["required"] = slices.Delete(req, i, i+1)
	}
	for _, cf := range nullableFields[name] {
		sch, f, err := find(cf)
		if err != nil {
			return err
		}
		if err := widen(sch, f, map[string]any{"type": "null"}); err != nil {
			return fmt.Errorf("%s: %w", cf, err)
		}
	}
	if name == "openai" {
		// The embedding is a base64 string of little-endian float32s when
		// encoding_format is base64 (the API reference of that parameter;
		// openai-python and openai-node ask it by default and decode it),
		// though the spec types it an array alone.
		sch, f, err := find("Embedding.embedding")
		if err != nil {
			return err
		}
		if err := widen(sch, f, map[string]any{"type": "string", "contentEncoding": "base64"}); err != nil {
			return err
		}
	}
	return nil
}

// widen lets the property f of sch (or of one of the inline schemas of
// its allOf) also be alt.
func widen(sch map[string]any, f string, alt map[string]any) error {
	cands := []any{sch}
	if all, ok := sch["allOf"].([]any); ok {
		cands = append(cands, all...)
	}
	for _, c := range cands {
		m, _ := c.(map[string]any)
		props, _ := m["properties"].(map[string]any)
		if p, ok := props[f].(map[string]any); ok {
			props[f] = map[string]any{"anyOf": []any{p, alt}}
			return nil
		}
	}
	return fmt.Errorf("no property %s to patch", f)
}
