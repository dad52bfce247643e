-- The versioned configuration and the audit trail (docs/admin-api.md).
-- Every configuration the router applied, numbered from 1: its YAML with
-- each secret a ${VAR} reference or masked, never a secret, and the
-- unified diff against version base.
CREATE TABLE config_versions (
	version  BIGINT PRIMARY KEY,
	time_ns  BIGINT NOT NULL,            -- when it was applied, Unix nanoseconds UTC
	actor    TEXT NOT NULL,              -- an admin key's name, or file
	source   TEXT NOT NULL,              -- start, file or api
	restores BIGINT NOT NULL DEFAULT 0,  -- the version a rollback brought back
	base     BIGINT NOT NULL DEFAULT 0,  -- the version diff is against
	yaml     TEXT NOT NULL,
	diff     TEXT NOT NULL
);
-- Who changed the configuration or the keys, who was refused an admin
-- endpoint, which logins failed; never a secret.
CREATE TABLE audit (
	id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	time_ns BIGINT NOT NULL,
	actor   TEXT NOT NULL,
	tenant  TEXT NOT NULL,
	action  TEXT NOT NULL,
	target  TEXT NOT NULL,
	detail  TEXT NOT NULL,
	outcome TEXT NOT NULL
);
CREATE INDEX audit_tenant ON audit (tenant, id);
CREATE INDEX audit_action ON audit (action, id);
