import { plaidError } from '../errors.js';
import { randomRequestId } from '../ids.js';
import { type FakeLinkTokenRecord, wireSessions } from '../link-sessions.js';
import { missingFields, optionalString } from '../request.js';
import { credentialKeys, type EndpointHandler } from './handler.js';

/** `/link/token/get`: the link token's settings and its Link sessions (those Plaid reports). */
export const linkTokenGet: EndpointHandler = {
  allowed: new Set([...credentialKeys, 'link_token']),
  handle(body, state) {
    const linkToken = optionalString(body, 'link_token');
    if (!linkToken) throw missingFields(['link_token']);
    const token = state.linkTokens.get(linkToken) as FakeLinkTokenRecord | undefined;
    if (!token) throw plaidError('INVALID_LINK_TOKEN');
    const sessions = wireSessions(token);
    return {
      link_token: linkToken,
      created_at: token.createdAt === undefined ? null : new Date(token.createdAt).toISOString(),
      expiration: new Date(token.expiresAt).toISOString(),
      ...(sessions.length > 0 ? { link_sessions: sessions } : {}),
      metadata: {
        initial_products: token.products ?? [],
        webhook: token.webhook ?? null,
        country_codes: token.countryCodes ?? [],
        language: token.language ?? null,
        redirect_uri: token.redirectUri ?? null,
        client_name: token.clientName ?? null,
      },
      ...(token.plaidUserId !== undefined ? { user_id: token.plaidUserId } : {}),
      request_id: randomRequestId(),
    };
  },
};
