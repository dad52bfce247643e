-- Shared by every script. ARGV[1] is the time in ms, or -1 for the
-- server's clock (TIME), which is what lets several processes agree.
local function now_ms(arg)
  local n = tonumber(arg)
  if n >= 0 then return n end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- keep sets a key's expiry to ms from now, at least 1 ms.
local function keep(key, ms)
  redis.call('PEXPIRE', key, math.max(1, math.ceil(ms)))
end
