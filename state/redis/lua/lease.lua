-- KEYS[1] zset: lease id -> expiry ms. ARGV: now, id, ttl ms (-1 to
-- release). Returns 1 if the lease was held.
local now = now_ms(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[2]) then return 0 end
local ttl = tonumber(ARGV[3])
if ttl < 0 then
  redis.call('ZREM', KEYS[1], ARGV[2])
  return 1
end
redis.call('ZADD', KEYS[1], 'XX', now + ttl, ARGV[2])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
keep(KEYS[1], tonumber(last[2]) - now)
return 1
