// Package guard holds the checks Switchyard applies to text on its way in
// and out: Redact masks secrets and personal data in any text that reaches
// a client or a log (upstream error bodies today, the request store later),
// and StripJSONFence repairs a JSON answer a model wrapped in a Markdown
// code fence. It imports nothing of the project.
package guard
