-- CANCEL: ARGV 6 request id. Withdraws a waiting request; if the grant won the race, the
-- permits go back (asyncio's rule: a cancelled waiter passes on what it was just given). With
-- no record at all it still leaves a tombstone, so a delayed copy of the ACQUIRE cannot grant.
-- Replies: {'CANCELLED', epoch} | {'RELEASED', epoch} | {'ENDED', outcome, epoch}
local id = ARGV[6]
if redis.call('ZSCORE', QUEUE, id) then
  dropWaiter(id, 'CANCELLED')
  -- A heavy request leaving the head can let lighter ones behind it through.
  serveQueue()
  return { 'CANCELLED', epoch }
end
if redis.call('ZSCORE', HOLDERS, id) then
  dropHolder(id, 'RELEASED')
  serveQueue()
  return { 'RELEASED', epoch }
end
local outcome = redis.call('HGET', TOMB, id)
if outcome then
  return { 'ENDED', outcome, epoch }
end
bury(id, 'CANCELLED')
return { 'CANCELLED', epoch }
