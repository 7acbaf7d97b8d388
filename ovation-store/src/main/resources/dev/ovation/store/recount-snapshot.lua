-- Reads what one shard holds for a contest, atomically: the recount's snapshot of the shard.
-- Called and answered through RecountStore.java; the key layout is TallyLayout.java's.
--
-- KEYS[1]   the contest's tally hash in the shard
-- KEYS[2]   its seen hash
-- KEYS[3]   its voters hash
-- KEYS[4..] the positions of the topic's partitions counted in the shard
-- All keys carry the shard's hash tag, so one call touches one Redis Cluster slot.
--
-- Answers { tally as field, value, field, value..., HLEN seen, HLEN voters, position... } where a
-- position is '' when none is stored.
local answer = { redis.call('HGETALL', KEYS[1]), redis.call('HLEN', KEYS[2]), redis.call('HLEN', KEYS[3]) }
for i = 4, #KEYS do
  answer[#answer + 1] = redis.call('GET', KEYS[i]) or ''
end
return answer
