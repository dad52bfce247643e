-- ARGV: now, period. Returns {spent, reserved, reset}.
local now = now_ms(ARGV[1])
local reset = load(ARGV[2], now)
local s, r = done(reset, now)
return {s, r, reset}
