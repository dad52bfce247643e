-- Placeholder on the drift branch for a migration numbered 6 on another
-- branch: delete this file when merging (drift's own is 0008).
SELECT 1;
