-- RELEASE: ARGV 6 permit id. Frees the lease and hands its permits to the head of the queue.
-- Never adds permits without a holder record, so duplicates cannot inflate the count.
-- Replies: {'RELEASED', epoch} | {'ENDED', outcome, epoch} | {'UNKNOWN', epoch}
local id = ARGV[6]
if redis.call('ZSCORE', HOLDERS, id) then
  dropHolder(id, 'RELEASED')
  serveQueue()
  return { 'RELEASED', epoch }
end
local outcome = redis.call('HGET', TOMB, id)
if outcome then
  return { 'ENDED', outcome, epoch }
end
return { 'UNKNOWN', epoch }
