-- The Batch API's batches (docs/batches.md): object is the Batch object
-- as the API shows it (its metadata is the user's: sealed at rest with
-- responses.encryption's keys); status is its status, kept clear for the
-- queries; lease_ns is until when a router's workers hold it (0 once
-- final): any router resumes a running batch whose lease ended. Times
-- are Unix nanoseconds UTC; an expired batch is never read, and is
-- erased, with its lines, by the retention run.
CREATE TABLE batches (
	id         TEXT PRIMARY KEY,             -- batch_…
	tenant     TEXT NOT NULL DEFAULT '',
	key_name   TEXT NOT NULL DEFAULT '',
	created_ns BIGINT NOT NULL,
	expires_ns BIGINT NOT NULL,
	status     TEXT NOT NULL,
	lease_ns   BIGINT NOT NULL DEFAULT 0,
	object     BLOB NOT NULL
);
CREATE INDEX batches_list ON batches (tenant, created_ns, id);
CREATE INDEX batches_expires ON batches (expires_ns);
CREATE INDEX batches_lease ON batches (lease_ns) WHERE lease_ns <> 0;
-- The result of each line of a batch run so far (its output or error
-- file's line, sealed), so that a batch resumed by another router never
-- runs a line twice; erased with its batch.
CREATE TABLE batch_lines (
	batch  TEXT NOT NULL,
	line   BIGINT NOT NULL,
	failed BIGINT NOT NULL DEFAULT 0,
	data   BLOB NOT NULL,
	PRIMARY KEY (batch, line)
);
