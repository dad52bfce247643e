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
//   - Explicit prompt caching: a part's prompt_cache_breakpoint is its
//     Part.Cache with the lifetime asked (CacheBreakpoint), the request's
//     prompt_cache_options Request.PromptCache; EncodeChatRequest writes
//     both only for a model that takes them (ExplicitCacheModel, GPT-5.6
//     and later), the latest 80 breakpoints (llm.MaxCacheMatchBreakpoints:
//     OpenAI writes the latest four and matches at all; cache_encode.go).
//   - Error types follow what OpenAI sends; see ErrorType.
//   - The deprecated functions / function_call parameters and "function"
//     role are rejected with a pointer to tools / tool_choice / "tool".
//   - logprobs and top_logprobs decode to Request.Logprobs and
//     Request.TopLogprobs (top_logprobs from 0 to 20, only with logprobs
//     true, with OpenAI's messages). A choice's logprobs, in responses and
//     chunks, are carried by Choice.Logprobs and ChunkChoice.Logprobs and
//     written exactly in OpenAI's shape: null when none, else content and
//     refusal lists (null when absent, [] when empty), each token with
//     token, logprob, bytes (null when unknown) and top_logprobs. Decoding
//     them is lenient: a missing or null top_logprobs is an empty list, a
//     null logprob 0. The chunk fast path (chunkfast.go) takes only chunks
//     without logprobs; the others go to the general decoder.
//   - A request's service_tier is Request.ServiceTier (auto, default,
//     flex, scale, priority, fast; any other value is refused), written
//     back when set. A response's and every chunk's service_tier, the
//     tier that served, is read into Response.ServiceTier and
//     Chunk.ServiceTier and onto the usage (Usage.ServiceTier, which
//     prices it); it is written where OpenAI writes it (a completion's
//     after the usage, a chunk's after the model) when known.
//
// All functions are safe for concurrent use.
package openai
