-- Settles (actual >= 0) or releases (-1) a named reservation. ARGV: now,
-- period, id, actual, memory ms (state.SettledMemory). A settle is
-- remembered (settled.lua) for memory ms, or to the period's end if that
-- is later, across the period's end. Returns 1 if it was held, 0 if not
-- (a settle counts actual either way), 2 if it was settled already
-- (nothing counted).
local now = now_ms(ARGV[1])
local reset = load(ARGV[2], now)
local actual, id = tonumber(ARGV[4]), ARGV[3]
if actual >= 0 then
  if settled(id, now) then
    done(reset, now)
    return 2
  end
  redis.call('HINCRBY', KEYS[1], 's', actual)
  remember(id, math.max(now + tonumber(ARGV[5]), reset), now)
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
