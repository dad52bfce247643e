package gemini

import "switchyard/llm"

// Grounding with Google Search is billed past a free allowance per
// project, which the router does not see, so an answer's searches are
// priced at Google's list price (llm.GeminiGroundedPromptUSD,
// llm.GeminiSearchQueryUSD); a deployment's price.web_search overrides
// it (0 when the allowance covers the searches).

// GroundingUSD is the list price of one web search a Gemini model's
// answer counts (billedSearches): a grounded prompt before Gemini 3
// ($35 per 1,000), a search query since ($14 per 1,000; a model id the
// router does not know is taken for a later one).
func GroundingUSD(model string) float64 {
	if beforeGemini3(model) {
		return llm.GeminiGroundedPromptUSD
	}
	return llm.GeminiSearchQueryUSD
}

// billedSearches is the web searches (Usage.WebSearchRequests) of an
// answer of model whose candidates ran queries search queries (their
// groundingMetadata.webSearchQueries): before Gemini 3, one grounded
// prompt when it searched at all; since, each query. An answer that did
// not search counts none.
func billedSearches(model string, queries int) int {
	if queries > 0 && beforeGemini3(model) {
		return 1
	}
	return queries
}
