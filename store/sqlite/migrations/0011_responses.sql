-- The Responses API's stored responses (docs/responses.md): one row per
-- response created with store true, read by GET /v1/responses/{id}, its
-- input items, and the requests that continue it (previous_response_id).
-- The content is the user's, as sent and answered: not redacted. Times
-- are Unix nanoseconds UTC; a row past expires_ns is never read, and is
-- deleted by the store's retention run.
CREATE TABLE responses (
	id         TEXT PRIMARY KEY,             -- resp_…
	tenant     TEXT NOT NULL DEFAULT '',
	key_name   TEXT NOT NULL DEFAULT '',
	created_ns INTEGER NOT NULL,
	expires_ns INTEGER NOT NULL,
	model      TEXT NOT NULL DEFAULT '',
	status     TEXT NOT NULL DEFAULT '',
	object     BLOB NOT NULL,                -- the Response object (JSON)
	input      BLOB NOT NULL,                -- the input items (JSON array)
	output     BLOB NOT NULL                 -- the output items carried on (JSON array)
);
CREATE INDEX responses_expires ON responses (expires_ns);
