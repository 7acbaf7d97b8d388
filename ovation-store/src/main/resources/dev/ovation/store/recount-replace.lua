-- Replaces one shard's tally, seen and voters hashes of a contest by the recount's, written before
-- into temporary keys of the same shard, provided the counters applied nothing in the shard since
-- the recount's snapshot. Called through RecountStore.java; the key layout is TallyLayout.java's.
--
-- KEYS[1..3] the live tally, seen and voters hashes
-- KEYS[4..6] the temporary tally, seen and voters hashes holding the recount
-- KEYS[7..]  the positions of the topic's partitions counted in the shard
-- All keys carry the shard's hash tag, so one call touches one Redis Cluster slot.
--
-- ARGV[1]    retention of the seen and voters hashes, in milliseconds (0: keep forever), as the
--            counting script sets it
-- ARGV[2..4] the entries the temporary tally, seen and voters hashes must hold (0: none, and the
--            live hash is deleted)
-- ARGV[5..]  the snapshot's position of each partition of KEYS[7..] ('' when none was stored)
--
-- Answers 'OK'. Otherwise deletes the temporary keys, leaves the live ones as they were and answers
-- the error STALE (a position moved since the snapshot) or INCOMPLETE (a temporary hash does not
-- hold what was written, e.g. it expired or another repair rewrote it).
local function fail(reason)
  redis.call('DEL', KEYS[4], KEYS[5], KEYS[6])
  return redis.error_reply(reason)
end
for i = 7, #KEYS do
  local stored = redis.call('GET', KEYS[i]) or ''
  local expected = ARGV[i - 2]
  if stored ~= expected then
    return fail('STALE ' .. KEYS[i] .. ' is ' .. (stored == '' and 'none' or stored) .. ', was '
      .. (expected == '' and 'none' or expected) .. ' at the recount')
  end
end
for j = 1, 3 do
  local held = redis.call('HLEN', KEYS[3 + j])
  if held ~= tonumber(ARGV[1 + j]) then
    return fail('INCOMPLETE ' .. KEYS[3 + j] .. ' holds ' .. held .. ' entries, not ' .. ARGV[1 + j])
  end
end
local retention = tonumber(ARGV[1])
for j = 1, 3 do
  if tonumber(ARGV[1 + j]) == 0 then
    redis.call('DEL', KEYS[j])
  else
    redis.call('RENAME', KEYS[3 + j], KEYS[j])
    -- RENAME carries the temporary key's safety expiry over: the tally never expires, seen and
    -- voters live for the retention from now, as after a counted vote
    if j == 1 or retention == 0 then
      redis.call('PERSIST', KEYS[j])
    else
      redis.call('PEXPIRE', KEYS[j], retention)
    end
  end
end
return 'OK'
