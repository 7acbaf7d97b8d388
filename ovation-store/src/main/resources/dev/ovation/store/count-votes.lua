-- Counts a batch of votes read from the votes topic, atomically with the topic position it reached.
--
-- KEYS[1]  the positions hash of the topic: partition -> next offset to apply
-- ARGV[1]  now, in epoch milliseconds (the "counted at" of votes first counted by this call)
-- ARGV[2]  n, the number of (partition, expected position, next offset) triples that follow; the
--          expected position is what the counter last read or wrote ('' when there was none)
-- then n triples, then eight values per vote: contest, id, band, album, voter, votes per voter
-- (0: no limit), partition, offset
--
-- Keys of a contest c: ovation:tally:c (total, duplicates, b<US>band, a<US>band<US>album,
-- r<US>reason), ovation:seen:c (id -> "<c|r>:<countedAt>:<partition>:<offset>"),
-- ovation:voters:c (voter -> votes counted).
--
-- Returns one string per vote:
--   "c:<countedAt>:<p>:<offset>"  counted (now, or before: a replay of a record already applied, or
--   "r:<countedAt>:<p>:<offset>"  rejected over the voter's limit   another record with the same
--                                 id, a client's duplicate, which adds to duplicates only)
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
  local contest, id, band, album = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local voter, limit, p, off = ARGV[i + 4], tonumber(ARGV[i + 5]), ARGV[i + 6], ARGV[i + 7]
  i = i + 8
  local seen = 'ovation:seen:' .. contest
  if tonumber(off) < (applied[p] or 0) then
    out[#out + 1] = redis.call('HGET', seen, id) or ('c:' .. now .. ':' .. p .. ':' .. off)
  else
    local prior = redis.call('HGET', seen, id)
    local tally = 'ovation:tally:' .. contest
    local here = now .. ':' .. p .. ':' .. off
    if prior then
      redis.call('HINCRBY', tally, 'duplicates', 1)
      out[#out + 1] = prior
    elseif voter ~= '' and limit > 0
        and tonumber(redis.call('HGET', 'ovation:voters:' .. contest, voter) or '0') >= limit then
      redis.call('HSET', seen, id, 'r:' .. here)
      redis.call('HINCRBY', tally, 'r' .. sep .. 'voter_limit', 1)
      out[#out + 1] = 'r:' .. here
    else
      redis.call('HSET', seen, id, 'c:' .. here)
      redis.call('HINCRBY', tally, 'total', 1)
      redis.call('HINCRBY', tally, 'b' .. sep .. band, 1)
      redis.call('HINCRBY', tally, 'a' .. sep .. band .. sep .. album, 1)
      if voter ~= '' then
        redis.call('HINCRBY', 'ovation:voters:' .. contest, voter, 1)
      end
      out[#out + 1] = 'c:' .. here
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
