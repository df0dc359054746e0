import type { CountryCode, LinkTokenCreateRequest, Products } from 'plaid';
import { DEFAULT_LINK_COUNTRY_CODES, DEFAULT_LINK_LANGUAGE, DEFAULT_LINK_PRODUCTS } from '../options/defaults.js';
import { type CallOptions, checkInput, httpUrl, idSchema, nonBlank, resolveCall } from '../options.js';
import { linkTokenCreateResponseSchema } from '../schemas/link-token-create.js';
import { z } from '../schemas/zod.js';
import type { LinkTokenInput, LinkTokenResult } from '../types.js';
import { callPlaid, type FacadeContext, plaidEnums, readItem } from './internal/context.js';
import { rememberLinkSession } from './internal/link-sessions.js';
import { ensureUser } from './users.js';

const linkTokenInputSchema = z
  .object({
    userId: idSchema,
    products: z
      .array(nonBlank)
      .min(1)
      .refine((list) => !list.includes('balance'), {
        message: "'balance' is not an initial product: Plaid initialises Balance with any other product (e.g. 'auth')",
      })
      .optional(),
    countryCodes: z
      .array(z.string().regex(/^[A-Z]{2}$/, 'must be ISO 3166-1 alpha-2 codes, e.g. US'))
      .min(1)
      .optional(),
    language: nonBlank.optional(),
    clientName: nonBlank.max(30, 'must be at most 30 characters').optional(),
    webhook: httpUrl.optional(),
    redirectUri: httpUrl.optional(),
    itemId: idSchema.optional(),
    update: z.object({ accountSelectionEnabled: z.boolean().optional() }).strict().optional(),
    multiItem: z.boolean().optional(),
    hostedLink: z.union([z.literal(true), z.object({ completionRedirectUri: httpUrl.optional() }).strict()]).optional(),
  })
  .strict()
  .refine((input) => !(input.multiItem && input.itemId !== undefined), {
    path: ['multiItem'],
    message: 'is for new links only, not update mode (itemId)',
  })
  .refine((input) => input.update === undefined || input.itemId !== undefined, {
    path: ['update'],
    message: 'is for update mode only: give the itemId of the Item to update',
  });

/**
 * Creates a Link token (`/link/token/create`). With `itemId`, one for update mode: the Item's
 * access token is read from the store, and products are sent only when asked for.
 */
export async function linkToken(
  context: FacadeContext,
  input: LinkTokenInput,
  callOptions: CallOptions | undefined,
): Promise<LinkTokenResult> {
  checkInput('linkToken input', linkTokenInputSchema, input);
  const call = resolveCall(context.options, '/link/token/create', callOptions);
  const accessToken = input.itemId
    ? (await readItem(context, { userId: input.userId, itemId: input.itemId }, call.signal)).accessToken
    : undefined;
  // Multi-Item Link needs Plaid's user_id (integrations begun after 2025-12-10): known, or asked for once.
  const plaidUserId = input.multiItem
    ? (await ensureUser(context, { userId: input.userId }, callOptions)).plaidUserId
    : undefined;
  const hosted = input.hostedLink === true ? {} : input.hostedLink;
  const request = {
    client_name: input.clientName ?? context.options.clientName,
    language: input.language ?? DEFAULT_LINK_LANGUAGE,
    country_codes: plaidEnums<CountryCode>(input.countryCodes ?? DEFAULT_LINK_COUNTRY_CODES),
    user: { client_user_id: input.userId },
    // Update mode repairs an existing Item: products only when asked for explicitly.
    ...(accessToken ? { access_token: accessToken } : {}),
    ...(!accessToken || input.products
      ? { products: plaidEnums<Products>(input.products ?? DEFAULT_LINK_PRODUCTS) }
      : {}),
    ...(input.webhook ? { webhook: input.webhook } : {}),
    ...(input.redirectUri ? { redirect_uri: input.redirectUri } : {}),
    ...(input.update?.accountSelectionEnabled !== undefined
      ? { update: { account_selection_enabled: input.update.accountSelectionEnabled } }
      : {}),
    ...(plaidUserId !== undefined ? { user_id: plaidUserId, enable_multi_item_link: true } : {}),
    ...(hosted
      ? {
          hosted_link: hosted.completionRedirectUri ? { completion_redirect_uri: hosted.completionRedirectUri } : {},
        }
      : {}),
  } satisfies LinkTokenCreateRequest;
  const body = await callPlaid(context, call, {
    endpoint: '/link/token/create',
    schema: linkTokenCreateResponseSchema,
    accessToken,
    request,
  });
  // LINK webhooks and completeLink name only the link token: remember whose it is until it is of no use.
  await rememberLinkSession(context, body.link_token, {
    userId: input.userId,
    itemId: input.itemId,
    expiresAt: body.expiration.getTime(),
  });
  return {
    linkToken: body.link_token,
    expiration: body.expiration,
    requestId: body.request_id,
    ...(body.hosted_link_url !== undefined ? { hostedLinkUrl: body.hosted_link_url } : {}),
  };
}
