-- Adaptive routing. Each request's propensity: the probability its
-- plan's first candidate had of being first (store.Request.Propensity),
-- for inverse-propensity replays; rows written before are taken as
-- deterministic (1). And the learned statistics' snapshots (one row per
-- name, replaced at each save; see docs/adaptive.md).
ALTER TABLE requests ADD COLUMN propensity DOUBLE PRECISION NOT NULL DEFAULT 1;
CREATE TABLE learned_snapshots (
	name    TEXT PRIMARY KEY,
	time_ns BIGINT NOT NULL, -- the time the counts are decayed to, Unix nanoseconds UTC
	data    BYTEA NOT NULL   -- the snapshot, as its owner encodes it
);
