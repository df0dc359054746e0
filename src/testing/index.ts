/**
 * `plaid-facade/testing`: a fake Plaid and a mock facade for tests. Nothing here is loaded by the
 * main entry, and msw is loaded only when `fake.handlers` is read.
 *
 * @example
 * ```ts
 * import { createFakePlaid, createMockFacade, mockPlaidError } from 'plaid-facade/testing';
 * ```
 * @module plaid-facade/testing
 */
export { createFakePlaid, type FakePlaid } from './fake-plaid/create-fake-plaid.js';
export type { FakePlaidServer, ListenOptions } from './fake-plaid/http-server.js';
export type { FakeLinkMetadata, FakeLinkSuccess } from './fake-plaid/link-metadata.js';
export type { FakeLinkSession, FinishLinkSessionOptions } from './fake-plaid/link-sessions.js';
export type {
  CreatePublicTokenOptions,
  FailNextOptions,
  FakeAccountSeed,
  FakeCall,
  FakeErrorBody,
  FakeFault,
  FakeInstitution,
  FakeItem,
  FakePlaidEndpoint,
  FakePlaidOptions,
  FakeRateLimit,
  FakeReturnRisk,
  FakeSignalDuplicateMode,
  FakeSignalEvaluation,
  FakeSignalOutcome,
  WireAccount,
  WireBalance,
} from './fake-plaid/types.js';
export type { FakeWebhookKey } from './fake-plaid/webhook-keys.js';
export type { FakeWebhook, FakeWebhookOptions } from './fake-plaid/webhooks.js';
export {
  createMockFacade,
  MOCK_NOW,
  type MockFacade,
  type MockFacadeCalls,
  type MockFacadeOverrides,
  type MockImplementation,
  mockAccounts,
} from './mock-facade.js';
export { type MockPlaidErrorOptions, mockPlaidError } from './mock-plaid-error.js';
export { type TokenStoreContractCase, tokenStoreContract } from './token-store-contract.js';
