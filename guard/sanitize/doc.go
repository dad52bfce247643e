// Package sanitize cleans a model's answer on its way to the client, as it
// streams: Markdown images and links (and autolinks, reference
// definitions, HTML tags with URL attributes) to hosts off an allowlist
// are neutralized — an image rendered by the client can carry the
// conversation to an attacker's server in its URL, the classic way a
// prompt injection exfiltrates data — and an answer that repeats the
// request's system prompt is reported or cut.
//
// A Stream works chunk by chunk and holds back only the tail that could
// still become a link (from a '[', "![" or '<' on, bounded in length) and,
// when leaks are cut, the word being written; its output never depends on
// where the chunks were cut. docs/security.md describes the rules.
package sanitize
