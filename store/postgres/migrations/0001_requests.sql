-- The request log: one row per request (see store.Request).
CREATE TABLE requests (
	id                 TEXT PRIMARY KEY,
	time_ns            BIGINT NOT NULL, -- arrival, Unix nanoseconds UTC
	tenant             TEXT NOT NULL,
	key_name           TEXT NOT NULL,
	endpoint           TEXT NOT NULL,
	route              TEXT NOT NULL,
	pinned             TEXT NOT NULL,
	deployment         TEXT NOT NULL,
	category           TEXT NOT NULL,
	confidence         DOUBLE PRECISION NOT NULL,
	status             INTEGER NOT NULL,
	error_kind         TEXT NOT NULL,
	stream_failed      BOOLEAN NOT NULL,
	failed             BOOLEAN NOT NULL, -- status >= 400 or stream_failed
	stream             BOOLEAN NOT NULL,
	fallback           BOOLEAN NOT NULL,
	resumed_from       TEXT NOT NULL,
	prompt_tokens      BIGINT NOT NULL,
	cached_read_tokens BIGINT NOT NULL,
	cache_write_tokens BIGINT NOT NULL,
	completion_tokens  BIGINT NOT NULL,
	reasoning_tokens   BIGINT NOT NULL,
	cost_usd           DOUBLE PRECISION NOT NULL,
	cost_estimated     BOOLEAN NOT NULL,
	latency_ns         BIGINT NOT NULL,
	ttft_ns            BIGINT NOT NULL,
	signal_flags       BIGINT NOT NULL, -- store.SignalFlags bits
	features           JSONB NOT NULL,   -- JSON of store.Features
	explanation        JSONB NOT NULL,   -- JSON of store.Explanation
	attempts           JSONB NOT NULL,   -- JSON of []store.Attempt
	signals            JSONB NOT NULL    -- JSON of store.Signals
);
-- Listing newest first within a tenant, and the time range of stats.
CREATE INDEX requests_tenant_time ON requests (tenant, time_ns DESC, id DESC);
-- Retention deletes and listings across tenants.
CREATE INDEX requests_time ON requests (time_ns DESC, id DESC);
-- The list filters by route and by deployment.
CREATE INDEX requests_tenant_route_time ON requests (tenant, route, time_ns DESC);
CREATE INDEX requests_tenant_deployment_time ON requests (tenant, deployment, time_ns DESC);
