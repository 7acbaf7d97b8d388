-- Counts the votes of one topic partition read in one counter batch, atomically with the position
-- it reached. The layout of keys, arguments and answers is owned by TallyLayout.java; read it there.
-- The recount applies the same rules in Java (TallyReplay.java); change both together:
-- TallyReplayIT feeds the same votes through both and requires identical results.
--
-- KEYS[1]          the partition's position: the next offset to apply (a string)
-- KEYS[2 + 3(g-1)] the tally hash of contest group g (total, duplicates, b<US>band,
--                  a<US>band<US>album, r<US>reason)
-- KEYS[3 + 3(g-1)] its voters hash (voter -> votes counted)
-- KEYS[4 + 3(g-1)] its seen hash (vote id -> "c<offset>" counted or "r<offset>" rejected)
-- All keys carry the partition's hash tag, so one call touches one Redis Cluster slot.
--
-- ARGV[1]  the expected position ('' when none was stored)
-- ARGV[2]  the position reached (next offset after the batch)
-- ARGV[3]  retention of the voters and seen hashes, in milliseconds (0: keep forever)
-- ARGV[4]  g, the number of contest groups (a group is one contest: its three keys above)
-- ARGV[5]  p, the number of (group, band, album, votes-per-voter limit) quadruples that follow
--          (limit 0: none; carried in each record, so it is the rule in force when the vote came)
-- then four values per vote, in offset order: id, voter, quadruple index (1-based), offset
--
-- Answers one character per vote:
--   c  counted now                r  rejected now over its voter's limit
--   d  a duplicate: another record already decided this id (adds to duplicates only)
--   C, R, D  the same for a record below the stored position (a replay): C or R when this very
--            record decided its id before, D when another did or the decision has expired
-- When the stored position is not the expected one, nothing is written and the script answers the
-- error POSITIONS_CHANGED: Redis lost writes, or another counter took the partition over.
local stored = redis.call('GET', KEYS[1])
if (stored or '') ~= ARGV[1] then
  return redis.error_reply('POSITIONS_CHANGED the position is ' .. (stored or 'none') .. ', not '
    .. (ARGV[1] == '' and 'none' or ARGV[1]))
end
local applied = tonumber(stored or '0')
local retention = tonumber(ARGV[3])
local groups = tonumber(ARGV[4])
local ntriples = tonumber(ARGV[5])
local tgroup, tband, talbum, tlimit = {}, {}, {}, {}
local i = 6
for t = 1, ntriples do
  tgroup[t], tband[t], talbum[t], tlimit[t] = tonumber(ARGV[i]), ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3])
  i = i + 4
end

local sep = '\31'
local byTriple = {}
local counted, rejected, duplicates, voterAdds, voterCounts = {}, {}, {}, {}, {}
for g = 1, groups do
  counted[g], rejected[g], duplicates[g], voterAdds[g], voterCounts[g] = 0, 0, 0, {}, {}
end
local out = {}
while i <= #ARGV do
  local id, voter, t, off = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]), ARGV[i + 3]
  i = i + 4
  local g = tgroup[t]
  local seen = KEYS[4 + 3 * (g - 1)]
  if tonumber(off) < applied then
    local prior = redis.call('HGET', seen, id)
    if prior and string.sub(prior, 2) == off then
      out[#out + 1] = string.upper(string.sub(prior, 1, 1))
    else
      out[#out + 1] = 'D'
    end
  else
    local limit = tlimit[t]
    local over = false
    if voter ~= '' and limit > 0 then
      local before = voterCounts[g][voter]
      if before == nil then
        before = tonumber(redis.call('HGET', KEYS[3 + 3 * (g - 1)], voter) or '0')
        voterCounts[g][voter] = before
      end
      over = before + (voterAdds[g][voter] or 0) >= limit
    end
    local status = over and 'r' or 'c'
    if redis.call('HSETNX', seen, id, status .. off) == 0 then
      duplicates[g] = duplicates[g] + 1
      out[#out + 1] = 'd'
    elseif over then
      rejected[g] = rejected[g] + 1
      out[#out + 1] = 'r'
    else
      counted[g] = counted[g] + 1
      byTriple[t] = (byTriple[t] or 0) + 1
      if voter ~= '' then
        voterAdds[g][voter] = (voterAdds[g][voter] or 0) + 1
      end
      out[#out + 1] = 'c'
    end
  end
end

-- One increment per distinct tally field: the batch's votes summed per band and per album.
local byBand = {}
for t, n in pairs(byTriple) do
  local g = tgroup[t]
  local tally = KEYS[2 + 3 * (g - 1)]
  redis.call('HINCRBY', tally, 'a' .. sep .. tband[t] .. sep .. talbum[t], n)
  local bandKey = g .. sep .. tband[t]
  byBand[bandKey] = (byBand[bandKey] or 0) + n
end
for bandKey, n in pairs(byBand) do
  local at = string.find(bandKey, sep, 1, true)
  local g = tonumber(string.sub(bandKey, 1, at - 1))
  redis.call('HINCRBY', KEYS[2 + 3 * (g - 1)], 'b' .. string.sub(bandKey, at), n)
end
for g = 1, groups do
  local tally = KEYS[2 + 3 * (g - 1)]
  if counted[g] > 0 then
    redis.call('HINCRBY', tally, 'total', counted[g])
  end
  if rejected[g] > 0 then
    redis.call('HINCRBY', tally, 'r' .. sep .. 'voter_limit', rejected[g])
  end
  if duplicates[g] > 0 then
    redis.call('HINCRBY', tally, 'duplicates', duplicates[g])
  end
  for voter, n in pairs(voterAdds[g]) do
    redis.call('HINCRBY', KEYS[3 + 3 * (g - 1)], voter, n)
  end
  if retention > 0 then
    redis.call('PEXPIRE', KEYS[3 + 3 * (g - 1)], retention)
    redis.call('PEXPIRE', KEYS[4 + 3 * (g - 1)], retention)
  end
end
if tonumber(ARGV[2]) > applied then
  redis.call('SET', KEYS[1], ARGV[2])
end
return table.concat(out)
