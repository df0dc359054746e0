import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlaidFacade, MemoryTokenStore, type PlaidFacade } from '../../src/index.js';
import { signalEvaluateResponseSchema, signalReportResponseSchema } from '../../src/schemas/signal-evaluate.js';
import { sendJson, startRawServer } from '../support/raw-server.js';

// Every schema-valid body of Plaid's OpenAPI description for /signal/evaluate must be read, and
// wrong ones refused. The bodies are generated from the description's structure (the fixture is
// `shared/plaid-openapi/2020-09-14.structure.yml`'s schemas for these answers): every field, every
// nullable null, every optional left out, unknown enum values and unknown fields; then Plaid's own
// documented examples. They are served over HTTP to a real facade, as Plaid would send them.

interface Schema {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  minimum?: number;
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/signal-openapi.json', import.meta.url), 'utf8')) as {
  schemas: Record<string, Schema>;
};

/** How a body is generated. */
interface Mode {
  /** Leave out every member that is not required. */
  requiredOnly?: boolean;
  /** Give every nullable member null, at `depth` and deeper (1: members of the top-level object). */
  nullFrom?: number;
  /** Replace enum values with one Plaid may add, and add an unknown member to every object. */
  open?: boolean;
  /** Which value of an enum to use (its index, wrapping). */
  enumIndex?: number;
}

function resolve(schema: Schema): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.split('/').pop() as string;
  return { ...(fixture.schemas[name] as Schema), ...(schema.nullable ? { nullable: true } : {}) };
}

function generate(input: Schema, mode: Mode, depth = 0): unknown {
  const schema = resolve(input);
  if (schema.nullable && mode.nullFrom !== undefined && depth >= mode.nullFrom) return null;
  if (schema.enum) {
    if (mode.open) return 'A_VALUE_PLAID_ADDS_LATER';
    const values = schema.enum.filter((value) => value !== null);
    return values[(mode.enumIndex ?? 0) % values.length];
  }
  switch (schema.type) {
    case 'object': {
      const body: Record<string, unknown> = {};
      for (const [key, member] of Object.entries(schema.properties ?? {})) {
        if (mode.requiredOnly && !(schema.required ?? []).includes(key)) continue;
        body[key] = generate(member, mode, depth + 1);
      }
      if (mode.open) body.a_field_plaid_adds_later = { nested: [1, 'two'] };
      return body;
    }
    case 'array':
      return [generate(schema.items as Schema, mode, depth + 1)];
    case 'integer':
      return schema.minimum ?? 1;
    case 'number':
      return 12.5;
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'date-time') return '2026-12-01T10:00:00Z';
      if (schema.format === 'date') return '2026-12-01';
      return 'text';
    default:
      throw new Error(`the generator knows no type ${String(schema.type)}`);
  }
}

const root: Schema = { $ref: '#/components/schemas/SignalEvaluateResponse' };

const generated: Array<[string, unknown]> = [
  ['every member present', generate(root, {})],
  ['every member present, the second enum values', generate(root, { enumIndex: 1 })],
  ['every member present, the third enum values', generate(root, { enumIndex: 2 })],
  ['every nullable member null (top level)', generate(root, { nullFrom: 1 })],
  ['every nullable member null (nested)', generate(root, { nullFrom: 2 })],
  ['only the required members', generate(root, { requiredOnly: true })],
  ['only the required members, nullables null', generate(root, { requiredOnly: true, nullFrom: 1 })],
  ['unknown enum values and unknown members everywhere', generate(root, { open: true })],
];

