/**
 * Compile-time checks that the fake's wire shapes are what the facade's schemas accept: each
 * shape the fake sends must be assignable to the `z.input` of the schema that parses it. A field
 * renamed or retyped on one side and not the other fails `tsc`, not a user's test run.
 */
import type { accountsBalanceGetResponseSchema } from '../../schemas/accounts-balance-get.js';
import type { plaidErrorSchema } from '../../schemas/plaid-error.js';
import type { z } from '../../schemas/zod.js';
import type { FakeErrorBody, WireAccount, WireBalance } from './types.js';

type BalanceAnswer = z.input<typeof accountsBalanceGetResponseSchema>;

/** True when `Sent` can be parsed as `Accepted`; a `never`-typed check fails to compile otherwise. */
type Parses<Sent, Accepted> = [Sent] extends [Accepted] ? true : never;

/** The checks, evaluated by `tsc`; nothing at run time. */
export type WireChecks = [
  Parses<WireAccount, BalanceAnswer['accounts'][number]>,
  Parses<WireBalance, BalanceAnswer['accounts'][number]['balances']>,
  Parses<FakeErrorBody, z.input<typeof plaidErrorSchema>>,
];

// Each element must be `true`: one that resolved to `never` makes this assignment fail.
const checked: WireChecks = [true, true, true];
void checked;
