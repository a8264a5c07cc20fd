-- QUEUED (after sort_key.lua and epoch.lua). Reads queues for listeners registering or a node
-- catching up.
-- KEYS: none (built from the prefix).
-- ARGV: prefix, the epoch the node's cache belongs to, from, to (the message numbers the node
--       holds), then (id, cursor or '') pairs. Under another epoch than the store's, the node
--       holds nothing of it: every blob is sent.
-- Reply (decoded by Replies.queued): per id, the numbers of its messages with a cursor greater
-- than the given one (all of them without one), lowest cursor first; then the blobs of those
-- messages outside from..to (the node has those), each once; then the last message number;
-- then the store's epoch.
-- Numbers whose message is gone are left out.
local p = ARGV[1]
local epoch = store_epoch(p)
local from, to = tonumber(ARGV[3]), tonumber(ARGV[4])
if ARGV[2] ~= epoch then from, to = 1, 0 end
local out, blobs, seen = {}, {}, {}
for i = 5, #ARGV, 2 do
  local q, after = p .. 'q:' .. ARGV[i], ARGV[i + 1]
  local members
  if after == '' then
    members = redis.call('ZRANGE', q, 0, -1)
  else
    -- '!' sorts above the space that ends a member's key: members equal to the cursor are out
    members = redis.call('ZRANGEBYLEX', q, '(' .. sort_key(after) .. '!', '+')
  end
  local list = {}
  for _, m in ipairs(members) do
    local s = seq_of(m)
    local n = tonumber(s)
    if n >= from and n <= to then
      list[#list + 1] = s
    else
      if seen[s] == nil then
        local b = redis.call('HGET', p .. 'm:' .. s, 'b')
        seen[s] = b and true or false
        if b then blobs[#blobs + 1] = b end
      end
      if seen[s] then list[#list + 1] = s end
    end
  end
  out[#out + 1] = list
end
out[#out + 1] = blobs
out[#out + 1] = redis.call('GET', p .. 'seq') or '0'
out[#out + 1] = epoch
return out
