-- RESIZE: ARGV 6 the new max. Never waits: growing hands the new permits to the head of the
-- queue; shrinking below what is held leaves used > max, paid back as holders release.
-- Queued requests for more than the new max can never be granted: they end as
-- 'ABOVE_MAX:<max>' and their clients are told, as a grant would be.
-- Replies: {'RESIZED', epoch} | {'ERR_MAX', stored max}
local newMax = tonumber(ARGV[6])
if newMax == max then
  -- Already done, perhaps by this very call whose first reply was lost: retries are safe.
  return { 'RESIZED', epoch }
end
-- Compare-and-set: a caller that did not know the stored max (another client resized first)
-- must not overwrite it unseen.
if requestedMax ~= max then
  return { 'ERR_MAX', max }
end
max = newMax
redis.call('HSET', META, 'max', fmt(max))
local ended = {}
-- The whole queue, not a batch: a request left behind would wait for a grant that cannot come.
for _, id in ipairs(redis.call('ZRANGE', QUEUE, 0, -1)) do
  local w, client = string.match(redis.call('HGET', WAIT, id), '^(%d+):%d+:([^:]*):')
  if tonumber(w) > max then
    dropWaiter(id, 'ABOVE_MAX:' .. fmt(max))
    ended[client] = (ended[client] and (ended[client] .. ' ') or '') .. id
  end
end
for client, ids in pairs(ended) do
  redis.call('PUBLISH', channelPrefix .. client, ids)
end
serveQueue()
return { 'RESIZED', epoch }
