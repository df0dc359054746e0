import { Readable } from 'node:stream';
import type { PlaidApi } from 'plaid';
import { describe, expect, it } from 'vitest';
import { createPlaidFacade, MemoryTokenStore, PlaidApiError } from '../../src/index.js';

// The pipeline reads the body of a failed answer itself (text, or a stream for the exchange) and
// hands it to classify beside the failure: the client's error (an AxiosError, which the caller's
// own interceptors or PlaidApi may hold) keeps its `response.data` as it was.

const body = JSON.stringify({
  error_type: 'INVALID_REQUEST',
  error_code: 'MISSING_FIELDS',
  error_message: 'the following required fields are missing: user',
  display_message: null,
  request_id: 'req-1',
});

/** An AxiosError-like failure with an error status and `data` as given. */
function failedAnswer(data: unknown) {
  return Object.assign(new Error('Request failed with status code 400'), {
    code: 'ERR_BAD_REQUEST',
    response: { status: 400, data },
  });
}

function facadeWith(plaidApi: Partial<Record<string, () => Promise<never>>>) {
  return createPlaidFacade({
    clientId: 'client-1',
    secret: 'secret-xyz-123',
    rateLimit: false,
    retry: false,
    tokenStore: new MemoryTokenStore(),
    plaidApi: plaidApi as unknown as PlaidApi,
  });
}

describe('a failed answer’s body', () => {
  it('is classified without changing the client’s error (text body)', async () => {
    const failure = failedAnswer(body);
    const facade = facadeWith({ linkTokenCreate: () => Promise.reject(failure) });
    const error = await facade.linkToken({ userId: 'u' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidApiError);
    expect(error).toMatchObject({ errorCode: 'MISSING_FIELDS', requestId: 'req-1', retryable: false });
    expect(failure.response.data).toBe(body);
    await facade.close();
  });

  it('is classified without changing the client’s error (an exchange’s streamed body)', async () => {
    const stream = Readable.from([Buffer.from(body)]);
    const failure = failedAnswer(stream);
    const facade = facadeWith({ itemPublicTokenExchange: () => Promise.reject(failure) });
    const error = await facade.exchange({ userId: 'u', publicToken: 'public-sandbox-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaidApiError);
    expect(error).toMatchObject({ errorCode: 'MISSING_FIELDS', requestId: 'req-1' });
    expect(failure.response.data).toBe(stream);
    await facade.close();
  });
});
