-- INSPECT: reads a semaphore without changing it (no reaping), for status and for tests.
-- KEYS as in prologue.lua. Reply: {'NONE'} if nothing is stored, else
-- {'STATE', max, used, epoch, graceLeftMs, paused (1 or 0), {id, weight, token, client, leaseLeftMs, since, label, ...},
--  {id, weight, client, since, label, ...}} with the queue in order; since in server ms.
local KEY_TYPES = { 'hash', 'zset', 'hash', 'zset', 'zset', 'hash', 'hash', 'zset' }
for i = 1, #KEYS do
  local found = redis.call('TYPE', KEYS[i])['ok']
  if found ~= 'none' and found ~= KEY_TYPES[i] then
    return { 'ERR_TYPE', KEYS[i], found }
  end
end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'max', 'used', 'epoch', 'grace', 'paused')
if not state[1] then
  return { 'NONE' }
end
local holders = {}
local leases = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
for i = 1, #leases, 2 do
  local w, token, since, client, label =
    string.match(redis.call('HGET', KEYS[3], leases[i]), '^(%d+):(%d+):(%d+):([^:]*):(.*)$')
  table.insert(holders, leases[i])
  table.insert(holders, tonumber(w))
  table.insert(holders, tonumber(token))
  table.insert(holders, client)
  table.insert(holders, tonumber(leases[i + 1]) - now)
  table.insert(holders, tonumber(since))
  table.insert(holders, label)
end
local waiters = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[4], 0, -1)) do
  local w, since, client, label = string.match(redis.call('HGET', KEYS[6], id), '^(%d+):(%d+):([^:]*):(.*)$')
  table.insert(waiters, id)
  table.insert(waiters, tonumber(w))
  table.insert(waiters, client)
  table.insert(waiters, tonumber(since))
  table.insert(waiters, label)
end
return { 'STATE', tonumber(state[1]), tonumber(state[2]), state[3],
  math.max(0, tonumber(state[4]) - now), state[5] == '1' and 1 or 0, holders, waiters }
