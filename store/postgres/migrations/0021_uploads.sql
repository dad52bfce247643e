-- The Uploads API's uploads (docs/batches.md): a file sent in parts,
-- each part a row of upload_parts (its content the user's, sealed at rest
-- with responses.encryption's keys), until the upload is completed into a
-- file (a row of files, the parts erased in the same transaction) or
-- cancelled (its parts erased). received is the total of its parts'
-- bytes, kept with the row so that parts added in parallel never pass
-- bytes. Times are Unix nanoseconds UTC; an upload expires an hour after
-- its creation (expires_ns): it then takes no part nor completion, and the
-- retention run erases it with its parts.
CREATE TABLE uploads (
	id            TEXT PRIMARY KEY,          -- upload_…
	tenant        TEXT NOT NULL DEFAULT '',
	key_name      TEXT NOT NULL DEFAULT '',
	created_ns    BIGINT NOT NULL,
	expires_ns    BIGINT NOT NULL,
	filename      TEXT NOT NULL DEFAULT '',
	purpose       TEXT NOT NULL DEFAULT '',
	mime_type     TEXT NOT NULL DEFAULT '',
	bytes         BIGINT NOT NULL,
	received      BIGINT NOT NULL DEFAULT 0,
	status        TEXT NOT NULL,             -- pending, completed, cancelled
	file_id       TEXT NOT NULL DEFAULT '',  -- the completed upload's file
	file_expires  BIGINT NOT NULL DEFAULT 0  -- expires_after seconds of that file; 0: the retention
);
CREATE INDEX uploads_expires ON uploads (expires_ns);
CREATE TABLE upload_parts (
	id         TEXT PRIMARY KEY,             -- part_…
	upload_id  TEXT NOT NULL,
	tenant     TEXT NOT NULL DEFAULT '',
	created_ns BIGINT NOT NULL,
	bytes      BIGINT NOT NULL,
	content    BYTEA NOT NULL
);
CREATE INDEX upload_parts_upload ON upload_parts (upload_id, created_ns, id);
