-- The blind index of the stored Chat Completions' metadata
-- (docs/chat-completions-store.md): one row per metadata pair of a
-- completion, its pair_hash the pair's keyed hash (HMAC-SHA256 under a
-- key derived from responses.encryption's key the metadata is sealed
-- under; SHA-256 when stored clear), so that a list filtering on
-- metadata finds its rows in SQL, newest or oldest first, without
-- opening any other. Written with the completion, in its transaction;
-- erased with it. created_ns is the completion's, for the order.
CREATE TABLE chat_completion_metadata (
	completion TEXT NOT NULL,
	pair_hash  BYTEA NOT NULL,
	tenant     TEXT NOT NULL,
	created_ns BIGINT NOT NULL,
	PRIMARY KEY (completion, pair_hash)
);
CREATE INDEX chat_completion_metadata_lookup ON chat_completion_metadata (tenant, pair_hash, created_ns, completion);
-- Whether a completion's pairs are in the index: the rows stored before
-- this migration (or by an older binary since) are not; the router
-- indexes a tenant's before its first list filtering on metadata
-- (sqlstore's indexChats), and `switchyard responses reencrypt` all.
ALTER TABLE chat_completions ADD COLUMN metadata_indexed BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX chat_completions_unindexed ON chat_completions (tenant, id) WHERE metadata_indexed = FALSE;
