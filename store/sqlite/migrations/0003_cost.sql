-- The cost of the answer the client got (store.Request.ServedCostUSD),
-- next to cost_usd, the cost of every billed attempt; and whether some
-- attempt ran on a deployment with no known price (both are then lower
-- bounds). Rows written before this migration take their total as their
-- served cost when they answered (at most an overestimate: the total
-- includes failed attempts billed before the answer), 0 otherwise.
ALTER TABLE requests ADD COLUMN served_cost_usd REAL NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN cost_unknown BOOLEAN NOT NULL DEFAULT false;
UPDATE requests SET served_cost_usd = cost_usd WHERE status < 400;
