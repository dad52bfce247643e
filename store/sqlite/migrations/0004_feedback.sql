-- Feedback on answers: explicit ratings (POST /v1/feedback) and the
-- implicit signals the router detects (see store.Feedback). A request has
-- at most one row of each kind.
CREATE TABLE feedback (
	request_id TEXT NOT NULL,
	kind       TEXT NOT NULL,    -- store.FeedbackKind
	tenant     TEXT NOT NULL,    -- the request's tenant
	time_ns    INTEGER NOT NULL, -- given or detected, Unix nanoseconds UTC
	value      REAL NOT NULL,    -- explicit: reward in [0, 1]; implicit: signed weight
	tags       TEXT NOT NULL,    -- JSON array of strings
	cost_usd   REAL NOT NULL,    -- correction or re-prompt cost
	evidence   TEXT NOT NULL,    -- JSON of store.Evidence
	PRIMARY KEY (request_id, kind)
);
-- Listing a tenant's feedback newest first; retention deletes.
CREATE INDEX feedback_tenant_time ON feedback (tenant, time_ns DESC);
CREATE INDEX feedback_time ON feedback (time_ns);
