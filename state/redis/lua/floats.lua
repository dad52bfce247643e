-- KEYS[1] hash of float fields; KEYS[2] its expiry (ms). ARGV: now, ttl
-- ms, then field and delta pairs. Adds each delta (HINCRBYFLOAT),
-- creating the hash with the ttl when it is absent or expired, and
-- returns every field and value (HGETALL).
local now = now_ms(ARGV[1])
local ttl = tonumber(ARGV[2])
local e = tonumber(redis.call('GET', KEYS[2]))
if e == nil or e <= now then
  redis.call('DEL', KEYS[1], KEYS[2])
  if #ARGV <= 2 then return {} end
  redis.call('SET', KEYS[2], now + ttl)
  keep(KEYS[2], ttl)
  e = nil
end
for i = 3, #ARGV, 2 do
  redis.call('HINCRBYFLOAT', KEYS[1], ARGV[i], ARGV[i + 1])
end
if e == nil then keep(KEYS[1], ttl) end
return redis.call('HGETALL', KEYS[1])
