-- CLUSTER PART (REDIS_MODE=cluster; after sort_key.lua). A message's part on one target id's slot
-- (its keys carry the hash tag {ID}): the blob, the queue entry, rotation and renewal as in
-- publish.lua, and the blob on the bus. The cursor and number come from cluster_clock.lua. Two
-- publishes that took their cursors in one order may reach this slot in the other (from two
-- nodes): a generated cursor not above the last one generated for this id is raised just above
-- it (a 15th fraction digit and on, still below every cursor the clock makes later), so an id's
-- cursors increase in the order its queue gets them, which is the order its listeners see.
-- KEYS: P{ID}:q (the queue), P{ID}:qt (when it last renewed), P{ID}:lc (the last generated cursor
--       stored), P{ID}:m:SEQ (this message's blob).
-- ARGV: P{ID}: (messages dropped by rotation are P{ID}:m:THEIRS), number, generated cursor or '',
--       epoch, ID, ID's given cursor or '', MAX_DATA_FOR_ID, CLEAN_ID_AFTER (ms), the bus channel,
--       the blob's pairs line up to ID's cursor, the rest (the pairs after it, limiters, data),
--       replicas needed (REDIS_REPLICA_ACK_STRICT: with fewer connected, this part stores nothing
--       and the NOREPLICAS error answers; 0: never refuse).
-- Reply: {ID's cursor as stored, replicas the shard's master has connected and in sync}.
local function bump(last)
  local dot = last:find('.', 1, true)
  local int = dot and last:sub(1, dot - 1) or last
  local frac = dot and last:sub(dot + 1) or ''
  if #frac < 14 then
    frac = frac .. string.rep('0', 14 - #frac) .. '1'
  elseif #frac == 14 then
    frac = frac .. '1'
  else
    local d = tonumber(frac:sub(-1))
    if d < 9 then frac = frac:sub(1, -2) .. (d + 1) else frac = frac .. '1' end
  end
  return int .. '.' .. frac
end
local q, qt, lc, mkey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local base, seq, gen, epoch, id, c = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local max_data, clean_ms, bus = tonumber(ARGV[7]), tonumber(ARGV[8]), ARGV[9]
local replicas = 0
for _ in redis.call('INFO', 'replication'):gmatch('state=online') do replicas = replicas + 1 end
local needed = tonumber(ARGV[12] or '0')
if replicas < needed then
  return redis.error_reply('NOREPLICAS the shard master of ' .. id .. ' has ' .. replicas .. ' connected replica(s), '
    .. needed .. ' needed (REDIS_REPLICA_ACK_STRICT): its part was not stored')
end
if c == '' then
  c = gen
  local last = redis.call('GET', lc)
  if last and sort_key(c) <= sort_key(last) then c = bump(last) end
  redis.call('SET', lc, c, 'PX', clean_ms)
end
local blob = seq .. ' ' .. (gen == '' and '-' or gen) .. ' ' .. epoch .. ' ' .. id .. '\n' .. ARGV[10] .. c .. ARGV[11]
redis.call('HSET', mkey, 'b', blob)
redis.call('PEXPIRE', mkey, 2 * clean_ms)
redis.call('ZADD', q, 0, sort_key(c) .. ' ' .. seq)
local extra = redis.call('ZCARD', q) - max_data
if extra > 0 then
  for _, gone in ipairs(redis.call('ZRANGE', q, 0, extra - 1)) do redis.call('DEL', base .. 'm:' .. seq_of(gone)) end
  redis.call('ZREMRANGEBYRANK', q, 0, extra - 1)
end
redis.call('PEXPIRE', q, clean_ms)
-- as in publish.lua: a message outlives its queue; the queue renews them once per CLEAN_ID_AFTER
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local renewed = tonumber(redis.call('GET', qt) or '-1')
if renewed < 0 or now_ms - renewed > clean_ms then
  for _, m in ipairs(redis.call('ZRANGE', q, 0, -1)) do redis.call('PEXPIRE', base .. 'm:' .. seq_of(m), 2 * clean_ms) end
  redis.call('SET', qt, string.format('%.0f', now_ms), 'PX', clean_ms)
end
redis.call('PUBLISH', bus, blob)
return {c, replicas}
