-- KEYS[1] zset: lease id -> expiry ms. ARGV: now, limit, id, ttl ms.
-- Returns 1 if a slot was taken.
local now = now_ms(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[3])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
keep(KEYS[1], tonumber(last[2]) - now)
return 1
