-- GCRA. KEYS[1] holds the theoretical arrival time (ms, fractional).
-- ARGV: now, cost, limit, window ms. Returns {allowed 0|1, retry after ms}.
local now = now_ms(ARGV[1])
local cost, limit, window = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local nxt = tat + cost * window / limit
local over = nxt - now - window
if over > 0 then return {0, math.ceil(over)} end
-- Kept at least a window: once tat is past, a stale key reads as an
-- absent one (tat = now), so a longer life changes nothing, while an
-- expiry that short in Redis's own time undid the bucket when a test's
-- frozen clock (ARGV[1]) stood still while real time passed.
redis.call('SET', KEYS[1], string.format('%.17g', nxt), 'PX', math.max(window, math.ceil(nxt - now)))
return {1, 0}
