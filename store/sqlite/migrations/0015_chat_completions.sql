-- The stored Chat Completions (docs/chat-completions-store.md): a chat
-- completion created with store true, as the client received it (object),
-- with the request's messages and its metadata; the content is the
-- user's (masked as responses.redact says, sealed at rest with
-- responses.encryption's keys). Times are Unix nanoseconds UTC; a
-- completion expired (expires_ns) is never read, and is erased by the
-- retention run; a deleted one is erased at once.
CREATE TABLE chat_completions (
	id         TEXT PRIMARY KEY,             -- chatcmpl-…
	tenant     TEXT NOT NULL DEFAULT '',
	key_name   TEXT NOT NULL DEFAULT '',
	created_ns BIGINT NOT NULL,
	expires_ns BIGINT NOT NULL,
	model      TEXT NOT NULL DEFAULT '',
	object     BLOB NOT NULL,                 -- the chat.completion (JSON)
	messages   BLOB NOT NULL,                 -- the request's messages (JSON array)
	metadata   BLOB NOT NULL                  -- a JSON object
);
CREATE INDEX chat_completions_list ON chat_completions (tenant, created_ns, id);
CREATE INDEX chat_completions_expires ON chat_completions (expires_ns);
