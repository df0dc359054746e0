/** A plain-fetch client for the fake Plaid, speaking the wire format as a Plaid client would. */
export interface WireAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** POSTs `body` as JSON with credentials in headers, as the official client does. */
export async function post(
  baseUrl: string,
  endpoint: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = { 'PLAID-CLIENT-ID': 'client', 'PLAID-SECRET': 'secret' },
): Promise<WireAnswer> {
  const response = await fetch(`${baseUrl}${endpoint}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'Plaid-Version': '2020-09-14', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A valid `/link/token/create` body. */
export const linkBody = {
  client_name: 'Test App',
  language: 'en',
  country_codes: ['US'],
  user: { client_user_id: 'user-1' },
  products: ['auth'],
};

/** The keys every Plaid error body has. */
export const errorKeys = [
  'causes',
  'display_message',
  'documentation_url',
  'error_code',
  'error_code_reason',
  'error_message',
  'error_type',
  'request_id',
  'status',
  'suggested_action',
];
