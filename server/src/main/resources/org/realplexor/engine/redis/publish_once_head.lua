-- PUBLISH ONCE, head: a publish that carries an idempotency key. Loaded as sort_key.lua, clock.lua,
-- this file, publish.lua, publish_once_tail.lua: publish.lua becomes the body of publish_fresh(),
-- which runs only when the key is not in Redis; the tail then sets the key to the answer, with the
-- window as its lifetime, in the same atomic call. So two nodes receiving the same key at once
-- store the message once: the later call finds the key the earlier one set.
-- KEYS: none (the key is built by the caller from the prefix).
-- ARGV: publish.lua's (which reads its own by position), then three more at the end:
--       the key (P:once:LOGIN:KEY), the window (ms), the answer's template: one line per target in
--       the publisher's order, "ID CURSOR\n" for a given cursor, "ID \n" for the generated one.
-- Reply: stored now, publish.lua's {seq, generated cursor or ''};
--        known, {'again', generated cursor or '' .. '\n' .. template} (decoded by RedisPublishOnce).
local once_key = ARGV[#ARGV - 2]
local once_ms = ARGV[#ARGV - 1]
local once_template = ARGV[#ARGV]
local once_known = redis.call('GET', once_key)
if once_known then return {'again', once_known} end
local function publish_fresh()
