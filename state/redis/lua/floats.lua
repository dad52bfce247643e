-- KEYS[1] hash of float fields; KEYS[2] its expiry (ms); KEYS[3] the last
-- sequence number each writer added (a hash, expiring with KEYS[1]).
-- ARGV: now, ttl ms, writer ('' for none), sequence number, then field
-- and delta pairs. Adds each delta (HINCRBYFLOAT) unless the writer's
-- sequence number is not above the last one it added, creating the hash
-- with the ttl when it is absent or expired, and returns every field and
-- value (HGETALL).
local now = now_ms(ARGV[1])
local ttl = tonumber(ARGV[2])
local e = tonumber(redis.call('GET', KEYS[2]))
local created = false
if e == nil or e <= now then
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
  if #ARGV <= 4 then return {} end
  redis.call('SET', KEYS[2], now + ttl)
  keep(KEYS[2], ttl)
  e = now + ttl
  created = true
end
if ARGV[3] ~= '' then
  local last = tonumber(redis.call('HGET', KEYS[3], ARGV[3]))
  if last ~= nil and tonumber(ARGV[4]) <= last then
    return redis.call('HGETALL', KEYS[1])
  end
  redis.call('HSET', KEYS[3], ARGV[3], ARGV[4])
  keep(KEYS[3], e - now)
end
for i = 5, #ARGV, 2 do
  redis.call('HINCRBYFLOAT', KEYS[1], ARGV[i], ARGV[i + 1])
end
if created then keep(KEYS[1], ttl) end
return redis.call('HGETALL', KEYS[1])
