-- ACQUIRE: ARGV 6 request id, 7 client id, 8 weight, 9 '1' to queue when busy, '0' to fail,
-- 10 the client's label (who holds or waits, for status displays).
-- Idempotent on the request id: a retry whose first reply was lost gets the same outcome.
-- Replies: {'HELD', token, epoch} | {'QUEUED', position, epoch} | {'BUSY', epoch}
--          | {'ENDED', outcome, epoch} | {'ERR_WEIGHT', max} | {'ERR_MAX', stored max}
local id, client, w, canWait, label = ARGV[6], ARGV[7], tonumber(ARGV[8]), ARGV[9] == '1', ARGV[10]
-- Clients never silently disagree about the capacity: one that opened the semaphore with another
-- maximum (or before a resize) learns the stored one instead of a grant.
if requestedMax ~= max then
  return { 'ERR_MAX', max }
end
if w > max then
  return { 'ERR_WEIGHT', max }
end
if redis.call('ZSCORE', HOLDERS, id) then
  redis.call('ZADD', HOLDERS, now + leaseMs, id)
  local _, token = holderRecord(id)
  return { 'HELD', token, epoch }
end
if redis.call('ZSCORE', QUEUE, id) then
  redis.call('ZADD', QDL, now + waiterMs, id)
  return { 'QUEUED', redis.call('ZRANK', QUEUE, id) + 1, epoch }
end
local outcome = redis.call('HGET', TOMB, id)
if outcome then
  -- Cancelled (or finished) before this copy of the request ran: it must not grant.
  return { 'ENDED', outcome, epoch }
end
-- Maintain FIFO: a free permit is taken only when nobody waits for it.
if now >= grace and not paused and redis.call('ZCARD', QUEUE) == 0 and used + w <= max then
  return { 'HELD', grant(id, w, client, label, leaseMs), epoch }
end
if not canWait then
  return { 'BUSY', epoch }
end
enqueue(id, w, client, label)
return { 'QUEUED', redis.call('ZCARD', QUEUE), epoch }
