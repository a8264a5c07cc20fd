-- PRESENCE (after clock.lua and epoch.lua). First the cluster's timers: nodes whose heartbeat deadline passed
-- are reaped (their counts leave the totals), due offline countdowns end. Then this node's
-- heartbeat and its listener counts: absolute per id, so a resend after a failure is harmless;
-- 'full' also zeroes ids not given; 'leave' takes all of the node's counts off and removes the
-- node. The event log keeps the newest "events kept" entries (Settings#eventsKept).
-- KEYS: none (built from the prefix).
-- ARGV: prefix, node, node TTL (ms), OFFLINE_TIMEOUT (ms), events kept, mode ('' | 'full' |
--       'leave'), read ('' | 'events' | 'stats'), read argument (events: the position after
--       which), then (id, count) pairs.
-- Reply (decoded by Replies.presence): {1 if the node was not registered (new, or reaped) else 0,
-- the last generated cursor, the last message number, the next event position, the store's
-- epoch}, then for read
-- 'events' the kept "POS TYPE ID" entries from the asked position on; for 'stats' the online ids,
-- the offline countdowns, the nodes with their deadlines (WITHSCORES), Redis's time (ms), the
-- events kept.
local p, node = ARGV[1], ARGV[2]
local ttl, offline, chain = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local mode, read, read_arg = ARGV[6], ARGV[7], ARGV[8]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nodes, totals, offat = p .. 'nodes', p .. 'online', p .. 'offline_at'
local events, event_next = p .. 'events', p .. 'event_next'

local function event(kind, id)
  local pos = tonumber(redis.call('GET', event_next) or '10')
  redis.call('RPUSH', events, string.format('%.0f', pos) .. ' ' .. kind .. ' ' .. id)
  redis.call('SET', event_next, string.format('%.0f', pos + 1))
  redis.call('LTRIM', events, -chain, -1)
end
-- the cluster-wide count of id moves by delta
local function change(id, delta)
  if delta == 0 then return end
  local before = redis.call('HGET', totals, id)
  local after = tonumber(before or '0') + delta
  if after > 0 then
    if not before then event('online', id) end
    redis.call('HSET', totals, id, after)
    redis.call('ZREM', offat, id)
  elseif before and tonumber(before) > 0 then
    redis.call('HSET', totals, id, 0)
    redis.call('ZADD', offat, now + offline, id)
  end
end

for _, dead in ipairs(redis.call('ZRANGEBYSCORE', nodes, '-inf', now)) do
  local counts = redis.call('HGETALL', p .. 'node:' .. dead)
  for i = 1, #counts, 2 do change(counts[i], -tonumber(counts[i + 1])) end
  redis.call('DEL', p .. 'node:' .. dead)
  redis.call('ZREM', nodes, dead)
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', offat, '-inf', now)) do
  redis.call('ZREM', offat, id)
  if redis.call('HGET', totals, id) == '0' then
    redis.call('HDEL', totals, id)
    event('offline', id)
  end
end

local fresh = 0
if mode ~= 'leave' then fresh = redis.call('ZADD', nodes, now + ttl, node) end
local mine = p .. 'node:' .. node
if mode == 'leave' then
  local counts = redis.call('HGETALL', mine)
  for i = 1, #counts, 2 do change(counts[i], -tonumber(counts[i + 1])) end
  redis.call('DEL', mine)
  redis.call('ZREM', nodes, node)
else
  local given = {}
  for i = 9, #ARGV, 2 do
    local id, n = ARGV[i], tonumber(ARGV[i + 1])
    given[id] = true
    local old = tonumber(redis.call('HGET', mine, id) or '0')
    if n > 0 then redis.call('HSET', mine, id, n) else redis.call('HDEL', mine, id) end
    change(id, n - old)
  end
  if mode == 'full' then
    local counts = redis.call('HGETALL', mine)
    for i = 1, #counts, 2 do
      if not given[counts[i]] then
        redis.call('HDEL', mine, counts[i])
        change(counts[i], -tonumber(counts[i + 1]))
      end
    end
  end
end

-- a fresh store has no clock yet: start it, so every node has a "now" to hand out
local last = last_cursor(p)
if last == '' then last = next_cursor(p) end
local out = {fresh, last, redis.call('GET', p .. 'seq') or '0',
             redis.call('GET', event_next) or '10', store_epoch(p)}
if read == 'events' then
  local from = tonumber(read_arg)
  local first = redis.call('LINDEX', events, 0)
  local start = 0
  if first then
    local first_pos = tonumber(first:match('^(%d+)'))
    if from + 1 > first_pos then start = from + 1 - first_pos end
  end
  out[6] = redis.call('LRANGE', events, start, -1)
elseif read == 'stats' then
  out[6] = redis.call('HLEN', totals)
  out[7] = redis.call('ZCARD', offat)
  out[8] = redis.call('ZRANGE', nodes, 0, -1, 'WITHSCORES')
  out[9] = now
  out[10] = redis.call('LLEN', events)
end
return out
