-- The Files API's files (docs/batches.md): a batch's input uploaded by a
-- client, a batch's output and error files written by the router. The
-- content is the user's: sealed at rest with responses.encryption's keys.
-- Times are Unix nanoseconds UTC; a file expired (expires_ns) is never
-- read, and is erased by the retention run; a deleted one is erased at
-- once.
CREATE TABLE files (
	id         TEXT PRIMARY KEY,             -- file-…
	tenant     TEXT NOT NULL DEFAULT '',
	key_name   TEXT NOT NULL DEFAULT '',
	created_ns BIGINT NOT NULL,
	expires_ns BIGINT NOT NULL,
	filename   TEXT NOT NULL DEFAULT '',
	purpose    TEXT NOT NULL DEFAULT '',
	bytes      BIGINT NOT NULL,
	content    BYTEA NOT NULL
);
CREATE INDEX files_list ON files (tenant, created_ns, id);
CREATE INDEX files_expires ON files (expires_ns);
