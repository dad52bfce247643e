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
CREATE TEMP TABLE batch_line_requests AS
	SELECT json_extract(CAST(data AS TEXT), '$.response.request_id') AS request_id, batch, line
	FROM batch_lines
	WHERE length(data) > 0 AND substr(data, 1, 1) <> X'01' AND json_valid(CAST(data AS TEXT));
UPDATE requests SET batch_id = m.batch, batch = CASE
		WHEN EXISTS (SELECT 1 FROM batch_retries r WHERE r.batch = m.batch AND r.line = m.line) THEN 'router'
		WHEN EXISTS (SELECT 1 FROM batch_forwards f, json_each(CAST(f.lines AS TEXT)) j WHERE f.batch = m.batch AND j.value = m.line) THEN 'provider'
		ELSE 'router' END
	FROM batch_line_requests m
	WHERE requests.id = m.request_id AND requests.batch_id = '' AND m.request_id IS NOT NULL AND m.request_id <> '';
DROP TABLE batch_line_requests;