// Plaid's documented examples: the API reference's response object (docs/api/products/signal), a
// Balance-only answer as the description's prose gives it (balances only in core_attributes, no
// scores), and the pre-2025 shape with the result inside triggered_rule_details.
const examples: Array<[string, unknown]> = [
  [
    "the API reference's example",
    {
      scores: {
        customer_initiated_return_risk: { score: 9, risk_tier: 1 },
        bank_initiated_return_risk: { score: 82, risk_tier: 7 },
      },
      core_attributes: { available_balance: 2200, current_balance: 2000 },
      ruleset: {
        ruleset_key: 'onboarding_flow',
        result: 'REROUTE',
        triggered_rule_details: {
          internal_note: 'Rerouting customer to different payment method, since bank risk score is too high',
        },
      },
      warnings: [],
      request_id: 'mdqfuVxeoza6mhu',
    },
  ],
  [
    'a Balance-only ruleset',
    {
      scores: null,
      core_attributes: { available_balance: 120.5, current_balance: 130, balance_last_updated: '2026-12-01T10:00:00Z' },
      ruleset: {
        ruleset_key: 'default',
        result: 'ACCEPT',
        triggered_rule_details: { custom_action_key: '3-day-hold' },
      },
      warnings: [],
      request_id: 'req-balance-only',
    },
  ],
  [
    'the pre-2025 shape',
    {
      scores: { customer_initiated_return_risk: { score: 9, risk_tier: 1 } },
      ruleset: { ruleset_key: 'legacy', triggered_rule_details: { result: 'REVIEW' }, outcome: 'review' },
      warnings: [{ warning_type: 'BANK_DATA', warning_code: 'ITEM_LOGIN_REQUIRED', warning_message: 'login required' }],
      request_id: 'req-legacy',
    },
  ],
];

describe('the /signal/evaluate schema accepts every schema-valid body', () => {
  it.each([...generated, ...examples])('%s', async (_, body) => {
    const parsed = await signalEvaluateResponseSchema.safeParseAsync(body);
    expect(parsed.error?.issues).toBeUndefined();
  });

  it('reads the ruleset result where each shape puts it', async () => {
    const [full, legacy] = await Promise.all([
      signalEvaluateResponseSchema.parseAsync(generate(root, {})),
      signalEvaluateResponseSchema.parseAsync(examples[2]?.[1]),
    ]);
    expect(full.result).toBe('ACCEPT');
    expect(legacy.result).toBe('REVIEW');
  });

  it('the report answers too', () => {
    for (const name of ['SignalDecisionReportResponse', 'SignalReturnReportResponse']) {
      const body = generate({ $ref: `#/components/schemas/${name}` }, { open: true });
      expect(signalReportResponseSchema.safeParse(body).success).toBe(true);
    }
  });
});

describe('the /signal/evaluate schema refuses what Plaid does not send', () => {
  const valid = () => generate(root, {}) as Record<string, Record<string, unknown>>;
  const wrong: Array<[string, (body: Record<string, Record<string, unknown>>) => void]> = [
    ['no request_id', (body) => delete body.request_id],
    ['no scores key (required, nullable)', (body) => delete body.scores],
    ['no warnings', (body) => delete body.warnings],
    ['a ruleset without a result', (body) => delete (body.ruleset as Record<string, unknown>).result],
    ['a score as a string', (body) => Object.assign(body.scores ?? {}, { bank_initiated_return_risk: { score: '7' } })],
    ['a balance as a string', (body) => Object.assign(body, { core_attributes: { available_balance: '10.00' } })],
    ['a result that is not a string', (body) => Object.assign(body.ruleset ?? {}, { result: 1 })],
    ['warnings that are not an array', (body) => Object.assign(body, { warnings: {} })],
  ];
  it.each(wrong)('%s', async (_, change) => {
    const body = valid();
    change(body);
    expect((await signalEvaluateResponseSchema.safeParseAsync(body)).success).toBe(false);
  });
});

describe('served over HTTP, every body reaches the caller through evaluatePayment', () => {
  const bodies = [...generated, ...examples].map(([, body]) => body);
  let served = 0;
  let plaid: PlaidFacade;
  let close: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const server = await startRawServer((_request, response) => sendJson(response, 200, bodies[served++]));
    close = server.close;
    const store = new MemoryTokenStore();
    await store.set({ userId: 'u1', itemId: 'item-1', accessToken: 'access-sandbox-1', createdAt: new Date() });
    plaid = createPlaidFacade({
      clientId: 'id',
      secret: 'secret',
      basePath: server.url,
      tokenStore: store,
      retry: false,
    });
  });
  afterAll(async () => {
    await plaid.close();
    await close();
  });

  it('each one', async () => {
    for (const [index] of bodies.entries()) {
      const evaluation = await plaid.evaluatePayment({
        userId: 'u1',
        itemId: 'item-1',
        accountId: 'acc-1',
        amount: 1,
        paymentId: `p-${index}`,
      });
      expect(evaluation.paymentId).toBe(`p-${index}`);
    }
    expect(served).toBe(bodies.length);
  });
});
