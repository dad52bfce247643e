-- The lines of a batch a provider batch left to the router
-- (docs/batches.md#forwarding-to-the-providers-batch-apis): not answered,
-- or answered with an error a live request would retry. earlier is the
-- provider batch's failed call of the line when it used tokens the
-- provider bills (JSON: deployment, usage, error kind and code), NULL
-- when none. A router resuming the batch runs these lines on the router,
-- billing earlier on the line's record, without asking the provider batch
-- again; erased with their batch.
CREATE TABLE batch_retries (
	batch   TEXT NOT NULL,
	line    BIGINT NOT NULL,
	earlier BLOB,
	PRIMARY KEY (batch, line)
);
