import { createRequire } from 'node:module';
import type { HttpHandler } from 'msw';
import type { FakePlaidCore } from './core.js';
import { endpointHandlers } from './core.js';

type Msw = typeof import('msw');

/**
 * Loads msw only when handlers are asked for, so that the fake works (through `listen`) where msw
 * is not installed. Loading must stay synchronous because `fake.handlers` is a getter. The
 * `require` identifier is never used: bundlers replace it in ESM output by a stub that throws.
 * (In the CJS build, tsup's `shims` gives `import.meta.url` its value.)
 */
function loadMsw(): Msw {
  try {
    return createRequire(import.meta.url)('msw') as Msw;
  } catch (error) {
    throw new Error('fake.handlers needs msw 2 (npm install --save-dev msw); fake.listen() works without it', {
      cause: error,
    });
  }
}

/** msw 2 handlers answering the fake's endpoints under any base URL. */
export function mswHandlers(core: FakePlaidCore): HttpHandler[] {
  const { http, HttpResponse } = loadMsw();
  return Object.keys(endpointHandlers).map((endpoint) =>
    http.post(`*${endpoint}`, async ({ request }) => {
      const answer = await core.handle({
        endpoint,
        header: (name) => request.headers.get(name) ?? undefined,
        bodyText: await request.text(),
        signal: request.signal,
      });
      if (answer.kind === 'drop') return HttpResponse.error();
      const text = answer.kind === 'json' ? JSON.stringify(answer.body) : answer.text;
      const contentType = answer.kind === 'json' ? 'application/json; charset=utf-8' : answer.contentType;
      return new HttpResponse(text, { status: answer.status, headers: { 'content-type': contentType } });
    }),
  );
}
