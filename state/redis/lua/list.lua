-- ARGV: now, period. Returns {spent, reserved, reset, current 0|1}: the
-- usage script's answer for a budget of the current period; a budget
-- whose period ended (its keys not yet expired) is left as it is and
-- answers current 0.
local now = now_ms(ARGV[1])
local start, reset = bounds(ARGV[2], now)
if tonumber(redis.call('HGET', KEYS[1], 'p')) ~= start then
  return {0, 0, reset, 0}
end
load(ARGV[2], now)
local s, r = done(reset, now)
return {s, r, reset, 1}
