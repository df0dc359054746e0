/*
 * The Lua scripts of the shared windows (redis-windows.ts): the endpoint's and each Item's. Each window is one
 * sorted set: a member per slot, scored with the time the slot frees (for a call still in flight,
 * a lease: the time Redis frees it should its process die: the call's timeout plus a window). A
 * pause after a 429 is a separate small key holding the time it ends. Every key carries a TTL that
 * ends with its last slot, so an Item called once leaves nothing behind one window later. No
 * pub/sub, no heartbeat: a waiting process asks again when the script said a slot frees.
 *
 * Time: ARGV[1] is the caller's clock in ms, or '' to use Redis's own (TIME), which every process
 * sharing the windows then agrees on. (Redis 7 replicates scripts by effects, so TIME is allowed.)
 */

/** Redis's clock, or the caller's. */
const now = `
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end`;

/** How many positions of a line the acquire script estimates (the rest: at least the last one). */
export const ESTIMATED_POSITIONS = 32;

/**
 * Takes a slot in every window of the call at once, or none.
 * KEYS: per window, its sorted set, its pause key and its waiting key (the processes whose line waits).
 * ARGV: now, member, waiter (the asking process's line, or '' for a call not yet in a line: it is
 * not registered, and counts behind every line registered), then per window: limit (the lane's),
 * intervalMs, leaseMs.
 * Granted: {1, room, msUntilNextFree}: room is how many more calls of the lane would find a slot
 * now (in every window), msUntilNextFree (when room is 0) when the next slot frees.
 * Refused: {0, msUntilWorthAskingAgain, index of the window that is full (1-based), then the wait
 * of the 1st, 2nd… call of the line (at most ESTIMATED_POSITIONS; lower bounds)}.
 *
 * Waiting processes take turns without talking to each other: a refused line is registered in the
 * window's waiting key, and its rank there says which slot to come back for (the rank-th to free),
 * so N waiting processes ask once each per slot they get, not N times per slot that frees.
 */
export const acquireScript = `${now}
local windows = #KEYS / 3
local waiter = ARGV[3]
local function freeAt(set, index, interval)
  local nth = redis.call('ZRANGE', set, index, index, 'WITHSCORES')
  local at = tonumber(nth[2])
  -- a slot still in flight frees no sooner than a window from now
  if not at or at > now + interval then return now + interval end
  return at
end
for i = 1, windows do
  local set, pause, waiting = KEYS[3 * i - 2], KEYS[3 * i - 1], KEYS[3 * i]
  local limit, interval = tonumber(ARGV[3 * i + 1]), tonumber(ARGV[3 * i + 2])
  local pausedUntil = redis.call('GET', pause)
  if pausedUntil and tonumber(pausedUntil) > now then
    local wait = tonumber(pausedUntil) - now
    return {0, wait, i, wait}
  end
  redis.call('ZREMRANGEBYSCORE', set, '-inf', now)
  local held = redis.call('ZCARD', set)
  if held >= limit then
    -- this line's turn among the waiting processes: registered until a window after its next ask
    redis.call('ZREMRANGEBYSCORE', waiting, '-inf', now)
    local rank
    if waiter == '' then
      rank = redis.call('ZCARD', waiting)
    else
      rank = redis.call('ZRANK', waiting, waiter)
      if not rank then
        redis.call('ZADD', waiting, now + 2 * interval, waiter)
        rank = redis.call('ZRANK', waiting, waiter)
      end
    end
    local first = held - limit + rank
    -- when the slots this line comes back for free: one range read, a window from now for those in flight
    local frees = {}
    local last = math.min(held - 1, first + ${ESTIMATED_POSITIONS} - 1)
    if first <= last then
      local scores = redis.call('ZRANGE', set, first, last, 'WITHSCORES')
      for k = 2, #scores, 2 do
        frees[#frees + 1] = math.max(1, math.min(tonumber(scores[k]), now + interval) - now)
      end
    end
    local ask = frees[1] or interval
    if waiter ~= '' then
      redis.call('ZADD', waiting, now + ask + interval, waiter)
      redis.call('PEXPIRE', waiting, ask + 2 * interval)
    end
    local answer = {0, ask, i}
    for _, ms in ipairs(frees) do answer[#answer + 1] = ms end
    return answer
  end
end
local room, nextFree = -1, 0
for i = 1, windows do
  local set, waiting = KEYS[3 * i - 2], KEYS[3 * i]
  local limit, interval, lease = tonumber(ARGV[3 * i + 1]), tonumber(ARGV[3 * i + 2]), tonumber(ARGV[3 * i + 3])
  redis.call('ZADD', set, now + lease, ARGV[2])
  if waiter ~= '' then redis.call('ZREM', waiting, waiter) end
  local ttl = redis.call('PTTL', set)
  if ttl < lease + interval then redis.call('PEXPIRE', set, lease + interval) end
  local held = redis.call('ZCARD', set)
  local left = limit - held
  if room < 0 or left < room then room = left end
  if left <= 0 then nextFree = math.max(nextFree, math.max(1, freeAt(set, held - limit, interval) - now)) end
end
return {1, math.max(0, room), nextFree}`;

/**
 * Settles a permit's slots: held for a window from when the call settled (release) or freed at
 * once (cancel). Idempotent: sent again after an outage, it sets the same end (the age says how
 * long ago the call settled, on the sender's clock).
 * KEYS: the sorted sets. ARGV: now, member, '1' to hold or '0' to free, ageMs, then per set: intervalMs.
 */
export const settleScript = `${now}
local age = tonumber(ARGV[4])
for i, set in ipairs(KEYS) do
  local freeAt = now - age + tonumber(ARGV[4 + i])
  if ARGV[3] == '1' and freeAt > now then
    -- XX: a slot Redis already let go (lease over, keys lost) is not brought back
    redis.call('ZADD', set, 'XX', freeAt, ARGV[2])
    local last = redis.call('ZRANGE', set, -1, -1, 'WITHSCORES')
    if last[2] then redis.call('PEXPIRE', set, math.max(1, math.ceil(tonumber(last[2]) - now) + 1)) end
  else
    redis.call('ZREM', set, ARGV[2])
  end
end
return 1`;

/**
 * Pauses a window until `now + pauseMs`, unless it is paused longer already.
 * KEYS[1]: the pause key. ARGV: now, pauseMs, ttlMs (how long Redis keeps the key).
 */
export const pauseScript = `${now}
local untilAt = now + tonumber(ARGV[2])
local current = redis.call('GET', KEYS[1])
if not current or tonumber(current) < untilAt then
  redis.call('SET', KEYS[1], untilAt, 'PX', tonumber(ARGV[3]))
end
return 1`;
