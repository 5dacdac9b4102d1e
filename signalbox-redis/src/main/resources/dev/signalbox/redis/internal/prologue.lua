-- Shared opening of every script that changes a semaphore (inspect.lua excepted); the loader
-- puts it in front of each script body, so one EVALSHA runs prologue and body atomically.
--
-- KEYS: 1 meta (hash: max, epoch, used, fseq = last token, qseq, grace, paused = '1' or absent)   2 holders (zset: permit id -> lease deadline, ms)
--       3 hold (hash: permit id -> "weight:token:since:client:label")
--       4 queue (zset: request id -> sequence)               5 qdl (zset: request id -> waiter deadline, ms)
--       6 wait (hash: request id -> "weight:since:client:label")
--       7 tomb (hash: id -> how it ended)                    8 tombt (zset: id -> when it ended, ms)
-- ARGV: 1 the caller's max permits (stored if nothing is)   2 lease ttl ms   3 waiter ttl ms   4 notification channel prefix
--       5 epoch the caller saw last ('' if none); script-specific arguments follow from 6.
--
-- Invariant after every script: meta.used == sum of the weights in hold. used <= max, except
-- after RESIZE lowered max below used: then nothing is granted until releases bring used down
-- (the in-process BoundedSemaphore's negative available count).
-- Only ACQUIRE and RESIZE insist that the caller's max is the stored one; TOUCH, RELEASE and
-- CANCEL serve leases and requests of clients that opened the semaphore before a resize.
-- Times are the server's (TIME); clients send durations only.

local KEY_TYPES = { 'hash', 'zset', 'hash', 'zset', 'zset', 'hash', 'hash', 'zset' }
-- Check every key before writing anything: a script stopped half-way by WRONGTYPE would leave
-- its earlier writes behind (Redis does not roll scripts back).
for i = 1, #KEYS do
  local found = redis.call('TYPE', KEYS[i])['ok']
  if found ~= 'none' and found ~= KEY_TYPES[i] then
    return { 'ERR_TYPE', KEYS[i], found }
  end
end

local META, HOLDERS, HOLD, QUEUE, QDL, WAIT, TOMB, TOMBT =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local requestedMax = tonumber(ARGV[1])
local leaseMs = tonumber(ARGV[2])
local waiterMs = tonumber(ARGV[3])
local channelPrefix = ARGV[4]
local knownEpoch = ARGV[5]

local BATCH = 64              -- bounds the work of one script: reaps, grants, prunes
local TOMB_AGE_MS = 600000    -- how long a finished request is remembered (stale duplicates)
local TOMB_MAX = 10000

local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local nowUs = tonumber(clock[1]) * 1000000 + tonumber(clock[2])

-- Lua prints large numbers in scientific notation; every number that goes into a string
-- goes through here.
local function fmt(n)
  return string.format('%d', n)
end

local state = redis.call('HMGET', META, 'max', 'epoch', 'used', 'grace', 'paused')
if not state[1] then
  -- Nothing stored: first use, or Redis lost the semaphore (restart without data, failover,
  -- FLUSHALL). The epoch is the creation time in microseconds.
  redis.call('DEL', HOLDERS, HOLD, QUEUE, QDL, WAIT)
  local grace = 0
  if knownEpoch ~= '' then
    -- The caller held or awaited permits of a lost epoch: holders it cannot see may still act
    -- on their leases, so nobody is granted anything until those leases have surely ended.
    grace = now + leaseMs
  end
  redis.call('HSET', META, 'max', requestedMax, 'epoch', fmt(nowUs), 'used', 0, 'grace', fmt(grace),
    'fseq', fmt(nowUs), 'qseq', fmt(nowUs))
  state = { tostring(requestedMax), fmt(nowUs), '0', fmt(grace), false }
end

local max = tonumber(state[1])
local paused = state[5] == '1'
local epoch = state[2]
local used = tonumber(state[3])
local grace = tonumber(state[4])

local function bury(id, outcome)
  redis.call('HSET', TOMB, id, outcome)
  redis.call('ZADD', TOMBT, now, id)
end

-- Client ids are hex and labels come last, so ':' inside a label cannot confuse the fields.
local function holderRecord(id)
  local w, token = string.match(redis.call('HGET', HOLD, id), '^(%d+):(%d+):')
  return tonumber(w), tonumber(token)
end

local function dropHolder(id, outcome)
  local w = holderRecord(id)
  used = used - w
  redis.call('HINCRBY', META, 'used', -w)
  redis.call('HDEL', HOLD, id)
  redis.call('ZREM', HOLDERS, id)
  bury(id, outcome)
end

local function dropWaiter(id, outcome)
  redis.call('ZREM', QUEUE, id)
  redis.call('ZREM', QDL, id)
  redis.call('HDEL', WAIT, id)
  bury(id, outcome)
end

local function grant(id, w, client, label, ttl)
  used = used + w
  redis.call('HINCRBY', META, 'used', w)
  -- The server clock in microseconds, or one more than the last token if that is larger: tokens
  -- increase with every grant, and stay above those of grants a restart or failover forgot.
  local token = math.max(tonumber(redis.call('HGET', META, 'fseq')) + 1, nowUs)
  redis.call('HSET', META, 'fseq', fmt(token))
  redis.call('ZADD', HOLDERS, now + ttl, id)
  redis.call('HSET', HOLD, id, fmt(w) .. ':' .. fmt(token) .. ':' .. fmt(now) .. ':' .. client .. ':' .. label)
  return token
end

local function enqueue(id, w, client, label)
  local seq = redis.call('HINCRBY', META, 'qseq', 1)
  redis.call('ZADD', QUEUE, seq, id)
  redis.call('ZADD', QDL, now + waiterMs, id)
  redis.call('HSET', WAIT, id, fmt(w) .. ':' .. fmt(now) .. ':' .. client .. ':' .. label)
end

-- Hands permits to the head of the queue while they fit. The head holds back everyone behind
-- it, so a large request is never starved by smaller ones. A grant made here is a claim lease
-- of waiterMs: the waiter's client turns it into a full lease with its next touch, and a grant
-- to a client that died meanwhile comes back after waiterMs.
local function serveQueue()
  if now < grace or paused then
    return
  end
  local woken = {}
  for _ = 1, BATCH do
    local head = redis.call('ZRANGE', QUEUE, 0, 0)
    if #head == 0 then
      break
    end
    local id = head[1]
    local w, client, label = string.match(redis.call('HGET', WAIT, id), '^(%d+):%d+:([^:]*):(.*)$')
    w = tonumber(w)
    if used + w > max then
      break
    end
    redis.call('ZREM', QUEUE, id)
    redis.call('ZREM', QDL, id)
    redis.call('HDEL', WAIT, id)
    grant(id, w, client, label, waiterMs)
    woken[client] = (woken[client] and (woken[client] .. ' ') or '') .. id
  end
  -- Each client hears only about its own requests; a lost message costs one recheck interval.
  for client, ids in pairs(woken) do
    redis.call('PUBLISH', channelPrefix .. client, ids)
  end
end

-- Leases and waiters whose deadline passed are reaped lazily, here, by whoever calls next.
for _, id in ipairs(redis.call('ZRANGEBYSCORE', HOLDERS, '-inf', now, 'LIMIT', 0, BATCH)) do
  dropHolder(id, 'EXPIRED')
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', QDL, '-inf', now, 'LIMIT', 0, BATCH)) do
  dropWaiter(id, 'WAITER_EXPIRED')
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', TOMBT, '-inf', now - TOMB_AGE_MS, 'LIMIT', 0, BATCH)) do
  redis.call('HDEL', TOMB, id)
  redis.call('ZREM', TOMBT, id)
end
local excess = redis.call('ZCARD', TOMBT) - TOMB_MAX
if excess > 0 then
  local oldest = redis.call('ZPOPMIN', TOMBT, math.min(excess, BATCH))
  for i = 1, #oldest, 2 do
    redis.call('HDEL', TOMB, oldest[i])
  end
end
serveQueue()
