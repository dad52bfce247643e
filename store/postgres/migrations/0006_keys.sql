-- Managed API keys (switchyard keys create; docs/tenants.md). The key
-- itself is never stored: only its SHA-256. A row is never deleted; a
-- revoked key keeps its row. Times are Unix nanoseconds UTC, 0 for none.
-- The lists are JSON arrays, NULL meaning "every one".
CREATE TABLE keys (
	id             TEXT PRIMARY KEY,           -- the public id, in the key's prefix
	hash           BYTEA NOT NULL,             -- SHA-256 of the whole key
	name           TEXT NOT NULL DEFAULT '',
	tenant         TEXT NOT NULL DEFAULT '',
	role           TEXT NOT NULL DEFAULT '',   -- '' for a client key; viewer, operator or admin
	routes         TEXT,
	deployments    TEXT,
	overrides      TEXT,
	rpm            BIGINT NOT NULL DEFAULT 0,
	tpm            BIGINT NOT NULL DEFAULT 0,
	max_concurrent BIGINT NOT NULL DEFAULT 0,
	created_ns     BIGINT NOT NULL,
	created_by     TEXT NOT NULL DEFAULT '',
	expires_ns     BIGINT NOT NULL DEFAULT 0,
	revoked_ns     BIGINT NOT NULL DEFAULT 0,
	rotated_to     TEXT NOT NULL DEFAULT '',   -- the id of the key that replaced it
	version        BIGINT NOT NULL DEFAULT 1   -- + 1 at each change: caches poll SUM(version)
);
CREATE INDEX keys_tenant ON keys (tenant, created_ns);
