-- The request log: one row per request (see store.Request).
CREATE TABLE requests (
	id                 TEXT PRIMARY KEY,
	time_ns            INTEGER NOT NULL, -- arrival, Unix nanoseconds UTC
	tenant             TEXT NOT NULL,
	key_name           TEXT NOT NULL,
	endpoint           TEXT NOT NULL,
	route              TEXT NOT NULL,
	pinned             TEXT NOT NULL,
	deployment         TEXT NOT NULL,
	category           TEXT NOT NULL,
	confidence         REAL NOT NULL,
	status             INTEGER NOT NULL,
	error_kind         TEXT NOT NULL,
	stream_failed      BOOLEAN NOT NULL,
	failed             BOOLEAN NOT NULL, -- status >= 400 or stream_failed
	stream             BOOLEAN NOT NULL,
	fallback           BOOLEAN NOT NULL,
	resumed_from       TEXT NOT NULL,
	prompt_tokens      INTEGER NOT NULL,
	cached_read_tokens INTEGER NOT NULL,
	cache_write_tokens INTEGER NOT NULL,
	completion_tokens  INTEGER NOT NULL,
	reasoning_tokens   INTEGER NOT NULL,
	cost_usd           REAL NOT NULL,
	cost_estimated     BOOLEAN NOT NULL,
	latency_ns         INTEGER NOT NULL,
	ttft_ns            INTEGER NOT NULL,
	signal_flags       INTEGER NOT NULL, -- store.SignalFlags bits
	features           TEXT NOT NULL,    -- JSON of store.Features
	explanation        TEXT NOT NULL,    -- JSON of store.Explanation
	attempts           TEXT NOT NULL,    -- JSON of []store.Attempt
	signals            TEXT NOT NULL     -- JSON of store.Signals
);
-- Listing newest first within a tenant, and the time range of stats.
CREATE INDEX requests_tenant_time ON requests (tenant, time_ns DESC, id DESC);
-- Retention deletes and listings across tenants.
CREATE INDEX requests_time ON requests (time_ns DESC, id DESC);
-- The list filters by route and by deployment.
CREATE INDEX requests_tenant_route_time ON requests (tenant, route, time_ns DESC);
CREATE INDEX requests_tenant_deployment_time ON requests (tenant, deployment, time_ns DESC);
