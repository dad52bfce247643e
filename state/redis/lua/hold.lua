-- A named reservation (BudgetRequest.ID). ARGV: now, period, amount,
-- limit, id, ttl ms, force 0|1. Settled names are remembered in the zset
-- KEYS[3] (id -> when forgotten, ms), which outlives the period (see
-- settled.lua); a d:<id> field of the budget's hash is one settled by an
-- older router, in the period.
-- Returns {answer, used, reset, amount}: answer 0 refused (used before),
-- 1 granted, 2 held already (its ttl renewed; amount its own), 3 settled
-- already; used is spent plus reserved, the reservation included.
local now = now_ms(ARGV[1])
local reset = load(ARGV[2], now)
local amount, limit, id = tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local used = tonumber(redis.call('HGET', KEYS[1], 's')) + tonumber(redis.call('HGET', KEYS[1], 'r'))
local answer = 0
if settled(id, now) then
  answer = 3
else
  local held = redis.call('HGET', KEYS[1], 'a:' .. id)
  if held then
    amount, answer = tonumber(held), 2
    redis.call('ZADD', KEYS[2], now + tonumber(ARGV[6]), id)
  elseif used + amount <= limit or ARGV[7] == '1' then
    redis.call('HSET', KEYS[1], 'a:' .. id, amount)
    redis.call('HINCRBY', KEYS[1], 'r', amount)
    redis.call('ZADD', KEYS[2], now + tonumber(ARGV[6]), id)
    used, answer = used + amount, 1
  end
end
done(reset, now)
return {answer, used, reset, amount}
