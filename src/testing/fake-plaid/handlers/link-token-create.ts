import { plaidError } from '../errors.js';
import { randomRequestId, randomToken } from '../ids.js';
import { invalidField, optionalObject, optionalString, optionalStringArray, requireFields } from '../request.js';
import { LINK_TOKEN_TTL_MS } from '../state.js';
import { credentialKeys, type EndpointHandler } from './handler.js';

/** Top-level keys of `LinkTokenCreateRequest` (API 2020-09-14). */
const allowed = new Set<string>([
  ...credentialKeys,
  'client_name',
  'language',
  'country_codes',
  'user',
  'user_id',
  'products',
  'required_if_supported_products',
  'optional_products',
  'additional_consented_products',
  'webhook',
  'access_token',
  'access_tokens',
  'link_customization_name',
  'appearance_mode',
  'redirect_uri',
  'android_package_name',
  'institution_data',
  'card_switch',
  'account_filters',
  'eu_config',
  'institution_id',
  'payment_configuration',
  'payment_initiation',
  'employment',
  'income_verification',
  'base_report',
  'credit_partner_insights',
  'cra_options',
  'consumer_report_permissible_purpose',
  'auth',
  'transfer',
  'update',
  'identity_verification',
  'statements',
  'third_party_user_token',
  'investments',
  'investments_auth',
  'hosted_link',
  'transactions',
  'cashflow_report',
  'cra_enabled',
  'identity',
  'financekit_supported',
  'enable_multi_item_link',
  'user_token',
]);

/**
 * Products Link cannot be initialised with. Plaid answers `INVALID_FIELD` for them: balance, for
 * one, comes with any Item and is never an initial product.
 */
const notInitialProducts = new Set(['balance']);

/** `/link/token/create`: checks what Plaid requires and answers a link token valid 4 hours. */
export const linkTokenCreate: EndpointHandler = {
  allowed,
  handle(body, state) {
    const clientName = optionalString(body, 'client_name');
    const language = optionalString(body, 'language');
    const countryCodes = optionalStringArray(body, 'country_codes');
    const user = optionalObject(body, 'user');
    const accessToken = optionalString(body, 'access_token');
    const products = optionalStringArray(body, 'products');
    const missing: string[] = [];
    if (!clientName) missing.push('client_name');
    if (!language) missing.push('language');
    if (!countryCodes) missing.push('country_codes');
    if (!user) missing.push('user');
    requireFields(missing);
    if (countryCodes && countryCodes.length === 0)
      throw invalidField('country_codes must contain at least one country');
    const clientUserId = user ? optionalString(user, 'client_user_id') : undefined;
    if (!clientUserId) requireFields(['user.client_user_id']);
    if (accessToken === undefined) {
      if (!products || products.length === 0) requireFields(['products']);
    } else if (!state.itemByAccessToken(accessToken)) {
      throw plaidError('INVALID_ACCESS_TOKEN');
    }
    for (const product of products ?? []) {
      if (notInitialProducts.has(product)) {
        throw invalidField(`provided product is not supported as an initial product: ${product}`);
      }
    }
    const plaidUserId = optionalString(body, 'user_id');
    if (body.enable_multi_item_link === true && plaidUserId === undefined) {
      throw invalidField('user_id is required for Multi-Item Link (call /user/create first)');
    }
    if (plaidUserId !== undefined && ![...state.users.values()].includes(plaidUserId)) {
      throw invalidField('user_id is not a user created with /user/create');
    }
    const linkToken = randomToken('link');
    const createdAt = state.now().getTime();
    const expiresAt = createdAt + LINK_TOKEN_TTL_MS;
    state.linkTokens.set(linkToken, {
      expiresAt,
      createdAt,
      clientUserId,
      plaidUserId,
      webhook: optionalString(body, 'webhook') ?? null,
      products: products ?? [],
      countryCodes: countryCodes ?? [],
      language: language ?? null,
      redirectUri: optionalString(body, 'redirect_uri') ?? null,
      clientName: clientName ?? null,
      sessions: [],
      // Update mode: Link opens this Item again instead of adding one.
      ...(accessToken !== undefined ? { itemId: state.itemByAccessToken(accessToken)?.itemId } : {}),
    });
    const hosted = optionalObject(body, 'hosted_link') !== undefined;
    return {
      link_token: linkToken,
      expiration: new Date(expiresAt).toISOString(),
      request_id: randomRequestId(),
      ...(hosted ? { hosted_link_url: `https://hosted.plaid.com/link/${linkToken}` } : {}),
      ...(plaidUserId !== undefined ? { user_id: plaidUserId } : {}),
    };
  },
};
