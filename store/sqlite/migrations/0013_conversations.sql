-- The Conversations API (docs/responses.md#conversations): a conversation
-- row (id conv_…) and its items, one row each at its position (seq, from
-- 0, in the order added): adding items writes only them, and next_seq
-- (the position of the next item) orders the appends to one conversation.
-- The content is the user's, as sent and answered: not redacted. Times
-- are Unix nanoseconds UTC; expires_ns moves with each write. A
-- conversation expired or deleted (deleted_ns <> 0) is never read through
-- the API, and is erased with its items once no stored response made in
-- it (responses.conversation) is kept: such a response's conversation
-- begins with the items before its responses.conversation_seq.
CREATE TABLE conversations (
	id         TEXT PRIMARY KEY,             -- conv_…
	tenant     TEXT NOT NULL DEFAULT '',
	key_name   TEXT NOT NULL DEFAULT '',
	created_ns BIGINT NOT NULL,
	expires_ns BIGINT NOT NULL,
	deleted_ns BIGINT NOT NULL DEFAULT 0,
	next_seq   BIGINT NOT NULL DEFAULT 0,
	metadata   BLOB NOT NULL                -- a JSON object
);
CREATE INDEX conversations_expires ON conversations (expires_ns);
CREATE TABLE conversation_items (
	conversation TEXT NOT NULL,
	seq          BIGINT NOT NULL,
	id           TEXT NOT NULL,              -- msg_…, fc_…, fco_…
	item         BLOB NOT NULL,             -- the item (JSON)
	PRIMARY KEY (conversation, seq)
);
CREATE UNIQUE INDEX conversation_items_id ON conversation_items (conversation, id);
ALTER TABLE responses ADD COLUMN conversation TEXT NOT NULL DEFAULT '';
ALTER TABLE responses ADD COLUMN conversation_seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX responses_conversation ON responses (conversation) WHERE conversation <> '';
