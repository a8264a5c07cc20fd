-- CLUSTER QUEUED (REDIS_MODE=cluster; after sort_key.lua). One id's queue after a cursor, on its slot.
-- KEYS: P{ID}:q. ARGV: P{ID}:, the cursor or '' (the whole queue).
-- Reply: the blobs of its messages after the cursor, lowest cursor first (gone ones left out).
local q, base, after = KEYS[1], ARGV[1], ARGV[2]
local members
if after == '' then
  members = redis.call('ZRANGE', q, 0, -1)
else
  members = redis.call('ZRANGEBYLEX', q, '(' .. sort_key(after) .. '!', '+')
end
local out = {}
for _, m in ipairs(members) do
  local b = redis.call('HGET', base .. 'm:' .. seq_of(m), 'b')
  if b then out[#out + 1] = b end
end
return out
