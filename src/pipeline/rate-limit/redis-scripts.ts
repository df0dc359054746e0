/*
 * The Lua scripts of the shared Item windows (redis.ts). Each window is one sorted set: a member per slot, scored
 * with the time the slot frees (for a call still in flight, a lease: the time Redis frees it should
 * its process die). A pause after a 429 is a separate small key holding the time it ends. Every
 * key carries a TTL that ends with its last slot, so an Item called once leaves nothing behind one
 * window later. No pub/sub, no heartbeat: a waiting process asks again when the script said a
 * slot frees.
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

/**
 * Takes a slot in every window of the call at once, or none.
 * KEYS: per window, its sorted set then its pause key.
 * ARGV: now, member, then per window: limit, intervalMs, leaseMs.
 * Returns {1, 0, 0} when granted, else {0, msUntilWorthAskingAgain, index of the window that is full (1-based)}.
 */
export const acquireScript = `${now}
local windows = #KEYS / 2
for i = 1, windows do
  local set, pause = KEYS[2 * i - 1], KEYS[2 * i]
  local limit, interval = tonumber(ARGV[3 * i]), tonumber(ARGV[3 * i + 1])
  local pausedUntil = redis.call('GET', pause)
  if pausedUntil and tonumber(pausedUntil) > now then
    return {0, tonumber(pausedUntil) - now, i}
  end
  redis.call('ZREMRANGEBYSCORE', set, '-inf', now)
  local held = redis.call('ZCARD', set)
  if held >= limit then
    local nth = redis.call('ZRANGE', set, held - limit, held - limit, 'WITHSCORES')
    local freeAt = tonumber(nth[2])
    -- a slot still in flight frees no sooner than a window from now; look again after one call's share
    if freeAt > now + interval then return {0, math.ceil(interval / limit), i} end
    return {0, math.max(1, freeAt - now), i}
  end
end
for i = 1, windows do
  local set = KEYS[2 * i - 1]
  local interval, lease = tonumber(ARGV[3 * i + 1]), tonumber(ARGV[3 * i + 2])
  redis.call('ZADD', set, now + lease, ARGV[2])
  redis.call('PEXPIRE', set, lease + interval)
end
return {1, 0, 0}`;

/**
 * Settles a permit's slots: held for a window from now (release) or freed at once (cancel).
 * KEYS: the sorted sets. ARGV: now, member, '1' to hold or '0' to free, then per set: intervalMs.
 */
export const settleScript = `${now}
for i, set in ipairs(KEYS) do
  if ARGV[3] == '1' then
    -- XX: a slot Redis already let go (lease over, keys lost) is not brought back
    redis.call('ZADD', set, 'XX', now + tonumber(ARGV[3 + i]), ARGV[2])
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
