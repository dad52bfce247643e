-- The settled named reservations of a budget: the zset KEYS[3], id ->
-- when it is forgotten (ms). It is not the period's: a settle repeated
-- after the period's end (a batch resumed the next day) must still find
-- it. The key expires with its last entry.

-- settled reports whether id was settled and is still remembered at now
-- (or was settled in the period by a router that kept d:<id> fields).
local function settled(id, now)
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  return redis.call('ZSCORE', KEYS[3], id) ~= false or redis.call('HEXISTS', KEYS[1], 'd:' .. id) == 1
end

-- remember records id as settled until forget (ms).
local function remember(id, forget, now)
  redis.call('ZADD', KEYS[3], forget, id)
  if redis.call('PTTL', KEYS[3]) < forget - now then
    keep(KEYS[3], forget - now)
  end
end
