-- The prompt-cache writes with Anthropic's one-hour lifetime (part of
-- cache_write_tokens), priced apart from the five-minute writes, so that a
-- configuration dry run reprices them right (docs/cost.md#prompt-caching).
-- Rows written before this migration count every write as five-minute.
ALTER TABLE requests ADD COLUMN cache_write_1h_tokens INTEGER NOT NULL DEFAULT 0;
