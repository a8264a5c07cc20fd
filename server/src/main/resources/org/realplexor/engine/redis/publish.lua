-- PUBLISH (after sort_key.lua, clock.lua and epoch.lua). Stores the message once, links it from every target
-- queue, rotates each queue to the highest cursors (releasing what falls out), extends the
-- queue's lifetime (and, once per CLEAN_ID_AFTER, its messages'), and publishes the blob.
-- KEYS: none (built from the prefix).
-- ARGV: prefix, MAX_DATA_FOR_ID, CLEAN_ID_AFTER (ms), target count N, N x (id, cursor or ''),
--       limiter count L, L x limiter, data, replicas needed (with fewer connected, nothing is
--       stored and the NOREPLICAS error answers; 0: never refuse).
-- Reply: {seq, generated cursor or '', epoch, replicas connected} (decoded by Replies.published).
local p = ARGV[1]
local epoch, replicas = store_epoch(p)
local max_data = tonumber(ARGV[2])
local clean_ms = tonumber(ARGV[3])
local n = tonumber(ARGV[4])
local needed = tonumber(ARGV[7 + 2 * n + tonumber(ARGV[5 + 2 * n])])
if replicas < needed then
  return redis.error_reply('NOREPLICAS the master has ' .. replicas .. ' connected replica(s), '
    .. needed .. ' needed (REDIS_REPLICA_ACK_STRICT): nothing was stored')
end
local gen = ''
local ids, keys, pairs_text = {}, {}, {}
for i = 1, n do
  local id, c = ARGV[3 + 2 * i], ARGV[4 + 2 * i]
  if c == '' then
    if gen == '' then gen = next_cursor(p) end
    c = gen
  end
  ids[i] = id
  keys[i] = sort_key(c)
  pairs_text[i] = id .. ' ' .. c
end
local nl = tonumber(ARGV[5 + 2 * n])
local limiters = {}
for i = 1, nl do limiters[i] = ARGV[5 + 2 * n + i] end
local data = ARGV[6 + 2 * n + nl]
local seq = string.format('%.0f', redis.call('INCR', p .. 'seq'))
local blob = seq .. ' ' .. (gen == '' and '-' or gen) .. ' ' .. epoch .. '\n' .. table.concat(pairs_text, ' ')
  .. '\n' .. table.concat(limiters, ' ') .. '\n' .. data
local mkey = p .. 'm:' .. seq
redis.call('HSET', mkey, 'b', blob, 'r', n)
redis.call('PEXPIRE', mkey, 2 * clean_ms)
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 1, n do
  local q = p .. 'q:' .. ids[i]
  redis.call('ZADD', q, 0, keys[i] .. ' ' .. seq)
  local extra = redis.call('ZCARD', q) - max_data
  if extra > 0 then
    for _, gone in ipairs(redis.call('ZRANGE', q, 0, extra - 1)) do
      local gkey = p .. 'm:' .. seq_of(gone)
      if redis.call('HINCRBY', gkey, 'r', -1) <= 0 then redis.call('DEL', gkey) end
    end
    redis.call('ZREMRANGEBYRANK', q, 0, extra - 1)
  end
  redis.call('PEXPIRE', q, clean_ms)
  -- A message must outlive every queue that holds it. Messages get 2 x CLEAN_ID_AFTER
  -- and a queue renews its members' lifetime once per CLEAN_ID_AFTER (P:qt:ID holds
  -- when it last did), so each publish costs O(1) here, not O(queue).
  local qt = p .. 'qt:' .. ids[i]
  local renewed = tonumber(redis.call('GET', qt) or '-1')
  if renewed < 0 or now_ms - renewed > clean_ms then
    for _, m in ipairs(redis.call('ZRANGE', q, 0, -1)) do
      redis.call('PEXPIRE', p .. 'm:' .. seq_of(m), 2 * clean_ms)
    end
    redis.call('SET', qt, string.format('%.0f', now_ms), 'PX', clean_ms)
  end
end
redis.call('PUBLISH', p .. 'bus', blob)
return {seq, gen, epoch, replicas}
