-- The batch of the request log's rows written before migration 25
-- (docs/batches.md, "Seeing them"): a batch line's row reads
-- batch_id '' and batch '' until this fills them from what the batch
-- store knows. Each line's result (batch_lines.data, its output or error
-- file's line) names the request that answered it (response.request_id,
-- the request log's id): that row gets the line's batch, and how the line
-- ran: 'router' when a provider batch left it to the router
-- (batch_retries) or none held it, 'provider' when one held it
-- (batch_forwards.lines). A line sealed at rest (responses.encryption)
-- cannot be read here: `switchyard responses reencrypt` fills in its row
-- (sqlstore's backfillSealedLines). A batch erased by retention leaves
-- its rows ''. A row with a batch already is left as it is.
CREATE TEMP TABLE batch_line_requests ON COMMIT DROP AS
	SELECT (CASE WHEN length(data) > 0 AND get_byte(data, 0) <> 1 THEN convert_from(data, 'UTF8')::jsonb END) -> 'response' ->> 'request_id' AS request_id, batch, line
	FROM batch_lines;
UPDATE requests SET batch_id = m.batch, batch = CASE
		WHEN EXISTS (SELECT 1 FROM batch_retries r WHERE r.batch = m.batch AND r.line = m.line) THEN 'router'
		WHEN EXISTS (SELECT 1 FROM batch_forwards f, jsonb_array_elements_text(convert_from(f.lines, 'UTF8')::jsonb) j WHERE f.batch = m.batch AND j::bigint = m.line) THEN 'provider'
		ELSE 'router' END
	FROM batch_line_requests m
	WHERE requests.id = m.request_id AND requests.batch_id = '' AND m.request_id IS NOT NULL AND m.request_id <> '';
