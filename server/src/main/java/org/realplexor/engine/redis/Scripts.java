package org.realplexor.engine.redis;

/**
 * The Lua run inside Redis. Every script takes the key prefix as ARGV[1] and builds its keys from
 * it (standalone Redis or Sentinel; not Redis Cluster, whose scripts must name their keys up
 * front). Each call is atomic, which is what makes cursors, queues and presence consistent across
 * nodes without locks. Key layout (P = prefix):
 *
 * <pre>
 * P:clock            hash  us, n: the last generated cursor (microseconds, counter)
 * P:seq              int   the last message number
 * P:m:SEQ            hash  b = the message blob (MessageCodec), r = queues still holding it
 * P:q:ID             zset  the queue of ID; all scores 0, members "SORTKEY SEQ" in cursor order
 * P:qt:ID            int   when the queue last renewed its messages' lifetime (Redis time, ms)
 * P:bus              pub/sub channel carrying each message blob once
 * P:nodes            zset  node id -&gt; heartbeat deadline (Redis time, ms)
 * P:node:NODE        hash  id -&gt; listeners on that node
 * P:online           hash  id -&gt; listeners on all nodes (0 while its offline countdown runs)
 * P:offline_at       zset  id -&gt; when its countdown ends (Redis time, ms)
 * P:events           list  "POS TYPE ID", the newest 3 x (EVENT_CHAIN_LEN + 1) events
 * P:event_next       int   the position the next event gets (10 on a fresh store)
 * </pre>
 */
final class Scripts {
    private Scripts() {
    }

    /**
     * A cursor's order-preserving text: the count of digits of the integer part's length, that
     * length, the integer digits without leading zeros, then the fraction without trailing zeros.
     * Byte order of two keys is the exact decimal order of the cursors, so a lexically ordered
     * zset sorts queues exactly (scores are doubles: two generated cursors one microsecond apart
     * would tie). Members are "SORTKEY SEQ"; the space sorts below every digit, so a cursor sorts
     * before all longer ones that extend it (1 before 1.5).
     */
    private static final String SORT_KEY = """
            local function sort_key(c)
              local dot = c:find('.', 1, true)
              local int = dot and c:sub(1, dot - 1) or c
              local frac = dot and c:sub(dot + 1) or ''
              int = int:gsub('^0+', '')
              frac = frac:gsub('0+$', '')
              local len = tostring(#int)
              return #len .. len .. int .. frac
            end
            local function seq_of(member)
              return member:match(' (%d+)$')
            end
            """;

    /** Cursors from Redis's clock plus a counter kept in Redis: one clock for every node. */
    private static final String CLOCK = """
            local function format_cursor(us, n)
              return string.format('%.0f.%06d%08d', math.floor(us / 1000000), us % 1000000, n)
            end
            local function next_cursor(p)
              local t = redis.call('TIME')
              local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
              local st = redis.call('HMGET', p .. 'clock', 'us', 'n')
              local last, n = tonumber(st[1]), tonumber(st[2])
              if last == nil or now > last then
                last, n = now, 0
              else
                n = n + 1
                if n >= 100000000 then last, n = last + 1, 0 end
              end
              redis.call('HSET', p .. 'clock', 'us', string.format('%.0f', last), 'n', n)
              return format_cursor(last, n)
            end
            local function last_cursor(p)
              local st = redis.call('HMGET', p .. 'clock', 'us', 'n')
              if not st[1] then return '' end
              return format_cursor(tonumber(st[1]), tonumber(st[2]))
            end
            """;

    /**
     * ARGV: prefix, MAX_DATA_FOR_ID, CLEAN_ID_AFTER (ms), target count, (id, cursor or '')...,
     * limiter count, limiters..., data. Stores the message once, links it from every target
     * queue, rotates each queue to the highest cursors (releasing what falls out), extends the
     * queue's lifetime (and, once per CLEAN_ID_AFTER, its messages'), and publishes the blob.
     * Returns {seq, generated cursor or ''}.
     */
    static final String PUBLISH = SORT_KEY + CLOCK + """
            local p = ARGV[1]
            local max_data = tonumber(ARGV[2])
            local clean_ms = tonumber(ARGV[3])
            local n = tonumber(ARGV[4])
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
            local blob = seq .. ' ' .. (gen == '' and '-' or gen) .. '\\n' .. table.concat(pairs_text, ' ')
              .. '\\n' .. table.concat(limiters, ' ') .. '\\n' .. data
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
            return {seq, gen}
            """;

    /**
     * ARGV: prefix, from, to, (id, cursor or '')... Returns, per id, the numbers of its messages
     * with a cursor greater than the given one (all of them without one), lowest cursor first;
     * then the blobs of those messages outside from..to (the node has those), each once; then the
     * last message number. Numbers whose message is gone are left out.
     */
    static final String QUEUED = SORT_KEY + """
            local p = ARGV[1]
            local from, to = tonumber(ARGV[2]), tonumber(ARGV[3])
            local out, blobs, seen = {}, {}, {}
            for i = 4, #ARGV, 2 do
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
            return out
            """;

    /**
     * ARGV: prefix, node, node TTL (ms), OFFLINE_TIMEOUT (ms), events kept (Settings#eventsKept), mode ('' | 'full'
     * | 'leave'), read ('' | 'events' | 'stats': the sizes of the
     * tables, which are read in pages after), read argument, (id, count)...
     *
     * <p>First the cluster's timers: nodes whose heartbeat deadline passed are reaped (their
     * counts leave the totals), due offline countdowns end. Then this node's heartbeat and its
     * listener counts: absolute per id, so a resend after a failure is harmless; 'full' also zeroes
     * ids not given; 'leave' takes all of the node's counts off and removes the node. Returns {1 if the node was not registered (new,
     * or reaped), the last generated cursor, the last message number, the next event position,
     * the read result}.
     */
    static final String PRESENCE = CLOCK + """
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
                         redis.call('GET', event_next) or '10'}
            if read == 'events' then
              local from = tonumber(read_arg)
              local first = redis.call('LINDEX', events, 0)
              local start = 0
              if first then
                local first_pos = tonumber(first:match('^(%d+)'))
                if from + 1 > first_pos then start = from + 1 - first_pos end
              end
              out[5] = redis.call('LRANGE', events, start, -1)
            elseif read == 'stats' then
              out[5] = redis.call('HLEN', totals)
              out[6] = redis.call('ZCARD', offat)
              out[7] = redis.call('ZRANGE', nodes, 0, -1, 'WITHSCORES')
              out[8] = now
              out[9] = redis.call('LLEN', events)
            end
            return out
            """;
}
