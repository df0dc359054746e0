import { InvalidArgumentError, TokenStoreError } from '../errors.js';

/**
 * Waits for replicas before a write counts as stored: `{ replicas: 1, timeoutMs: 500 }` sends
 * `WAIT 1 500` after every write, on the connection (and, with a Cluster, the node) that made it.
 */
export interface RedisDurability {
  /** How many replicas must have the write. A whole number, at least 1. */
  replicas: number;
  /** How long Redis waits for them (`WAIT`'s timeout), in milliseconds. A whole number, at least 1. */
  timeoutMs: number;
}

/**
 * One command as an array, `['hset', key, field, value]`, the form ioredis's `pipeline()` takes.
 * @inline
 */
export type RedisCommand = Array<string | number>;

/**
 * A pipeline of commands sent together on one connection: an ioredis 5/6 `Redis` or `Cluster`
 * `pipeline(commands)`. With a Cluster, every command of one pipeline goes to the node that holds the
 * keys' slot, so a keyless `WAIT` in it waits for that node's replicas.
 */
export interface RedisPipelineClient {
  /** `client.pipeline([[command, ...args], …])`. */
  pipeline(commands: RedisCommand[]): {
    /** Sends the commands; each answer as `[error, result]`. */
    exec(): Promise<Array<[Error | null, unknown]> | null>;
  };
}

/** Checks `durability`; `undefined` when it is not set. */
export function checkDurability(value: unknown, client: unknown): RedisDurability | undefined {
  if (value === undefined) return undefined;
  const { replicas, timeoutMs } = (value ?? {}) as Partial<Record<keyof RedisDurability, unknown>>;
  const whole = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 1;
  const issues = [
    ...(whole(replicas) ? [] : [{ path: ['durability', 'replicas'], message: 'must be a whole number ≥ 1' }]),
    ...(whole(timeoutMs) ? [] : [{ path: ['durability', 'timeoutMs'], message: 'must be a whole number ≥ 1' }]),
    ...(typeof (client as Partial<RedisPipelineClient> | undefined)?.pipeline === 'function'
      ? []
      : [{ path: ['client'], message: 'must have pipeline() when durability is set' }]),
  ];
  if (issues.length > 0) throw new InvalidArgumentError('RedisTokenStore options', issues);
  return { replicas: replicas as number, timeoutMs: timeoutMs as number };
}

/**
 * Sends `command` followed by `WAIT replicas timeoutMs` in one pipeline and returns the command's
 * answer. Throws the command's own error when it failed, and a `TokenStoreError`
 * (`TOKEN_STORE_NOT_REPLICATED`, `outcomeUnknown`, retryable) when fewer replicas than asked
 * acknowledged it: the write is on the primary, but a failover now may lose it.
 */
export async function writeAndWait(
  client: RedisPipelineClient,
  command: RedisCommand,
  durability: RedisDurability,
  itemId: string,
): Promise<unknown> {
  const answers = await client.pipeline([command, ['wait', durability.replicas, durability.timeoutMs]]).exec();
  const [written, waited] = answers ?? [];
  if (!written || !waited) throw new Error('the pipeline was not run');
  if (written[0]) throw written[0];
  if (waited[0]) throw waited[0];
  const acknowledged = Number(waited[1]);
  if (!(acknowledged >= durability.replicas)) {
    throw new TokenStoreError(
      `Redis ${String(command[0]).toUpperCase()} was applied on the primary but only ${acknowledged} of ${durability.replicas} replicas acknowledged it within ${durability.timeoutMs} ms: a failover may still lose it`,
      { code: 'TOKEN_STORE_NOT_REPLICATED', itemId, outcomeUnknown: true },
    );
  }
  return written[1];
}
