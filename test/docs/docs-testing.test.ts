/**
 * Runs docs/testing.md's msw setup (docs/snippets/testing-serve-msw.ts) with a route test of the kind
 * it promises to allow: a service on loopback, called over HTTP while msw is on, whose route calls
 * Plaid (the fake, through msw). Anything else unanswered still fails.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

type Setup = typeof import('../../docs/snippets/testing-serve-msw.js');

describe("docs/testing.md's msw setup", () => {
  let setup: Setup;
  let service: Server;
  let serviceUrl: string;

  beforeAll(async () => {
    setup = await import('../../docs/snippets/testing-serve-msw.js');
    // "Your service": one route that creates a link token through the facade.
    service = createServer((_request, response) => {
      setup.plaid.linkToken({ userId: 'user-1' }).then(
        ({ linkToken }) => response.end(JSON.stringify({ linkToken })),
        (error: Error) => response.writeHead(500).end(error.message),
      );
    });
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await setup.plaid.close();
    setup.server.close();
    await new Promise((resolve) => service.close(resolve));
  });

  it('lets a route test call the service over loopback, and the route reach the fake Plaid', async () => {
    const response = await fetch(`${serviceUrl}/link-token`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ linkToken: expect.stringMatching(/^link-sandbox-/) });
    expect(setup.fake.callsTo('/link/token/create')).toHaveLength(1);
  });

  it('still fails a request to any other host that the fake does not answer', async () => {
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    await expect(fetch('https://api.example.com/v1/things')).rejects.toThrow();
    expect(printed.mock.calls.flat().join(' ')).toMatch(/\[MSW\].*api\.example\.com/s);
    printed.mockRestore();
  });
});
