// The token bucket as one Lua script, so that every node's take is atomic on the shared state.
import { createHash } from 'node:crypto';

/**
 * KEYS[1]: the bucket (a hash: `tokens`, fractional, and `at`, in ms); ARGV[1]: requests per minute;
 * ARGV[2]: burst; ARGV[3]: tokens to take, 1 or 0 (a read: nothing is written); ARGV[4]: the take's nonce.
 * Returns `{allowed (1 or 0), tokens left, nonce}`, the tokens as a string because Redis truncates Lua numbers
 * to integers, and the nonce so that the caller can tell its own reply from another take's. Time comes from the Redis server, so nodes whose clocks disagree
 * still share one bucket; scripts that read TIME and then write need effects replication (Redis >= 5).
 * The bucket expires once it would be full again (plus a second): an absent bucket is a full one.
 */
export const TOKEN_BUCKET_SCRIPT = `
local rpm = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
elseif now > at then
  tokens = tokens + (now - at) * rpm / 60000
  at = now
end
if tokens > burst then tokens = burst end
local allowed = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
end
local left = string.format('%.17g', tokens)
if cost == 0 then return {allowed, left, ARGV[4]} end
redis.call('HSET', KEYS[1], 'tokens', left, 'at', string.format('%.17g', at))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * 60000 / rpm) + 1000)
return {allowed, left, ARGV[4]}
`;

/** The script's SHA-1, as SCRIPT LOAD returns it and EVALSHA takes it. */
export const TOKEN_BUCKET_SHA = createHash('sha1').update(TOKEN_BUCKET_SCRIPT).digest('hex');
