import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createPlaidFacade, MemoryTokenStore } from 'plaid-facade';
import { MAX_BODY_BYTES } from '../src/options/defaults.js';
import { fill, validAccount } from '../test/support/answer-bodies.js';
import { type BenchSection, type Figure, median } from './section.js';

const self = fileURLToPath(import.meta.url);

/** Issue #12's target: no parse blocks the event loop for longer than this. */
const targetMs = 50;
/** Calls measured per body, after two to warm up. */
const calls = 10;
/** The documented maximum of a balance answer (512 KiB): every body is filled up to it. */
const maxBytes = MAX_BODY_BYTES['/accounts/balance/get'] as number;

const itemId = 'item-bench';
const rest = `"item":{"item_id":"${itemId}"},"request_id":"req-bench"`;

/** An answer whose accounts are as many `element`s as fit. */
function withAccounts(element: (index: number) => string): string {
  return `{"accounts":[${fill(maxBytes - rest.length - 20, element).text}],${rest}}`;
}

/** A valid answer with no accounts and `extra` (the text of a member Plaid might add) first. */
function withMember(extra: (room: number) => string): string {
  return `{${extra(maxBytes - rest.length - 40)},"accounts":[],${rest}}`;
}

/** A distinct short string for each index. */
const distinct = (index: number) => `"${index.toString(36)}"`;

/** The body with its last account's id emptied (a schema failure at the very end). */
function lastInvalid(body: string): string {
  const at = body.lastIndexOf('"account_id":"a') + '"account_id":'.length;
  const end = body.indexOf('"', at + 1);
  return `${body.slice(0, at)}""${body.slice(end + 1)}`;
}

/** One hostile or maximal balance answer, at the documented maximum size. */
interface Case {
  name: string;
  body: string;
  /** What the call must end with: a check that the body was read as meant. */
  expect: 'ok' | 'PlaidSchemaError';
}

function cases(): Case[] {
  const depth = Math.floor((maxBytes - 200) / 2);
  const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const nested60 = `${'['.repeat(60)}${']'.repeat(60)}`;
  return [
    { name: 'valid, as many accounts as fit', body: withAccounts(validAccount), expect: 'ok' },
    {
      name: 'every account valid but the last',
      body: lastInvalid(withAccounts(validAccount)),
      expect: 'PlaidSchemaError',
    },
    {
      name: 'every field of every account wrong',
      body: withAccounts(() =>
        JSON.stringify({
          account_id: 1,
          balances: { available: 'x', current: 'x', limit: 'x', iso_currency_code: 1, unofficial_currency_code: 1 },
          mask: 1,
          name: 1,
          official_name: 1,
          type: 1,
          subtype: 1,
        }),
      ),
      expect: 'PlaidSchemaError',
    },
    { name: 'malformed accounts (175,000 × `{}`)', body: withAccounts(() => '{}'), expect: 'PlaidSchemaError' },
    {
      name: 'objects with a key each of their own (47,000)',
      body: withMember((room) => `"objects":[${fill(room, (i) => `{"${i.toString(36)}":0}`).text}]`),
      expect: 'PlaidSchemaError',
    },
    {
      name: '19,990 objects with a key each of their own, then 60,000 distinct strings (the most objects accepted)',
      body: withMember((room) => {
        const objects = fill(room, (i) => `{"${i.toString(36)}":0}`, 19_990).text;
        return `"objects":[${objects}],"strings":[${fill(room - objects.length - 20, distinct).text}]`;
      }),
      expect: 'ok',
    },
    {
      name: 'distinct strings (80,000)',
      body: withMember((room) => `"strings":[${fill(room, distinct).text}]`),
      expect: 'ok',
    },
    {
      name: 'one object of 40,000 members',
      body: withMember((room) => `"wide":{${fill(room, (i) => `"k${i.toString(36).padStart(5, '0')}":0`).text}}`),
      expect: 'ok',
    },
    {
      name: 'numbers (120,000 × 1.5)',
      body: withMember((room) => `"numbers":[${fill(room, () => '1.5').text}]`),
      expect: 'ok',
    },
    {
      name: 'arrays nested 262,000 deep',
      body: withMember(() => `"deep":${deep.slice(rest.length + 30, deep.length - rest.length - 30)}`),
      expect: 'PlaidSchemaError',
    },
    {
      name: 'accounts nested 262,000 deep',
      body: `{"accounts":${deep.slice(rest.length + 20, deep.length - rest.length - 20)},${rest}}`,
      expect: 'PlaidSchemaError',
    },
    {
      name: 'item.error.causes nested 262,000 deep',
      body: `{"accounts":[],"item":{"item_id":"${itemId}","error":{"error_type":"ITEM_ERROR","error_code":"X","causes":${deep.slice(100, deep.length - 100)}}},"request_id":"r"}`,
      expect: 'PlaidSchemaError',
    },
    {
      name: 'nested 62 levels deep (the deepest accepted) 330 times, then distinct strings',
      body: withMember((room) => {
        const nested = fill(room, () => nested60, 330).text;
        return `"nested":[${nested}],"strings":[${fill(room - nested.length - 20, distinct).text}]`;
      }),
      expect: 'ok',
    },
    {
      name: 'one huge string (an account name)',
      body: `{"accounts":[${validAccount(0).replace('"name":""', `"name":"${'n'.repeat(maxBytes - 400)}"`)}],${rest}}`,
      expect: 'ok',
    },
    {
      name: 'huge request_id and item_id strings',
      body: `{"accounts":[],"item":{"item_id":"${'i'.repeat(maxBytes / 2 - 100)}"},"request_id":"${'r'.repeat(maxBytes / 2 - 100)}"}`,
      expect: 'PlaidSchemaError',
    },
  ];
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

/**
 * A full garbage collection, run before each measured call (outside its window), so that a call
 * is charged with the collection of its own garbage, not with what earlier bodies left.
 */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** The process's CPU time so far (every thread: the garbage collector's helpers count too), in ms. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The longest blocks a probe saw: in wall-clock time, and in CPU time over the same stretch. */
