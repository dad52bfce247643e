// Package e2e holds Switchyard's end-to-end tests: the official OpenAI and
// Anthropic Go SDKs (and, from node/, the npm openai and @anthropic-ai/sdk
// packages) talking to a real router over HTTP, in front of the simulated
// providers of every wire format.
package e2e
