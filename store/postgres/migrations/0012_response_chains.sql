-- Stored responses as chains (docs/store.md#stored-responses): a response
-- that continued another (previous_response_id) keeps its parent and only
-- the items it added, instead of a copy of the whole conversation; its
-- conversation is read through its ancestors, within its tenant. Rows
-- written before this migration hold their whole conversation: they are
-- roots (parent ''). deleted_ns is when DELETE /v1/responses/{id} deleted
-- the response (0: not deleted): a deleted or expired response is never
-- read itself, and is kept, its object erased, only while a live response
-- descends from it.
ALTER TABLE responses ADD COLUMN parent TEXT NOT NULL DEFAULT '';
ALTER TABLE responses ADD COLUMN deleted_ns BIGINT NOT NULL DEFAULT 0;
CREATE INDEX responses_parent ON responses (parent);
CREATE INDEX responses_deleted ON responses (deleted_ns) WHERE deleted_ns <> 0;
