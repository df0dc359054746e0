import { z } from './zod.js';

/**
 * Plaid's `ProductsTerminateReasonCode`: why products are terminated on an Item
 * (`/item/products/terminate`'s required `reason_code`).
 */
export const terminateReasonCodes = [
  'FRAUD_FIRST_PARTY',
  'FRAUD_FALSE_IDENTITY',
  'FRAUD_ABUSE',
  'FRAUD_OTHER',
  'CONSUMER_LOAN_PAID_OFF',
  'CONSUMER_ACCOUNT_CLOSED',
  'CONSUMER_CHARGE_OFF',
  'CONSUMER_PAYMENT_METHOD_SWITCHED',
  'USER_OFFBOARDING',
  'DUPLICATE_ITEM',
  'BILLING_TERMINATION',
  'OTHER',
] as const;

/** A `reason_code` of `/item/products/terminate`, checked before any request. */
export const terminateReasonSchema = z.enum(terminateReasonCodes);

/**
 * Plaid's `ItemRemoveReasonCode`: the narrower list `/item/remove` takes (optional there). A
 * terminate reason outside it is left out when the facade falls back to `/item/remove`.
 */
export const removeReasonCodes: ReadonlySet<string> = new Set([
  'FRAUD_FIRST_PARTY',
  'FRAUD_FALSE_IDENTITY',
  'FRAUD_ABUSE',
  'FRAUD_OTHER',
  'CONNECTION_IS_NON_FUNCTIONAL',
  'OTHER',
]);

/** Answer of `/item/products/terminate` (`ItemProductsTerminateResponse`). */
export const itemProductsTerminateResponseSchema = z.object({
  request_id: z.string(),
});
