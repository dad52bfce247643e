-- Calendar arithmetic in UTC (H. Hinnant's algorithms), since Redis Lua
-- has no os.date.
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local doy = math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

local function civil_from_days(z)
  z = z + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local m = mp < 10 and mp + 3 or mp - 9
  if m <= 2 then y = y + 1 end
  return y, m
end

-- bounds returns the start and the reset (ms) of the period holding now.
local function bounds(period, now)
  local day = math.floor(now / 86400000)
  if period == 'day' then return day * 86400000, (day + 1) * 86400000 end
  local y, m = civil_from_days(day)
  local start = days_from_civil(y, m, 1)
  if m == 12 then y, m = y + 1, 1 else m = m + 1 end
  return start * 86400000, days_from_civil(y, m, 1) * 86400000
end

-- load brings the budget (KEYS[1] hash: p period start, s spent, r
-- reserved, a:<id> amounts; KEYS[2] zset: id -> expiry) to the period
-- holding now: a new period starts from zero, expired reservations are
-- dropped. It returns the period's reset.
local function load(period, now)
  local start, reset = bounds(period, now)
  if tonumber(redis.call('HGET', KEYS[1], 'p')) ~= start then
    redis.call('DEL', KEYS[1], KEYS[2])
    redis.call('HSET', KEYS[1], 'p', start, 's', 0, 'r', 0)
  end
  local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
  if #expired > 0 then
    local freed = 0
    for _, id in ipairs(expired) do
      freed = freed + (tonumber(redis.call('HGET', KEYS[1], 'a:' .. id)) or 0)
      redis.call('HDEL', KEYS[1], 'a:' .. id)
    end
    redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
    redis.call('HINCRBY', KEYS[1], 'r', 0 - freed)
  end
  return reset
end

-- done makes both keys expire when the period ends (a new period starts
-- from zero anyway) and returns the budget's spent and reserved.
local function done(reset, now)
  keep(KEYS[1], reset - now)
  keep(KEYS[2], reset - now)
  return tonumber(redis.call('HGET', KEYS[1], 's')), tonumber(redis.call('HGET', KEYS[1], 'r'))
end
