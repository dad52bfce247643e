-- Retention of the audit trail and the configuration versions
-- (docs/admin-api.md#retention): events older than audit.retention are
-- deleted by their time, which this index finds without reading the
-- whole trail.
CREATE INDEX audit_time ON audit (time_ns);
