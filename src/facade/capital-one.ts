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
