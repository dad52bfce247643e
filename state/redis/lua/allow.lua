-- GCRA. KEYS[1] holds the theoretical arrival time (ms, fractional).
-- ARGV: now, cost, limit, window ms. Returns {allowed 0|1, retry after ms}.
local now = now_ms(ARGV[1])
local cost, limit, window = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local nxt = tat + cost * window / limit
local over = nxt - now - window
if over > 0 then return {0, math.ceil(over)} end
redis.call('SET', KEYS[1], string.format('%.17g', nxt), 'PX', math.max(1, math.ceil(nxt - now)))
return {1, 0}
