import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { JSON_SLICING, type JsonRead, parseJsonText } from '../../src/pipeline/parse-json.js';

// parse-json.ts scans a long text for its bounds, with turns of the event loop between pieces,
// then hands it to JSON.parse. Its value must be JSON.parse's in every case; these tests use
// pieces of a few characters so that every path of the scan runs on short texts.

/** A deterministic pseudo-random sequence (a linear congruential generator), so failures repeat. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

function reference(text: string): JsonRead {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, reason: 'the body is not JSON' };
  }
}

/** Same value (members, their order, prototypes, -0) or both not JSON. */
function same(got: JsonRead, want: JsonRead): boolean {
  if (!want.ok) return !got.ok;
  return got.ok && isDeepStrictEqual(got.value, want.value) && JSON.stringify(got.value) === JSON.stringify(want.value);
}

const noTurn = async () => {};
const tiny = [
  { sliceChars: 1, turnChars: 3, maxDepth: 1e9, maxContainers: 1e9, turn: noTurn },
  { sliceChars: 8, turnChars: 16, maxDepth: 1e9, maxContainers: 1e9, turn: noTurn },
  { sliceChars: 40, turnChars: 100, maxDepth: 1e9, maxContainers: 1e9, turn: noTurn },
];

describe('parseJsonText gives what JSON.parse gives', () => {
  it('for 3,000 random texts, valid and broken, however they are sliced', async () => {
    const next = random(20_261_202);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
    const space = () => pick(['', '', ' ', '\n', '\t ', '\r\n']);
    const scalars = [
      0,
      -0,
      1.5,
      -2e10,
      1e21,
      true,
      false,
      null,
      '',
      'a"b',
      'x\\y',
      '\\"',
      '\u2028',
      '{[',
      '"]}',
      'é😀',
    ];
    const keys = ['a', 'b', '1', '0', '10', '__proto__', 'k"', '', 'constructor'];
    const value = (depth: number): string => {
      const r = next();
      if (depth > 5 || r < 0.3) {
        const scalar = pick(scalars);
        return Object.is(scalar, -0) ? '-0' : JSON.stringify(scalar);
      }
      const count = Math.floor(next() * 6);
      const members = Array.from({ length: count }, () =>
        r < 0.65 ? value(depth + 1) : `${JSON.stringify(pick(keys))}${space()}:${space()}${value(depth + 1)}`,
      );
      const inner = `${space()}${members.join(`${space()},${space()}`)}${space()}`;
      return r < 0.65 ? `[${inner}]` : `{${inner}}`;
    };
    const mutate = (text: string): string => {
      const at = Math.floor(next() * text.length);
      const r = next();
      const char = pick([',', ']', '}', '[', '{', '"', ':', '\\', 'x', '1', ' ', '\u00a0']);
      if (r < 0.3) return text.slice(0, at) + text.slice(at + 1);
      if (r < 0.6) return text.slice(0, at) + char + text.slice(at);
      return text.slice(0, at) + char + text.slice(at + 1);
    };
    const mismatches: string[] = [];
    let valid = 0;
    for (let i = 0; i < 3_000; i++) {
      let text = `${space()}${value(0)}${space()}`;
      if (next() < 0.5) text = mutate(text);
      if (next() < 0.2) text = mutate(text);
      const want = reference(text);
      if (want.ok) valid++;
      for (const slicing of tiny) {
        if (!same(await parseJsonText(text, slicing), want))
          mismatches.push(`${JSON.stringify(text)} ${slicing.sliceChars}`);
      }
    }
    expect(mismatches).toEqual([]);
    // Both kinds were tried.
    expect(valid).toBeGreaterThan(1_000);
    expect(valid).toBeLessThan(2_500);
  });

  it('keeps __proto__ as a plain member, duplicate keys as JSON.parse does, and integer keys in order', async () => {
    const text = '{"__proto__":{"polluted":1},"b":1,"2":[1],"1":{"x":[2,3]},"b":{"again":true},"a":[[],{}]}';
    for (const slicing of tiny) {
      const read = await parseJsonText(text, slicing);
      expect(same(read, reference(text))).toBe(true);
      const value = (read as { value: Record<string, unknown> }).value;
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(Object.keys(value)).toEqual(['1', '2', '__proto__', 'b', 'a']);
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    }
  });

  it('reads a long string, a long number and text that is not JSON at once', async () => {
    for (const text of [
      `"${'x'.repeat(100)}"`,
      `  ${'1'.repeat(50)}  `,
      'not json at all, and long enough',
      '{"a":1} x',
    ]) {
      expect(same(await parseJsonText(text, tiny[1]), reference(text))).toBe(true);
    }
  });
});

describe('bounds of a long text', () => {
  const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
  const long = { ...tiny[1], maxDepth: 64, maxContainers: 20 };

  it('refuses a text nested deeper than maxDepth, and says so', async () => {
    expect(await parseJsonText(nested(65), { ...long, maxContainers: 1e9 })).toEqual({
      ok: false,
      reason: 'the body nests arrays and objects deeper than 64 levels',
    });
    expect(await parseJsonText(nested(64), { ...long, maxContainers: 1e9 })).toMatchObject({ ok: true });
  });

  it('refuses a text of more than maxContainers arrays and objects, and says so', async () => {
    expect(await parseJsonText(`[${Array(20).fill('{}').join(',')}]`, long)).toEqual({
      ok: false,
      reason: 'the body has more than 20 arrays and objects',
    });
    expect(await parseJsonText(`[${Array(19).fill('{}').join(',')}]`, long)).toMatchObject({ ok: true });
  });

  it('parses a text no longer than a slice at once, as JSON.parse does, whatever its depth', async () => {
    expect(await parseJsonText(nested(100), { ...long, sliceChars: 200 })).toMatchObject({ ok: true });
  });

  it('by default: 16 KiB slices, 64 levels, 20,000 arrays and objects', () => {
    expect(JSON_SLICING).toMatchObject({ sliceChars: 16 * 1024, maxDepth: 64, maxContainers: 20_000 });
  });
});

describe('turns of the event loop', () => {
  /** Whether a setImmediate callback scheduled just before the parse ran before it settled. */
  async function letOthersRun(text: string): Promise<{ read: JsonRead; ranBefore: boolean }> {
    let ran = false;
    setImmediate(() => {
      ran = true;
    });
    const read = await parseJsonText(text);
    return { read, ranBefore: ran };
  }

  it('a long text (200 KiB of accounts) lets callbacks that are due run while it is parsed', async () => {
    const account = '{"account_id":"a","balances":{"available":1,"current":2},"name":"n"}';
    const text = `{"accounts":[${Array(3_000).fill(account).join(',')}],"request_id":"r"}`;
    expect(text.length).toBeGreaterThan(200_000);
    const { read, ranBefore } = await letOthersRun(text);
    expect(ranBefore).toBe(true);
    expect(same(read, reference(text))).toBe(true);
  });

  it('a long text that is refused also lets them run (the scan takes turns)', async () => {
    const text = `[${Array(100_000).fill('{}').join(',')}]`;
    const { read, ranBefore } = await letOthersRun(text);
    expect(ranBefore).toBe(true);
    expect(read).toMatchObject({ ok: false });
  });

  it('a short answer is parsed at once, without waiting for a turn', async () => {
    const { read, ranBefore } = await letOthersRun('{"link_token":"link-1","request_id":"r"}');
    expect(ranBefore).toBe(false);
    expect(read).toEqual({ ok: true, value: { link_token: 'link-1', request_id: 'r' } });
  });
});
