-- Drift detection (docs/drift.md): the runs of golden prompt sets against
-- deployments, and each prompt's answer in a run (store.DriftRun,
-- store.DriftResult). Kept until deleted by hand: baselines outlive the
-- request log's retention.
CREATE TABLE drift_runs (
	id          TEXT PRIMARY KEY,
	set_name    TEXT NOT NULL,
	deployment  TEXT NOT NULL,
	started_ns  BIGINT NOT NULL, -- Unix nanoseconds UTC
	finished_ns BIGINT NOT NULL,
	prompts     INTEGER NOT NULL,
	passed      INTEGER NOT NULL,
	refused     INTEGER NOT NULL,
	errors      INTEGER NOT NULL,
	cost_usd    DOUBLE PRECISION NOT NULL,
	verdict     TEXT NOT NULL,    -- baseline, clean, changed, flagged or incomplete
	pinned      BOOLEAN NOT NULL, -- part of the pinned baseline
	tests       JSONB NOT NULL     -- JSON of []store.DriftTest
);
-- A deployment's history in a set; the daily spend.
CREATE INDEX drift_runs_set_deployment ON drift_runs (set_name, deployment, started_ns);
CREATE INDEX drift_runs_started ON drift_runs (started_ns);
CREATE TABLE drift_results (
	run_id       TEXT NOT NULL REFERENCES drift_runs (id) ON DELETE CASCADE,
	seq          INTEGER NOT NULL, -- the answer's place in its run
	prompt_id    TEXT NOT NULL,
	category     TEXT NOT NULL,
	expect       TEXT NOT NULL,    -- the prompt's expectation kind
	pass         BOOLEAN NOT NULL,
	refusal      BOOLEAN NOT NULL,
	error_kind   TEXT NOT NULL,    -- set when no answer came
	answer_chars INTEGER NOT NULL,
	latency_ns   BIGINT NOT NULL,
	cost_usd     DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (run_id, seq)
);
