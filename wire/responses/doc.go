// Package responses is the codec of OpenAI's Responses API
// (POST /v1/responses). Inbound, it decodes a create request into the
// canonical llm.Request the router runs on any provider, and encodes the
// canonical answer back as a Response object, or, streamed, as the API's
// typed server-sent events. Outbound (upstream.go, upstream_events.go),
// it encodes a canonical request for an upstream that serves the
// Responses API (EncodeUpstream: stateless, streamed) and reads its
// events back into chunks (UpstreamDecoder); the simulated OpenAI API
// serves POST /v1/responses with the inbound half. For stored responses it makes what the
// router keeps of one (StoredInput, StoredOutput: the items its turn
// added, with ids; JoinItems puts a chain of them together), decodes a
// request continuing one (DecodeRequestWith and a Loader:
// previous_response_id), and encodes the input items list and the
// deletion object. For the Conversations API it decodes a request made in
// a conversation (DecodeRequestStored: the conversation parameter, its
// items before the input), the bodies of /v1/conversations (items kept
// with new ids: NewItems), and encodes the conversation and item list
// objects. For background responses it reads background (the caller
// runs the response), opens a background stream queued (Streamer.Queued,
// Started), gives a stored response object another status (Restatus:
// cancelled, or failed), and cuts a stored stream back into its events
// (SplitEvents).
//
// Decoding is strict: an unknown field, a wrong type or an unsupported
// feature is an *llm.Error of kind invalid_request whose Param is the
// JSON path of the field ("input[2].content[0].image_url") and whose
// message says what to send instead. The hosted features (stored
// prompts, item references, built-in tools such as web_search),
// and previous_response_id or conversation without a Loader, are refused
// with code unsupported_parameter or unsupported_value: the router runs
// no OpenAI-hosted tool.
//
// How the Responses shapes map onto the canonical types:
//   - instructions is a first system message; input (a string, or items)
//     follows: message items are messages (input_text and output_text
//     parts are text, input_image parts images, refusal parts an
//     assistant's refusal), consecutive function_call items are the tool
//     calls of one assistant message (the one just before, when it is an
//     assistant's), function_call_output items are tool messages (their
//     text, and their input_image parts images, which each upstream
//     encoder puts where its API takes them).
//   - max_output_tokens is MaxTokens; text.format is the ResponseFormat
//     (json_object, json_schema); service_tier is ServiceTier (values
//     checked as OpenAI checks them); reasoning.effort, text.verbosity,
//     safety_identifier, prompt_cache_key and prompt_cache_retention
//     travel in Extra under their Chat Completions names, for the
//     upstreams that read them. The response object's service_tier is
//     the tier that served it once the usage names it, the one asked
//     for (or null) before. An answer of a model with explicit prompt
//     caching (GPT-5.6 and later) says the prompt_cache_options applied
//     and its cache writes by lifetime (cache_report.go).
//   - An answer's first choice is a message item (output_text, and a
//     refusal part when there is one) followed by one function_call item
//     per tool call; a finish by length or content filter makes the
//     response "incomplete" with that reason. When the request asks for
//     reasoning, the thinking the upstream showed comes first, as a
//     reasoning item (reasoning.go): its summary when reasoning.summary
//     asks for one, its encrypted_content (the blocks sealed for the
//     tenant: Sealer) when include asks for it; a reasoning item sent
//     back whose encrypted_content opens gives its thinking to the
//     assistant turn after it, any other is left out.
//   - include "message.output_text.logprobs", or top_logprobs above 0,
//     asks for logprobs (Request.Logprobs; TopLogprobs is top_logprobs):
//     output_text parts carry their tokens' logprobs in the LogProb shape
//     (bytes included), output_text delta and done events in the
//     ResponseLogProb shape (no bytes); [] when none were asked for.
//   - Ids are made from one base unique to the request (the router's
//     request id): resp_<base>, rs_<base>, msg_<base>, fc_<base>_<n>.
//
// The encoders are hand-written appenders, as in switchyard/wire/openai,
// whose string escaping they share: an event per streamed chunk costs no
// allocation. The decoder uses encoding/json; it runs once per request.
package responses
