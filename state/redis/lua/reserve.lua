-- ARGV: now, period, amount, limit, id, ttl ms.
-- Returns {granted 0|1, used before, reset}.
local now = now_ms(ARGV[1])
local reset = load(ARGV[2], now)
local amount, limit = tonumber(ARGV[3]), tonumber(ARGV[4])
local used = tonumber(redis.call('HGET', KEYS[1], 's')) + tonumber(redis.call('HGET', KEYS[1], 'r'))
if used + amount <= limit then
  redis.call('HSET', KEYS[1], 'a:' .. ARGV[5], amount)
  redis.call('HINCRBY', KEYS[1], 'r', amount)
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[6]), ARGV[5])
end
done(reset, now)
return {used + amount <= limit and 1 or 0, used, reset}
