import { PlaidApiError, type PlaidApiErrorFields } from '../../errors.js';

/**
 * Capital One (`ins_128026`) gives no real-time balance for non-depository accounts (credit cards,
 * loans): Plaid needs `min_last_updated_datetime` for them, and answers `INVALID_REQUEST` /
 * `INVALID_FIELD` without it. For every other institution, and for Capital One's depository
 * accounts, Plaid ignores the option.
 */
export const CAPITAL_ONE = 'ins_128026';

/**
 * The `minLastUpdated` to send for a read: the caller's own, else — only for a Capital One Item
 * and only when the facade has `maxBalanceAgeMs` — `now - maxBalanceAgeMs`. Nothing for any other
 * institution, so their reads stay exactly as asked.
 */
export function minLastUpdatedFor(
  given: Date | undefined,
  institutionId: string | undefined,
  maxBalanceAgeMs: number | undefined,
  now: number,
): Date | undefined {
  if (given) return given;
  if (maxBalanceAgeMs === undefined || institutionId !== CAPITAL_ONE) return undefined;
  return new Date(now - maxBalanceAgeMs);
}

/**
 * Whether a failed read deserves the one retry with `min_last_updated_datetime`: the facade has
 * `maxBalanceAgeMs`, the Item's institution is not known (stored before 0.2), the read went without
 * the option, and Plaid answered exactly `INVALID_REQUEST` / `INVALID_FIELD`.
 */
export function retryWithMinLastUpdated(
  error: { errorType?: unknown; errorCode?: unknown },
  sent: Date | undefined,
  institutionId: string | undefined,
  maxBalanceAgeMs: number | undefined,
): boolean {
  return (
    maxBalanceAgeMs !== undefined &&
    institutionId === undefined &&
    sent === undefined &&
    error.errorType === 'INVALID_REQUEST' &&
    error.errorCode === 'INVALID_FIELD'
  );
}

/**
 * A balance read's freshness error, with the facade's options that fix it named in the message:
 * `INVALID_FIELD` for a missing `min_last_updated_datetime` (with `maxBalanceAgeMs: false`, or an
 * Item whose institution is unknown) and `LAST_UPDATED_DATETIME_OUT_OF_RANGE` (nothing that fresh).
 * Any other error is returned as it is.
 */
export function withFreshnessAdvice(error: unknown, sent: Date | undefined): unknown {
  if (!(error instanceof PlaidApiError)) return error;
  let advice: string | undefined;
  if (error.errorCode === 'LAST_UPDATED_DATETIME_OUT_OF_RANGE') {
    advice =
      'The institution has no balance that recent: pass an older minLastUpdated to getBalances, or raise the facade option maxBalanceAgeMs';
  } else if (
    sent === undefined &&
    error.errorType === 'INVALID_REQUEST' &&
    error.errorCode === 'INVALID_FIELD' &&
    /min_last_updated_datetime/i.test(error.errorMessage)
  ) {
    advice =
      'This institution (Capital One, ins_128026) has no real-time balance for this account: pass minLastUpdated to getBalances, or leave the facade option maxBalanceAgeMs at its default (a day) instead of false';
  }
  if (advice === undefined) return error;
  const fields: PlaidApiErrorFields = {
    status: error.status,
    errorType: error.errorType,
    errorCode: error.errorCode,
    errorMessage: error.errorMessage,
    displayMessage: error.displayMessage,
    requestId: error.requestId,
    documentationUrl: error.documentationUrl,
    suggestedAction: error.suggestedAction,
    errorCodeReason: error.errorCodeReason,
    causes: error.causes,
  };
  // retryable as classify.ts decided for Plaid's answer: only the message changes
  return new PlaidApiError(fields, { retryable: error.retryable, message: `${error.message}. ${advice}` });
}
