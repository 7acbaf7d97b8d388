-- Counts a batch of votes read from the votes topic, atomically with the topic position it reached.
--
-- KEYS[1]  the positions hash of the topic: partition -> next offset to apply
-- ARGV[1]  now, in epoch milliseconds (the "counted at" of votes first counted by this call)
-- ARGV[2]  n, the number of (partition, expected position, next offset) triples that follow; the
--          expected position is what the counter last read or wrote ('' when there was none)
-- then n triples, then six values per vote: contest, id, band, album, partition, offset
--
-- Returns one string per vote:
--   "new"                      first counted now
--   "<countedAt>:<p>:<offset>" already counted (when, and from which record): a replay of a
--                              record applied before (offset below the stored position, so
--                              nothing changes), or another record with an id already counted
--                              (a client's duplicate: counted apart, not in the tallies)
--
-- When a stored position is not the expected one, nothing is written and the script answers the
-- error POSITIONS_CHANGED: Redis lost writes (a crash before its AOF was synced) or another counter
-- took the partition over; the counter then rereads the positions and resumes from them.
-- Positions only move forward, so a stale counter that lost its partitions cannot move them back.
local positions = KEYS[1]
local now = ARGV[1]
local npos = tonumber(ARGV[2])
local applied = {}
local i = 3
for _ = 1, npos do
  local stored = redis.call('HGET', positions, ARGV[i])
  if (stored or '') ~= ARGV[i + 1] then
    return redis.error_reply('POSITIONS_CHANGED partition ' .. ARGV[i] .. ' is at ' .. (stored or 'none')
      .. ', not ' .. (ARGV[i + 1] == '' and 'none' or ARGV[i + 1]))
  end
  applied[ARGV[i]] = tonumber(stored or '0')
  i = i + 3
end
local sep = '\31'
local out = {}
while i <= #ARGV do
  local contest, id, band, album, p, off = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
  i = i + 6
  local seen = 'ovation:seen:' .. contest
  if tonumber(off) < (applied[p] or 0) then
    out[#out + 1] = redis.call('HGET', seen, id) or 'lost'
  else
    local prior = redis.call('HGET', seen, id)
    local tally = 'ovation:tally:' .. contest
    if prior then
      redis.call('HINCRBY', tally, 'duplicates', 1)
      out[#out + 1] = prior
    else
      redis.call('HSET', seen, id, now .. ':' .. p .. ':' .. off)
      redis.call('HINCRBY', tally, 'total', 1)
      redis.call('HINCRBY', tally, 'b' .. sep .. band, 1)
      redis.call('HINCRBY', tally, 'a' .. sep .. band .. sep .. album, 1)
      out[#out + 1] = 'new'
    end
  end
end
i = 3
for _ = 1, npos do
  if tonumber(ARGV[i + 2]) > applied[ARGV[i]] then
    redis.call('HSET', positions, ARGV[i], ARGV[i + 2])
  end
  i = i + 3
end
return out
