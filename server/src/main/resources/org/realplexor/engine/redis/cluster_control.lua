-- CLUSTER CONTROL (REDIS_MODE=cluster; after epoch.lua). Read before a node reads queues back: the
-- last message number and the store's epoch, on the control slot.
-- KEYS: P{ctl}:clock (for routing). ARGV: P{ctl}:. Reply: {last number or '0', epoch}.
local p = ARGV[1]
local epoch = store_epoch(p)
return {redis.call('GET', p .. 'seq') or '0', epoch}
