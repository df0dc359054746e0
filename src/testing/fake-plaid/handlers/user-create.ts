import { randomId, randomRequestId } from '../ids.js';
import { invalidField, missingFields, optionalString } from '../request.js';
import { credentialKeys, type EndpointHandler } from './handler.js';

// Answers for a user created by the call: 201 (an existing client_user_id gets 200, same user_id).
const created = new WeakSet<object>();

/** `/user/create`: one Plaid `user_id` per `client_user_id`; 201 when new, 200 when it existed. */
export const userCreate: EndpointHandler = {
  allowed: new Set([
    ...credentialKeys,
    'client_user_id',
    'identity',
    'end_customer',
    'consumer_report_user_identity',
    'with_upgraded_user',
  ]),
  handle(body, state) {
    const clientUserId = optionalString(body, 'client_user_id');
    if (!clientUserId) throw missingFields(['client_user_id']);
    if (clientUserId.length > 128) throw invalidField('client_user_id must be at most 128 characters');
    const existing = state.users.get(clientUserId);
    const userId = existing ?? `usr_${randomId(24)}`;
    state.users.set(clientUserId, userId);
    const answer = { user_id: userId, request_id: randomRequestId() };
    if (existing === undefined) created.add(answer);
    return answer;
  },
  status: (answer) => (created.has(answer) ? 201 : 200),
};
