import type { FacadeContext } from './context.js';
import { linkRecords, tokenDigest } from './link-records.js';

/** What the facade remembers of a link token it created (webhooks name only the link token). */
export interface LinkSession {
  userId: string;
  /** The Item of an update-mode link token. */
  itemId?: string | undefined;
  /** When the link token expires (ms since the epoch). */
  expiresAt: number;
}

/**
 * How long past the link token's expiry the record is kept: Plaid keeps a session's results six
 * hours after it ends, and a session may end as late as the token's expiry.
 */
const keepAfterExpiryMs = 6 * 3_600_000;

const sessionKey = (linkToken: string) => `link:${tokenDigest(linkToken)}`;

/**
 * Remembers link token → user (and update-mode Item) in the token store's link records, keyed by
 * a digest of the link token. Skipped, silently, for a store without link records: only
 * `completeLink` and LINK webhooks need it, and they say so.
 */
export async function rememberLinkSession(
  context: FacadeContext,
  linkToken: string,
  session: LinkSession,
): Promise<void> {
  const records = linkRecords(context, undefined);
  if (!records.shared) return;
  await records.set({
    key: sessionKey(linkToken),
    value: JSON.stringify(session),
    expiresAt: new Date(session.expiresAt + keepAfterExpiryMs),
  });
}

/** The remembered session of a link token, if this facade (or one sharing its store) created it. */
export async function findLinkSession(
  context: FacadeContext,
  linkToken: string,
  feature: string,
): Promise<LinkSession | undefined> {
  const record = await linkRecords(context, feature).get(sessionKey(linkToken));
  if (!record) return undefined;
  try {
    const session = JSON.parse(record.value) as Partial<LinkSession>;
    if (typeof session.userId !== 'string' || typeof session.expiresAt !== 'number') return undefined;
    return { userId: session.userId, itemId: session.itemId, expiresAt: session.expiresAt };
  } catch {
    return undefined;
  }
}
