-- Background responses (docs/responses.md#background-responses): a
-- response created with background true is stored at once, queued, and
-- run by one router's worker. background is how it was created ('' in
-- the foreground, 'poll', or 'stream': its events are kept below);
-- lease_ns is, while it runs (status queued or in_progress), until when
-- its router holds it (0 once final): the router renews it, and any
-- router fails the responses whose lease ended (their router stopped).
ALTER TABLE responses ADD COLUMN background TEXT NOT NULL DEFAULT '';
ALTER TABLE responses ADD COLUMN lease_ns BIGINT NOT NULL DEFAULT 0;
CREATE INDEX responses_lease ON responses (lease_ns) WHERE lease_ns <> 0;
-- The events of a streamed background response, as they were sent, in
-- batches of consecutive events (first_seq to last_seq, their
-- sequence_number), for a client that streams them again
-- (GET /v1/responses/{id}?stream=true&starting_after=n). The data is the
-- user's content: sealed with the responses' keys (responses.encryption);
-- erased with its response.
CREATE TABLE response_events (
	response  TEXT NOT NULL,
	first_seq BIGINT NOT NULL,
	last_seq  BIGINT NOT NULL,
	data      BLOB NOT NULL,
	PRIMARY KEY (response, first_seq)
);