interface Blocks {
  wallMs: number;
  cpuMs: number;
}

/**
 * Starts a 1 ms interval timer that notes the longest stretch between two of its ticks, less its
 * own 1 ms, in wall-clock time and in the process's CPU time over that stretch (at most the wall
 * time): on a shared machine the wall-clock figure also counts time the OS gave to other
 * processes, which the CPU figure leaves out. Stopping it gives both.
 */
function startProbe(): () => Blocks {
  let lastWall = performance.now();
  let lastCpu = cpuMs();
  const blocks: Blocks = { wallMs: 0, cpuMs: 0 };
  const tick = () => {
    const wall = performance.now();
    const cpu = cpuMs();
    const gap = wall - lastWall;
    blocks.wallMs = Math.max(blocks.wallMs, gap - 1);
    blocks.cpuMs = Math.max(blocks.cpuMs, Math.min(gap, cpu - lastCpu) - 1);
    lastWall = wall;
    lastCpu = cpu;
  };
  const timer = setInterval(tick, 1);
  return () => {
    tick();
    clearInterval(timer);
    return { wallMs: Math.max(0, blocks.wallMs), cpuMs: Math.max(0, blocks.cpuMs) };
  };
}

interface Measured {
  /** The longest block of any call, and the median over calls of each call's longest. */
  max: Blocks;
  median: Blocks;
  /** How long one `JSON.parse` of the body takes (the longest of `calls`), for comparison. */
  wholeParseMs: number;
  outcome: string;
}

