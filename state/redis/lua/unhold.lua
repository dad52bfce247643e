-- Settles (actual >= 0) or releases (-1) a named reservation. ARGV: now,
-- period, id, actual. A settle is remembered (d:<id>) until the period
-- ends. Returns 1 if it was held, 0 if not (a settle counts actual
-- either way), 2 if it was settled already (nothing counted).
local now = now_ms(ARGV[1])
local reset = load(ARGV[2], now)
local actual, id = tonumber(ARGV[4]), ARGV[3]
if actual >= 0 then
  if redis.call('HEXISTS', KEYS[1], 'd:' .. id) == 1 then
    done(reset, now)
    return 2
  end
  redis.call('HINCRBY', KEYS[1], 's', actual)
  redis.call('HSET', KEYS[1], 'd:' .. id, 1)
end
local amount = redis.call('HGET', KEYS[1], 'a:' .. id)
local held = 0
if amount then
  redis.call('HDEL', KEYS[1], 'a:' .. id)
  redis.call('ZREM', KEYS[2], id)
  redis.call('HINCRBY', KEYS[1], 'r', 0 - tonumber(amount))
  held = 1
end
done(reset, now)
return held
