// Package openai is the codec of OpenAI's Chat Completions, Embeddings and
// Models wire format, in both directions, between the bytes and the
// canonical llm types. The router's inbound API decodes client requests and
// encodes responses, chunks and errors with it; the OpenAI provider adapter
// encodes upstream requests and decodes upstream responses and chunks; the
// simulated OpenAI server uses both sides.
//
// Decoding a client request is strict: every error is an *llm.Error of kind
// invalid_request whose Param is the JSON path of the field
// ("messages[2].content") and whose Message says what to send instead, in
// OpenAI's wording. Decoding an upstream payload is lenient where vendors
// differ harmlessly, and its errors are *llm.Error values of kind upstream.
//
// The encoders are hand-written appenders (no reflection) because
// AppendChunk and AppendChatResponse run for every response the router
// sends; the decoders are a small in-place JSON scanner that copies each
// document once and slices its strings from that copy.
//
// Choices made where the canonical types and the wire format differ:
//   - max_tokens / max_completion_tokens both decode to Request.MaxTokens;
//     which name the client used is recorded in Extra (see
//     ExtraMaxCompletionTokens) and EncodeChatRequest writes the same name
//     back, max_tokens by default, the one every compatible vendor knows.
//   - Usage.CacheWriteTokens is written as
//     prompt_tokens_details.cache_write_tokens, the spec's field, only when
//     non-zero.
//   - Error types follow what OpenAI sends; see ErrorType.
//   - The deprecated functions / function_call parameters and "function"
//     role are rejected with a pointer to tools / tool_choice / "tool".
//   - service_tier and logprobs in responses are not carried by the
//     canonical response and are not written.
//
// All functions are safe for concurrent use.
package openai
