package llm

// This file sums usages and takes one out of a sum.

// Add accumulates u2 into u.
func (u *Usage) Add(u2 Usage) {
	u.PromptTokens += u2.PromptTokens
	u.CompletionTokens += u2.CompletionTokens
	u.TotalTokens += u2.TotalTokens
	u.CachedPromptTokens += u2.CachedPromptTokens
	u.CacheWriteTokens += u2.CacheWriteTokens
	u.CacheWrite1hTokens += u2.CacheWrite1hTokens
	u.ReasoningTokens += u2.ReasoningTokens
	u.AudioPromptTokens += u2.AudioPromptTokens
	u.AudioCompletionTokens += u2.AudioCompletionTokens
	u.CachedAudioPromptTokens += u2.CachedAudioPromptTokens
	u.AcceptedPredictionTokens += u2.AcceptedPredictionTokens
	u.RejectedPredictionTokens += u2.RejectedPredictionTokens
	u.WebSearchRequests += u2.WebSearchRequests
	u.WebFetchRequests += u2.WebFetchRequests
	u.FileSearchCalls += u2.FileSearchCalls
	u.ContainerSessions += u2.ContainerSessions
	u.ReportedCostUSD += u2.ReportedCostUSD
	u.CostReported = u.CostReported || u2.CostReported
	if u.ServiceTier == "" {
		u.ServiceTier = u2.ServiceTier
	}
	if u.InferenceGeo == "" {
		u.InferenceGeo = u2.InferenceGeo
	}
	if u.Speed == "" {
		u.Speed = u2.Speed
	}
	u.Advisor = u.Advisor.join(u2.Advisor)
	u.Compaction = u.Compaction.plus(u2.Compaction)
}

// Sub removes the counts of u2 from u, the counts Add adds (u keeps its
// tier, geo, speed, advisor and compaction): what is left of a sum of
// two usages once one of them is billed apart.
func (u *Usage) Sub(u2 Usage) {
	u.PromptTokens -= u2.PromptTokens
	u.CompletionTokens -= u2.CompletionTokens
	u.TotalTokens -= u2.TotalTokens
	u.CachedPromptTokens -= u2.CachedPromptTokens
	u.CacheWriteTokens -= u2.CacheWriteTokens
	u.CacheWrite1hTokens -= u2.CacheWrite1hTokens
	u.ReasoningTokens -= u2.ReasoningTokens
	u.AudioPromptTokens -= u2.AudioPromptTokens
	u.AudioCompletionTokens -= u2.AudioCompletionTokens
	u.CachedAudioPromptTokens -= u2.CachedAudioPromptTokens
	u.AcceptedPredictionTokens -= u2.AcceptedPredictionTokens
	u.RejectedPredictionTokens -= u2.RejectedPredictionTokens
	u.WebSearchRequests -= u2.WebSearchRequests
	u.WebFetchRequests -= u2.WebFetchRequests
	u.FileSearchCalls -= u2.FileSearchCalls
	u.ContainerSessions -= u2.ContainerSessions
	u.ReportedCostUSD -= u2.ReportedCostUSD
}
