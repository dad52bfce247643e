-- Feedback on answers: explicit ratings (POST /v1/feedback) and the
-- implicit signals the router detects (see store.Feedback). A request has
-- at most one row of each kind.
CREATE TABLE feedback (
	request_id TEXT NOT NULL,
	kind       TEXT NOT NULL,             -- store.FeedbackKind
	tenant     TEXT NOT NULL,             -- the request's tenant
	time_ns    BIGINT NOT NULL,           -- given or detected, Unix nanoseconds UTC
	value      DOUBLE PRECISION NOT NULL, -- explicit: reward in [0, 1]; implicit: signed weight
	tags       JSONB NOT NULL,            -- JSON array of strings
	cost_usd   DOUBLE PRECISION NOT NULL, -- correction or re-prompt cost
	evidence   JSONB NOT NULL,            -- JSON of store.Evidence
	PRIMARY KEY (request_id, kind)
);
-- Listing a tenant's feedback newest first; retention deletes.
CREATE INDEX feedback_tenant_time ON feedback (tenant, time_ns DESC);
CREATE INDEX feedback_time ON feedback (time_ns);