/** Runs one case: `calls` reads of the body, each watched by a 1 ms event-loop delay monitor. */
async function measure(entry: Case, serve: (body: Buffer) => string): Promise<Measured> {
  const body = Buffer.from(entry.body);
  if (body.length > maxBytes) throw new Error(`${entry.name}: ${body.length} bytes, above the maximum`);
  const store = new MemoryTokenStore();
  await store.set({ userId: 'u', itemId, accessToken: 'access-bench', createdAt: new Date() });
  const facade = createPlaidFacade({
    clientId: 'bench',
    secret: 'bench-secret',
    basePath: serve(body),
    rateLimit: false,
    retry: false,
    tokenStore: store,
  });
  const perCall: Blocks[] = [];
  let outcome = '';
  try {
    for (let i = 0; i < calls + 2; i++) {
      collectGarbage();
      const stop = startProbe();
      const result = await facade
        .getBalances({ userId: 'u', itemId })
        .then((read) => `ok, ${read.accounts.length} accounts`)
        .catch((error: unknown) => `${(error as Error).name}: ${(error as Error).message.slice(0, 160)}`);
      // A little longer, so that the probe also sees the garbage collection the call left behind.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const blocks = stop();
      if (i >= 2) perCall.push(blocks);
      outcome = result;
    }
  } finally {
    await facade.close();
  }
  if (!outcome.startsWith(entry.expect)) throw new Error(`${entry.name}: expected ${entry.expect}, got ${outcome}`);
  const text = body.toString('utf8');
  const wholeParse: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    try {
      JSON.parse(text);
    } catch {}
    wholeParse.push(performance.now() - start);
  }
  const max = { wallMs: Math.max(...perCall.map((b) => b.wallMs)), cpuMs: Math.max(...perCall.map((b) => b.cpuMs)) };
  const mid = { wallMs: median(perCall.map((b) => b.wallMs)), cpuMs: median(perCall.map((b) => b.cpuMs)) };
  return { max, median: mid, wholeParseMs: Math.max(...wholeParse), outcome };
}

/** The longest event-loop block while the facade reads hostile or maximal balance answers. */
export async function run(): Promise<BenchSection> {
  let current: Buffer = Buffer.alloc(0);
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': current.length });
      response.end(current);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const figures: Figure[] = [];
  const outcomes: string[] = [];
  let worst = 0;
  try {
    // Control: how long this machine's loop stalls with no call at all.
    const stopIdle = startProbe();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const idle = stopIdle();
    for (const entry of cases()) {
      const result = await measure(entry, (body) => {
        current = body;
        return base;
      });
      worst = Math.max(worst, result.max.cpuMs);
      outcomes.push(
        `${entry.name}: ${result.outcome.replace(/^PlaidSchemaError: Plaid's answer to \/accounts\/balance\/get does not match its schema: /, 'PlaidSchemaError: ')}`,
      );
      figures.push({
        name: `${entry.name}: longest block, CPU (wall clock; median of calls; one JSON.parse of the body)`,
        value: `${ms(result.max.cpuMs)} (${ms(result.max.wallMs)}; ${ms(result.median.cpuMs)}; ${ms(result.wholeParseMs)})`,
        target: `≤ ${targetMs} ms`,
        met: result.max.cpuMs <= targetMs,
      });
    }
    figures.push({
      name: 'control: longest stall of the idle loop over 2 s, CPU (wall clock)',
      value: `${ms(idle.cpuMs)} (${ms(idle.wallMs)})`,
    });
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return {
    title: 'Event-loop blocking while reading hostile balance answers',
    method: `getBalances through the facade against a loopback server (in the same process, answering a prepared buffer) that sends each body below, filled up to the documented maximum of a balance answer (${maxBytes / 1024} KiB); ${calls} calls per body after 2 warm-up calls, each watched from before the call until 20 ms after it by a 1 ms interval timer that notes the longest stretch between two of its ticks (less the 1 ms), so reading the socket, parsing, validation and the garbage collection they cause all count (a full collection runs before each call, outside its window). That stretch is given in the process's CPU time (all threads, at most the wall-clock time), which leaves out time the OS gave to other processes on a shared machine, and in wall-clock time. Worst block over all bodies, in CPU time: ${ms(worst)}. For comparison, the longest of ${calls} single \`JSON.parse\`s of the same body (what the official client did with every answer before). Outcomes: ${outcomes.join('; ')}.`,
    figures,
  };
}

if (process.argv[1] === self) {
  const section = await run();
  console.log(section.title);
  console.log(section.method);
  for (const f of section.figures) {
    console.log(`  ${f.name}: ${f.value}${f.target ? ` (target ${f.target}: ${f.met ? 'met' : 'MISSED'})` : ''}`);
  }
}
