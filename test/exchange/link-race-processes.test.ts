import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { useFakePlaidFacades } from '../support/fake-facades.js';
import { openRaceStore, type RaceStoreSpec } from '../support/link-race-store.js';
import { serviceUrl } from '../support/services.js';

const worker = fileURLToPath(new URL('./link-race-worker.ts', import.meta.url));
const { fake, facade, url } = useFakePlaidFacades();
const redisUrl = serviceUrl('redis', 'linking races over Redis');
const pgUrl = serviceUrl('postgres', 'linking races over PostgreSQL');
const tables: string[] = [];

afterAll(async () => {
  if (!pgUrl || tables.length === 0) return;
  const pool = new pg.Pool({ connectionString: pgUrl });
  for (const table of tables) {
    await pool.query(`DROP TABLE IF EXISTS "${table}"`);
    await pool.query(`DROP TABLE IF EXISTS "${table}_link_records"`);
  }
  await pool.end();
});

/** Runs the worker (a second process) on `job`; resolves with the Item ids it printed. */
function runWorker(job: unknown): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => child.kill(), 60_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`worker exited with ${code}`));
      resolve((JSON.parse(out) as { itemIds: string[] }).itemIds);
    });
    child.stdin.end(`${JSON.stringify(job)}\n`);
  });
}

async function race(spec: RaceStoreSpec): Promise<void> {
  const { store, close } = await openRaceStore(spec);
  try {
    const plaid = facade({ tokenStore: store });
    const userId = `u-${randomUUID()}`;
    const { linkToken } = await plaid.linkToken({ userId });
    const session = fake.finishLinkSession(linkToken);
    const success = session.successes[0];
    if (!success) throw new Error('no success');
    const webhook = session.webhooks.sessionFinished;
    const other = runWorker({
      store: spec,
      fakeUrl: url(),
      userId,
      linkToken,
      publicToken: success.publicToken,
      metadata: success.metadata,
      webhook: { body: webhook.body, headers: webhook.headers },
    });
    const here = await Promise.all([
      plaid.exchange({ userId, publicToken: success.publicToken, metadata: success.metadata }),
      plaid.webhooks.handle(webhook),
      plaid.completeLink({ linkToken }),
    ]);
    const there = await other;
    const itemId = here[0].itemId;
    expect(here[1].link?.items[0]?.itemId).toBe(itemId);
    expect(here[2].items[0]?.itemId).toBe(itemId);
    expect(there).toEqual([itemId, itemId, itemId]);
    expect(fake.callsTo('/item/public_token/exchange')).toHaveLength(1);
    expect((await store.list(userId)).map((item) => item.itemId)).toEqual([itemId]);
  } finally {
    await close();
  }
}

describe('one public token, two processes, three deliveries each', () => {
  it.skipIf(!redisUrl)('over a shared Redis store: one exchange, one Item', async () => {
    await race({ kind: 'redis', url: redisUrl as string, name: `pf-race:${randomUUID()}:`, key: key() });
  });

  it.skipIf(!pgUrl)('over a shared PostgreSQL store: one exchange, one Item', async () => {
    const table = `pf_race_${randomBytes(6).toString('hex')}`;
    tables.push(table);
    await race({ kind: 'postgres', url: pgUrl as string, name: table, key: key() });
  });
});

function key(): string {
  return randomBytes(32).toString('base64');
}
