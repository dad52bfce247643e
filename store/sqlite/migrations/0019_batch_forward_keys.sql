-- The key a provider batch was created under (docs/batches.md#forwarding):
-- a row is written under its key (id = key) before the provider batch is
-- created, the key sent as the provider batch's metadata, and its id set
-- to the provider's once it answers; a router resuming a batch whose row
-- still has id = key finds the provider batch by its key, if the provider
-- made it. '' for a row kept before keys.
ALTER TABLE batch_forwards ADD COLUMN forward_key TEXT NOT NULL DEFAULT '';
