// Package guard holds the checks Switchyard applies to text on its way in
// and out: Redact masks secrets and personal data in any text that reaches
// a client, a log or the request store (upstream error bodies, stored
// prompts and answers; docs/security.md lists what is caught and how
// well), and StripJSONFence repairs a JSON answer a model wrapped in a
// Markdown code fence. It imports nothing of the project.
//
// Its subpackages guard the request path: guard/inject scores prompts
// for injection and jailbreak attempts, guard/sanitize cleans answers as
// they stream (docs/security.md).
package guard
