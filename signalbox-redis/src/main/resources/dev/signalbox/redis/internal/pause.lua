-- PAUSE: ARGV 6 '1' to pause, '0' to resume. While paused nothing is granted: acquires queue
-- (or fail, if they may not wait) and releases still return their permits. Resuming serves the
-- queue in order. Either is idempotent.
-- Reply: {'PAUSED', epoch} | {'RESUMED', epoch}
if ARGV[6] == '1' then
  paused = true
  redis.call('HSET', META, 'paused', '1')
  return { 'PAUSED', epoch }
end
paused = false
redis.call('HDEL', META, 'paused')
serveQueue()
return { 'RESUMED', epoch }
