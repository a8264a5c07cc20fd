-- Prelude (concatenated in front of publish.lua, queued.lua and presence.lua): the store's
-- identity. Message numbers (P:seq) mean something only within one history of the data: a
-- Redis restarted empty, or a replica promoted after missing the last writes, numbers new
-- messages with numbers nodes have already cached for others. P:epoch (hash id, replid) names
-- the history: made when missing, and made anew when the master's replication id differs from
-- the one it was made under (a restart or a promotion gives the master a new one; a replica
-- copies P:epoch but never its master's replication id). Every script returns it, so each
-- node notices a change on its next call, and drops what it cached.
-- store_epoch(p): the current epoch id, and how many replicas the master has connected and in sync.
local function store_epoch(p)
  local key = p .. 'epoch'
  local info = redis.call('INFO', 'replication')
  local replid = info:match('master_replid:(%w+)') or ''
  -- replicas still in their first sync ('wait_bgsave', 'send_bulk') cannot acknowledge yet
  local replicas = 0
  for _ in info:gmatch('state=online') do replicas = replicas + 1 end
  local e = redis.call('HMGET', key, 'id', 'replid')
  if e[1] and e[2] == replid then return e[1], replicas end
  local t = redis.call('TIME')
  local id = t[1] .. string.format('%06d', tonumber(t[2]))
  if id == e[1] then id = id .. 'b' end
  redis.call('HSET', key, 'id', id, 'replid', replid)
  return id, replicas
end
