import { describe, expect, it } from 'vitest';
import { accountSchema } from '../../src/schemas/accounts-balance-get.js';
import { compileFastCheck, fastCheckOf, NOT_PASSED } from '../../src/schemas/fast-check.js';
import { z } from '../../src/schemas/zod.js';

// The compiled check is the fast path of every balance answer: it may refuse what zod accepts
// (zod then reads the value), but must never accept what zod refuses, nor give another output.

const validAccount = () => ({
  account_id: 'acc-1',
  balances: {
    available: 100,
    current: 110.5,
    limit: null,
    iso_currency_code: 'USD',
    unofficial_currency_code: null,
    last_updated_datetime: '2026-12-01T12:00:00Z',
  },
  mask: '0000',
  name: 'Plaid Checking',
  official_name: null,
  type: 'depository',
  subtype: 'checking',
  persistent_account_id: 'p-1',
});

// zod reads an object with `then` and `catch` functions as a promise, not an object.
// biome-ignore lint/suspicious/noThenProperty: the thenable is the point of the case
const thenable = { then: () => {}, catch: () => {} };
const oddValues: unknown[] = [
  undefined,
  null,
  '',
  'x',
  '110.00',
  '2026-12-01T12:00:00Z',
  '2026-02-30T00:00:00Z',
  '2026-12-31T23:59:60Z',
  '2026-12-01T12:00:60Z',
  'yesterday',
  0,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  [],
  {},
  new Date(0),
  new Map(),
  thenable,
  Object.create(null),
];

/** Every account with one member (of the account or its balance) set to one odd value, or removed. */
function mutations(): unknown[] {
  const out: unknown[] = [];
  const base = validAccount();
  for (const key of Object.keys(base)) {
    const removed: Record<string, unknown> = validAccount();
    delete removed[key];
    out.push(removed);
    for (const value of oddValues) out.push({ ...validAccount(), [key]: value });
  }
  for (const key of Object.keys(base.balances)) {
    const account = validAccount();
    const removed: Record<string, unknown> = { ...account.balances };
    delete removed[key];
    out.push({ ...account, balances: removed });
    for (const value of oddValues) out.push({ ...account, balances: { ...account.balances, [key]: value } });
  }
  for (const value of oddValues) out.push(value);
  return out;
}

/** The fast check agrees with zod: whatever it passes, zod passes with the same output. */
function expectAgrees(schema: z.ZodTypeAny, values: unknown[]): number {
  const fast = compileFastCheck(schema);
  let passed = 0;
  for (const value of values) {
    const checked = fast(value);
    if (checked === NOT_PASSED) continue;
    passed += 1;
    const result = schema.safeParse(value);
    expect(result.success, `zod refuses what the fast check passed: ${String(JSON.stringify(value))}`).toBe(true);
    expect(checked).toStrictEqual(result.data);
  }
  return passed;
}

describe('the fast check compiled from a schema', () => {
  it('passes a valid account with the output zod gives (unknown members dropped, the date read)', () => {
    const fast = compileFastCheck(accountSchema);
    const checked = fast(validAccount());
    expect(checked).not.toBe(NOT_PASSED);
    expect(checked).toStrictEqual(accountSchema.parse(validAccount()));
    expect(checked).not.toHaveProperty('persistent_account_id');
  });

  it('never passes an account zod refuses, over every member set to odd values', () => {
    const values = mutations();
    const passed = expectAgrees(accountSchema, values);
    // the mutations that keep an account valid (an absent date, null where nullable, …) do pass
    expect(passed).toBeGreaterThan(20);
    expect(passed).toBeLessThan(values.length);
  });

  it('refuses what zod refuses for number and string bounds, and runs zod for the rest', () => {
    const numbers = [0, 1, 2, 2.5, 3, 10, -1, Number.NaN, Number.NEGATIVE_INFINITY, '1', null];
    expectAgrees(z.number().int().min(1).max(3), numbers);
    expectAgrees(z.number().gt(1).lt(3), numbers);
    expectAgrees(z.number().multipleOf(2), numbers);
    const strings = ['', 'a', 'ab', 'abc', 'abcd', 'ABC', 1, null, undefined];
    expectAgrees(z.string().min(2).max(3), strings);
    expectAgrees(z.string().length(3), strings);
    expectAgrees(z.string().regex(/^[a-z]+$/), strings);
    expectAgrees(z.string().optional().catch('caught'), strings);
    expectAgrees(z.boolean(), [true, false, 0, 'true', null]);
    expectAgrees(z.object({ a: z.string().optional() }), [{}, { a: undefined }, { a: 'x' }, { a: 1 }, [], null]);
    expectAgrees(z.object({ a: z.string() }).passthrough(), [{ a: 'x', b: 1 }, { a: 1 }]);
    expectAgrees(z.object({ a: z.string() }).strict(), [{ a: 'x', b: 1 }, { a: 'x' }]);
  });
});

describe('the fast check of a whole answer and of an input', () => {
  it('reads a balance answer as zod does, and leaves a long account list to zod', async () => {
    const { accountsBalanceGetResponseSchema } = await import('../../src/schemas/accounts-balance-get.js');
    const { balanceBody } = await import('../support/msw-plaid.js');
    const fast = fastCheckOf(accountsBalanceGetResponseSchema);
    const body = balanceBody('item-1');
    const checked = fast(body);
    expect(checked).not.toBe(NOT_PASSED);
    expect(checked).toStrictEqual(await accountsBalanceGetResponseSchema.parseAsync(body));
    const long = { ...body, accounts: Array.from({ length: 65 }, () => body.accounts[0]) };
    expect(fast(long)).toBe(NOT_PASSED);
    for (const account of mutations()) {
      const answer = { ...body, accounts: [account] };
      const result = fast(answer);
      if (result === NOT_PASSED) continue;
      expect(result).toStrictEqual(await accountsBalanceGetResponseSchema.parseAsync(answer));
    }
  });

  it('agrees with zod on strict objects, arrays and refinements (as the inputs are checked)', () => {
    const id = z.string().superRefine((value, context) => {
      if (value.trim() !== value) context.addIssue({ code: 'custom', message: 'blank around' });
    });
    const input = z
      .object({
        userId: id,
        accountIds: z.array(id).min(1).max(2).optional(),
        when: z
          .date()
          .refine((d) => !Number.isNaN(d.getTime()))
          .optional(),
      })
      .strict();
    const passed = expectAgrees(input, [
      { userId: 'u' },
      { userId: ' u' },
      { userId: 'u', extra: 1 },
      { userId: 'u', accountIds: [] },
      { userId: 'u', accountIds: ['a'] },
      { userId: 'u', accountIds: ['a', ' b'] },
      { userId: 'u', accountIds: ['a', 'b', 'c'] },
      { userId: 'u', when: new Date(0) },
      { userId: 'u', when: new Date(Number.NaN) },
      { userId: 'u', accountIds: undefined },
      null,
      'u',
    ]);
    expect(passed).toBe(4);
  });
});
