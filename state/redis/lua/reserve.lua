-- ARGV: now, period, amount, limit, id, ttl ms.
-- Returns {granted 0|1, used before, reset}.
local now = now_ms(ARGV[1])
local reset = load(ARGV[2], now)
local amount, limit = tonumber(ARGV[3]), tonumber(ARGV[4])
local s, r = done(reset, now)
if s + r + amount > limit then return {0, s + r, reset} end
redis.call('HSET', KEYS[1], 'a:' .. ARGV[5], amount)
redis.call('HINCRBY', KEYS[1], 'r', amount)
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[6]), ARGV[5])
return {1, s + r, reset}
