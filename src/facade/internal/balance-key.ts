/** What makes two balance reads identical: the same answer would serve both. */
export interface BalanceReadKey {
  userId: string;
  itemId: string;
  accountIds?: readonly string[] | undefined;
  minLastUpdated?: Date | undefined;
}

/**
 * The key of a balance read, for single-flight and the `BalanceCache`:
 * `<user>:<item>:<account ids, sorted, or *>:<minLastUpdated ISO, or ->`, each part
 * percent-encoded so that no id can reach into another part. The order of `accountIds` does not
 * matter (Plaid answers the same accounts). It holds ids only, never a token.
 */
export function balanceKey(read: BalanceReadKey): string {
  const accounts = read.accountIds ? [...read.accountIds].sort().map(encodeURIComponent).join(',') : '*';
  const since = read.minLastUpdated ? read.minLastUpdated.toISOString() : '-';
  return `${encodeURIComponent(read.userId)}:${encodeURIComponent(read.itemId)}:${accounts}:${since}`;
}
