// Package conformance holds tests, and only tests, that check Switchyard's
// answers and its simulators' answers against the providers' published API
// schemas: OpenAI's OpenAPI document and the community copies of
// Anthropic's and Gemini's (../shared/datasets/api_specs beside the
// repository). Every field the router or a simulator adds on purpose, and
// every place where a published schema is known to disagree with the live
// API, is listed in allow_test.go (Azure OpenAI's documented differences
// in allow_azure_test.go) with its reason; a whole run of the package
// fails on an allowance no check needed (allow_used_test.go).
package conformance
