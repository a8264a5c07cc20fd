-- Prelude (concatenated in front of publish.lua and presence.lua): cursors from Redis's clock
-- plus a counter kept in Redis (P:clock, hash us, n), one clock for every node.
-- next_cursor(p): a new cursor, greater than every one made before. last_cursor(p): the last one
-- made, or '' on a fresh store.
local function format_cursor(us, n)
  return string.format('%.0f.%06d%08d', math.floor(us / 1000000), us % 1000000, n)
end
local function next_cursor(p)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local st = redis.call('HMGET', p .. 'clock', 'us', 'n')
  local last, n = tonumber(st[1]), tonumber(st[2])
  if last == nil or now > last then
    last, n = now, 0
  else
    n = n + 1
    if n >= 100000000 then last, n = last + 1, 0 end
  end
  redis.call('HSET', p .. 'clock', 'us', string.format('%.0f', last), 'n', n)
  return format_cursor(last, n)
end
local function last_cursor(p)
  local st = redis.call('HMGET', p .. 'clock', 'us', 'n')
  if not st[1] then return '' end
  return format_cursor(tonumber(st[1]), tonumber(st[2]))
end
