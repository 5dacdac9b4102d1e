-- TOUCH: the heartbeat of one client on one semaphore, one call per tick for all its entries.
-- ARGV 6 client id, 7 its label, then triples (kind 'h' held or 'w' waiting, id, weight).
-- Renews held leases, keeps waiters queued, and turns claim leases into full leases.
-- Reply: {epoch, status1, value1, status2, value2, ...} with status HELD (value token),
-- QUEUED (position), ENDED (how it ended) or LOST (0: the server has no trace of it).
local client, label = ARGV[6], ARGV[7]
local reply = { epoch }
for i = 8, #ARGV, 3 do
  local kind, id, w = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  if redis.call('ZSCORE', HOLDERS, id) then
    redis.call('ZADD', HOLDERS, now + leaseMs, id)
    local _, token = holderRecord(id)
    table.insert(reply, 'HELD')
    table.insert(reply, token)
  elseif redis.call('ZSCORE', QUEUE, id) then
    redis.call('ZADD', QDL, now + waiterMs, id)
    table.insert(reply, 'QUEUED')
    table.insert(reply, redis.call('ZRANK', QUEUE, id) + 1)
  else
    local outcome = redis.call('HGET', TOMB, id)
    local aboveMax = outcome and string.sub(outcome, 1, 10) == 'ABOVE_MAX:'
    if kind == 'w' and outcome ~= 'CANCELLED' and outcome ~= 'RELEASED' and not aboveMax and w > max then
      -- A lost entry that a resize made too large can never be granted: it ends, not re-joins.
      outcome = 'ABOVE_MAX:' .. fmt(max)
      bury(id, outcome)
      table.insert(reply, 'ENDED')
      table.insert(reply, outcome)
    elseif kind == 'w' and outcome ~= 'CANCELLED' and outcome ~= 'RELEASED' and not aboveMax then
      -- A live waiter whose entry is gone (missed heartbeats, an unclaimed grant that expired,
      -- or state Redis lost) joins again at the tail.
      redis.call('HDEL', TOMB, id)
      redis.call('ZREM', TOMBT, id)
      enqueue(id, w, client, label)
      table.insert(reply, 'QUEUED')
      table.insert(reply, redis.call('ZCARD', QUEUE))
    elseif outcome then
      table.insert(reply, 'ENDED')
      table.insert(reply, outcome)
    else
      if knownEpoch ~= '' and knownEpoch ~= epoch and grace < now + leaseMs then
        -- A holder of a lost epoch is still alive: pause new grants until its lease has surely
        -- ended at its side too.
        grace = now + leaseMs
        redis.call('HSET', META, 'grace', fmt(grace))
      end
      table.insert(reply, 'LOST')
      table.insert(reply, 0)
    end
  end
end
serveQueue()
return reply
