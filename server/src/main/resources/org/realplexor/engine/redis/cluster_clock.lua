-- CLUSTER CLOCK (REDIS_MODE=cluster; after clock.lua and epoch.lua). The first step of a publish on a
-- Redis Cluster, on the control slot (every key here carries the hash tag {ctl}): the store's
-- epoch, the message's cursor from the one clock every node shares, and its number. The number
-- starts, on a store that has none, at Redis's time in microseconds, so a control shard that came
-- back empty never hands out a number that messages still queued on other shards have.
-- KEYS: P{ctl}:clock (for routing; the other keys carry the same tag).
-- ARGV: the control prefix P{ctl}:, '1' when a cursor is to be generated (some target has none) else '0'.
-- Reply: {number, generated cursor or '', epoch} (decoded by ClusterPublish).
local p = ARGV[1]
local epoch = store_epoch(p)
local gen = ''
if ARGV[2] == '1' then gen = next_cursor(p) end
local seq_key = p .. 'seq'
if not redis.call('GET', seq_key) then
  local t = redis.call('TIME')
  redis.call('SET', seq_key, t[1] .. string.format('%06d', tonumber(t[2])))
end
return {string.format('%.0f', redis.call('INCR', seq_key)), gen, epoch}
