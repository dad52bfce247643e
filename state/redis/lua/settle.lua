-- ARGV: now, period, id, actual (-1 to release). Returns 1 if the
-- reservation was held, else 0; a settle counts actual either way.
local now = now_ms(ARGV[1])
local reset = load(ARGV[2], now)
local actual = tonumber(ARGV[4])
if actual >= 0 then redis.call('HINCRBY', KEYS[1], 's', actual) end
local f = 'a:' .. ARGV[3]
local amount = redis.call('HGET', KEYS[1], f)
local held = 0
if amount then
  redis.call('HDEL', KEYS[1], f)
  redis.call('ZREM', KEYS[2], ARGV[3])
  redis.call('HINCRBY', KEYS[1], 'r', 0 - tonumber(amount))
  held = 1
end
done(reset, now)
return held
