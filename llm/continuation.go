package llm

// Continuation names how a deployment continues a partial answer: the
// request ends with an assistant message (a prefill) and the model writes
// what comes after it. The empty value means the deployment cannot.
type Continuation string

// The continuation styles.
const (
	// ContinueNone: the deployment cannot continue a prefill.
	ContinueNone Continuation = ""
	// ContinueAnthropic: a final assistant message is continued natively
	// (Anthropic Messages); it must not end with whitespace.
	ContinueAnthropic Continuation = "anthropic"
	// ContinueVLLM: an OpenAI-compatible server that continues the final
	// assistant message when asked with "continue_final_message": true and
	// "add_generation_prompt": false (vLLM, SGLang).
	ContinueVLLM Continuation = "vllm"
	// ContinueDeepSeek: DeepSeek chat prefix completion, the final
	// assistant message marked "prefix": true (beta base URL).
	ContinueDeepSeek Continuation = "deepseek"
)

// Continuations lists the styles a configuration may name, "none" first.
var Continuations = []string{"none", string(ContinueAnthropic), string(ContinueVLLM), string(ContinueDeepSeek)}
