-- The batch a request ran for (docs/batches.md): batch_id is the batch's
-- id (batch_…, msgbatch_…) of a batch line's request, '' for a live
-- request; batch how the line ran, 'provider' (sent to the provider's own
-- batch API, priced at the batch price) or 'router' (run by the router as
-- a live request), '' for a live request. Rows written before this
-- migration read '' (their lines are not told apart from live requests).
ALTER TABLE requests ADD COLUMN batch_id TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN batch TEXT NOT NULL DEFAULT '';
CREATE INDEX requests_batch ON requests (batch_id, time_ns DESC) WHERE batch_id <> '';
