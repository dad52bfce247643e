package openai

// RefusesParallelToolCalls reports whether an OpenAI model refuses
// parallel_tool_calls, true or false, on Chat Completions: the o-series
// (o1, o3-mini, o3, o4-mini) answer 400 "Unsupported parameter:
// 'parallel_tool_calls' is not supported with this model." (code
// unsupported_parameter; peers' threads: llama_index#20865,
// tensorzero#2805, langgraph-supervisor-py#52). GPT-5 and later take it.
func RefusesParallelToolCalls(model string) bool { return oSeries(modelID(model)) }
