import { TokenStoreError } from '../errors.js';
import { checkLinkRecord } from './link-records.js';
import { storeCall } from './store-error.js';
import type { LinkRecord } from './token-store.js';

/** The one Redis command link records need: `EVAL` (ioredis `Redis` and `Cluster` have it). */
export interface RedisLinkRecordsClient {
  /** `EVAL script numkeys key... arg...`. */
  eval?(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

// One key per record; its value is `<expiresAt ms or "">|<value>` so the deadline travels with it.
// The condition and the write run in one script, hence atomically (also on a Cluster: one key).
// ARGV: mode ('any' | 'absent' | 'equals'), expected, value, expiresAt ms ('' = keep).
const setScript = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == 'absent' and current then return 0 end
if ARGV[1] == 'equals' and current ~= ARGV[2] then return 0 end
if ARGV[4] == '' then
  redis.call('SET', KEYS[1], ARGV[3])
else
  redis.call('SET', KEYS[1], ARGV[3])
  redis.call('PEXPIREAT', KEYS[1], ARGV[4])
end
return 1`;

const getScript = `return redis.call('GET', KEYS[1])`;

const deleteScript = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
if ARGV[1] == 'equals' and current ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
return 1`;

/**
 * `RedisTokenStore`'s link records: one string key each, `<prefix>link:<key>`, expiring at the
 * record's `expiresAt` (`PEXPIREAT`, on Redis's clock: a cleanup, the facade reads its own
 * deadlines in the value). Set-if-absent and compare-and-set run as one Lua script each.
 */
export class RedisLinkRecords {
  readonly #client: RedisLinkRecordsClient;
  readonly #prefix: string;

  constructor(client: RedisLinkRecordsClient, prefix: string) {
    this.#client = client;
    this.#prefix = prefix;
  }

  /** The live record under `key`, if any. */
  async get(key: string): Promise<LinkRecord | undefined> {
    checkLinkRecord(key);
    const text = await this.#eval('Redis GET (link record)', getScript, key, []);
    if (typeof text !== 'string') return undefined;
    const { value, expiresAt } = decode(text);
    return { key, value, expiresAt };
  }

  /** Writes when `expected` holds (see `TokenStore.setLinkRecord`). */
  async set(record: LinkRecord, expected?: string | null): Promise<boolean> {
    checkLinkRecord(record.key, record.value);
    const mode = expected === null ? 'absent' : typeof expected === 'string' ? 'equals' : 'any';
    // The stored text carries the deadline too: compare against what a reader of that value wrote.
    const current = typeof expected === 'string' ? await this.#raw(record.key) : '';
    if (mode === 'equals' && (current === undefined || decode(current).value !== expected)) return false;
    const expiresAt = record.expiresAt === undefined ? '' : String(record.expiresAt.getTime());
    const written = await this.#eval('Redis SET (link record)', setScript, record.key, [
      mode,
      current ?? '',
      `${expiresAt}|${record.value}`,
      expiresAt,
    ]);
    return written === 1;
  }

  /** Deletes when `expected` (if given) is the value. */
  async delete(key: string, expected?: string): Promise<boolean> {
    checkLinkRecord(key);
    let raw = '';
    if (expected !== undefined) {
      const current = await this.#raw(key);
      if (current === undefined || decode(current).value !== expected) return false;
      raw = current;
    }
    const deleted = await this.#eval('Redis DEL (link record)', deleteScript, key, [
      expected === undefined ? 'any' : 'equals',
      raw,
    ]);
    return deleted === 1;
  }

  async #raw(key: string): Promise<string | undefined> {
    const text = await this.#eval('Redis GET (link record)', getScript, key, []);
    return typeof text === 'string' ? text : undefined;
  }

  async #eval(what: string, script: string, key: string, args: string[]): Promise<unknown> {
    const client = this.#client;
    if (typeof client.eval !== 'function') {
      throw new TokenStoreError(
        'RedisTokenStore: the client has no eval(), which link records (exactly-once exchanges, completeLink, LINK webhooks, users.ensure) need',
        { code: 'TOKEN_STORE_UNSUPPORTED' },
      );
    }
    const evaluate = client.eval.bind(client);
    return storeCall(what, {}, () => evaluate(script, 1, `${this.#prefix}link:${key}`, ...args));
  }
}

function decode(text: string): { value: string; expiresAt: Date | undefined } {
  const bar = text.indexOf('|');
  const ms = bar > 0 ? Number(text.slice(0, bar)) : Number.NaN;
  return { value: text.slice(bar + 1), expiresAt: Number.isFinite(ms) ? new Date(ms) : undefined };
}
