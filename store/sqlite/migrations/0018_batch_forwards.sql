-- The provider batches (OpenAI's Batch API, Anthropic's Message Batches)
-- that lines of a batch were sent to (docs/batches.md#forwarding): id is
-- the provider's batch id, deployment the deployment whose provider holds
-- it, lines the JSON array of the batch's line indexes it holds. A router
-- resuming the batch polls these rather than sending their lines again;
-- erased with their batch.
CREATE TABLE batch_forwards (
	batch      TEXT NOT NULL,
	id         TEXT NOT NULL,
	deployment TEXT NOT NULL,
	created_ns BIGINT NOT NULL,
	lines      BLOB NOT NULL,
	PRIMARY KEY (batch, id)
);
