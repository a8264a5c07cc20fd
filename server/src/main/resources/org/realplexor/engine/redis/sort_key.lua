-- Prelude (concatenated in front of publish.lua and queued.lua): a cursor's order-preserving text.
-- sort_key(c): the count of digits of the integer part's length, that length, the integer digits
-- without leading zeros, then the fraction without trailing zeros. Byte order of two keys is the
-- exact decimal order of the cursors, so a lexically ordered zset sorts queues exactly (scores are
-- doubles: two generated cursors one microsecond apart would tie). Queue members are
-- "SORTKEY SEQ"; the space sorts below every digit, so a cursor sorts before all longer ones that
-- extend it (1 before 1.5). seq_of(member): the message number of a queue member.
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
