-- KEYS[1] hash: v value or n counter, e expiry ms.
-- ARGV: now, op (get|set|add), value or delta, ttl ms.
-- get returns {0} or {1, value}; set returns {1}; add returns {1, total}
-- or {0} when the value is not an integer.
local now = now_ms(ARGV[1])
local e = tonumber(redis.call('HGET', KEYS[1], 'e'))
local live = e ~= nil and e > now
local op = ARGV[2]
if op == 'get' then
  if not live then return {0} end
  local v = redis.call('HGET', KEYS[1], 'v')
  if not v then v = redis.call('HGET', KEYS[1], 'n') end
  return {1, v}
end
local ttl = tonumber(ARGV[4])
if op == 'set' then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'v', ARGV[3], 'e', now + ttl)
  keep(KEYS[1], ttl)
  return {1}
end
if not live then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'n', 0, 'e', now + ttl)
  keep(KEYS[1], ttl)
end
local v = redis.call('HGET', KEYS[1], 'v')
if v then
  if not string.match(v, '^-?%d+$') then return {0} end
  redis.call('HDEL', KEYS[1], 'v')
  redis.call('HSET', KEYS[1], 'n', v)
end
return {1, redis.call('HINCRBY', KEYS[1], 'n', ARGV[3])}
