-- PUBLISH ONCE, tail: closes publish_fresh() (opened by publish_once_head.lua), runs it and
-- remembers its answer under the key for the window.
end
local once_reply = publish_fresh()
redis.call('SET', once_key, once_reply[2] .. '\n' .. once_template, 'PX', once_ms)
return once_reply
