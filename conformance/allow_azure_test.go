package conformance

import (
	"fmt"
	"slices"
)

// Azure OpenAI's answers, checked against OpenAI's spec (as the "azure"
// spec), differ from OpenAI's where Azure documents it. Its content
// filter annotates answers: prompt_filter_results on the first chunk of
// a stream (a chunk of its own: no choices, empty id, model and object,
// created 0: Azure's "Content filtering" documentation, "Streaming"),
// and on a whole answer with each choice's content_filter_results (its
// response examples; the @azure/openai 2.0 types add
// prompt_filter_results to ChatCompletion and ChatCompletionChunk,
// content_filter_results to their choices). Its errors are its own:
// {code, message} (Azure OpenAI's data-plane REST reference, "Error":
// code and message required, param, type and inner_error optional), the
// content filter's with "type": null, the HTTP status and innererror
// (the content filtering documentation's error example: code
// content_filter, innererror.code ResponsibleAIPolicyViolation,
// content_filter_result). Its streams' chunks carry each choice's
// content_filter_results, and under the Asynchronous Filter the results
// come in annotation chunks of their own, a choice with no delta but
// content_filter_results and content_filter_offsets (Azure OpenAI's
// "Content streaming" documentation, its sample streams).
func init() {
	for k, v := range map[string]string{
		"azure CreateChatCompletionStreamResponse .prompt_filter_results":            "Azure's prompt annotations, on the first chunk of a stream",
		"azure CreateChatCompletionResponse .prompt_filter_results":                  "Azure's prompt annotations",
		"azure CreateChatCompletionStreamResponse .choices[].content_filter_results": "Azure's output annotations, per choice of a chunk or in an annotation chunk",
		"azure CreateChatCompletionStreamResponse .choices[].content_filter_offsets": "Azure's Asynchronous Filter: the text an annotation chunk covers",
		"azure CreateChatCompletionResponse .choices[].content_filter_results":       "Azure's output annotations, per choice",
		"azure ErrorResponse .error.status":                                          "Azure's content filter error: the HTTP status",
		"azure ErrorResponse .error.innererror":                                      "Azure's content filter error: ResponsibleAIPolicyViolation and the filter's results",
	} {
		allowExtra[k] = v
	}
	optional["azure"] = []string{"Error.param", "Error.type"}
	nullableFields["azure"] = []string{"Error.type"}
}

// patchAzure applies, after OpenAI's patches, what optional["azure"] and
// nullableFields["azure"] say, lets a chunk's object be "" (the prompt
// annotations' chunk of an Azure stream and the Asynchronous Filter's
// annotation chunks have object "") and a chunk's choice go without a
// delta (an annotation chunk's has none).
func patchAzure(doc map[string]any) error {
	if err := patchByName("azure", doc); err != nil {
		return err
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	chunk, _ := schemas["CreateChatCompletionStreamResponse"].(map[string]any)
	if err := widen(chunk, "object", map[string]any{"const": ""}); err != nil {
		return err
	}
	props, _ := chunk["properties"].(map[string]any)
	choices, _ := props["choices"].(map[string]any)
	choice, _ := choices["items"].(map[string]any)
	req, _ := choice["required"].([]any)
	i := slices.Index(req, any("delta"))
	if i < 0 {
		return fmt.Errorf("a chunk's choice does not require delta: the patch is stale")
	}
	choice["required"] = slices.Delete(req, i, i+1)
	return nil
}
