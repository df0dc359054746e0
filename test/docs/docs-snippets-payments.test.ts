/**
 * Runs docs/payments.md's snippets (docs/snippets/payments.ts) against the fake Plaid on loopback,
 * and checks what their comments say. Also holds the guide's table of Signal error codes to the
 * codes the library knows (src/pipeline/classify.ts) and the fake answers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as payments from '../../docs/snippets/payments.js';
import { SIGNAL_ERROR_CODES } from '../../src/pipeline/plaid-error-codes.js';
import { isKnownErrorCode } from '../../src/testing/fake-plaid/errors.js';
import { useFakePlaidFacades } from '../support/fake-facades.js';

const { fake, facade } = useFakePlaidFacades();
afterEach(() => vi.restoreAllMocks());

/** What `console.log` printed during the test, one array per call. */
function printed(): unknown[][] {
  const lines: unknown[][] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args));
  return lines;
}

async function linked() {
  const plaid = facade();
  const userId = 'user-42';
  const { itemId } = await plaid.exchange({ userId, publicToken: fake.createPublicToken() });
  const accountId = fake.item(itemId).accounts[0]?.account_id as string;
  return { plaid, userId, itemId, accountId };
}

describe('docs/payments.md', () => {
  it('link: asks for a Link token with auth and signal', async () => {
    const plaid = facade();
    await payments.linkForSignal({ plaid, userId: 'user-42' });
    expect(fake.callsTo('/link/token/create')[0]?.body).toMatchObject({ products: ['auth', 'signal'] });
  });

  it.each([
    ['ACCEPT', 'debit'],
    ['REROUTE', 'other-method'],
    ['REVIEW', 'review'],
    ['SOMETHING_NEW', 'review'],
  ])('evaluate and report: %s means %s, and the reports reach Plaid', async (result, decision) => {
    const { plaid, userId, itemId, accountId } = await linked();
    fake.setSignalOutcome(itemId, { result });
    const lines = printed();
    const payment = { id: 'pay-1', amountUsd: 42.5 };
    const outcome = await payments.examples({ plaid, userId, itemId, accountId, payment });
    expect(outcome.decision).toBe(decision);
    const available = fake.item(itemId).accounts[0]?.balances.available;
    expect(lines).toEqual([[decision, 'default', available]]);
    const [evaluation] = fake.signalEvaluations;
    expect(evaluation).toMatchObject({
      clientTransactionId: 'pay-1',
      amount: 42.5,
      decisions: [{ initiated: decision === 'debit' }],
      returns: decision === 'debit' ? [{ returnCode: 'R01' }] : [],
    });
  });

  it('lost answer: Plaid refusing the id after a lost answer leads to a new evaluation under a new id', async () => {
    const { plaid, userId, itemId, accountId } = await linked();
    fake.setSignalDuplicateMode('error');
    fake.failNext('/signal/evaluate', 'processed-then-dropped');
    const payment = { id: 'pay-2', amountUsd: 10 };
    const input = { plaid, userId, itemId, accountId, payment };
    // The first call loses its answer (the facade here does not retry): the caller calls again.
    await expect(payments.lostAnswer({ ...input, newPaymentId: () => 'pay-2b' })).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
    });
    const evaluation = await payments.lostAnswer({ ...input, newPaymentId: () => 'pay-2b' });
    expect(evaluation.paymentId).toBe('pay-2b');
    expect(fake.signalEvaluations.map((e) => [e.clientTransactionId, e.decisions])).toEqual([
      ['pay-2', [{ initiated: false }]],
      ['pay-2b', []],
    ]);
  });
});

describe("the guide's Signal error codes", () => {
  const guide = readFileSync(join(import.meta.dirname, '..', '..', 'docs/payments.md'), 'utf8');
  const start = guide.indexOf('## Signal error codes');
  const section = guide.slice(start, guide.indexOf('\n## ', start + 1));
  const rows = new Map(
    section
      .split('\n')
      // rows of codes, not the header (`errorCode`)
      .filter((line) => line.startsWith('| `') && !line.startsWith('| `errorCode`'))
      .map((line) => [/^\| `([^`]+)`/.exec(line)?.[1] ?? '', line.split(' | ')]),
  );

  it.each(SIGNAL_ERROR_CODES)('%s: a row with status, meaning and what to do; the fake answers it', (code) => {
    const cells = rows.get(code);
    expect(cells, `no row for ${code} in docs/payments.md`).toHaveLength(4);
    expect(cells?.[1]).toMatch(/^\d{3}$/);
    expect(isKnownErrorCode(code)).toBe(true);
  });

  it('lists no other code', () => {
    expect([...rows.keys()].filter((code) => !SIGNAL_ERROR_CODES.includes(code))).toEqual([]);
  });
});
