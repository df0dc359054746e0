/** What the user consented to for an Item, from `/item/get`. */
export interface ItemConsent {
  /** When the consent ends (`consent_expiration_time`, UK/EU OAuth Items), or null. */
  expiresAt: Date | null;
  /** `consented_products`, e.g. `['balance', 'transactions']`. */
  products: string[];
  /** `consented_use_cases`, as the user saw them in Link. */
  useCases: string[];
  /** `consented_data_scopes`, e.g. `['account_balance_info']`. */
  dataScopes: string[];
}

/**
 * What `/item/get` says of an Item besides its health, as a store keeps it (`getItem` writes it
 * when Plaid says something new). Every field is optional: absent until `getItem` has learnt it,
 * and on Items stored before 0.3. None of it is secret.
 */
export interface ItemDetails {
  /** The institution's name (`institution_name`), when Plaid gave one. */
  institutionName?: string | undefined;
  /**
   * When the Item was created at Plaid (`created_at`). Not `StoredItem.createdAt`, which is when
   * this facade obtained the access token.
   */
  itemCreatedAt?: Date | undefined;
  /** The Item's consent as Plaid last described it (empty lists and null where Plaid gave nothing). */
  consent?: ItemConsent | undefined;
}

/** `ItemDetails` as JSON, dates as ISO-8601 strings (how Redis and PostgreSQL keep it). */
export interface ItemDetailsJson {
  institutionName?: string;
  itemCreatedAt?: string;
  consent?: { expiresAt: string | null; products: string[]; useCases: string[]; dataScopes: string[] };
}

/** The details of `item` as plain JSON, absent fields left out. */
export function detailsToJson(item: ItemDetails): ItemDetailsJson {
  const json: ItemDetailsJson = {};
  if (item.institutionName !== undefined) json.institutionName = item.institutionName;
  if (item.itemCreatedAt !== undefined) json.itemCreatedAt = item.itemCreatedAt.toISOString();
  if (item.consent !== undefined) {
    const { expiresAt, products, useCases, dataScopes } = item.consent;
    json.consent = {
      expiresAt: expiresAt === null ? null : expiresAt.toISOString(),
      products: [...products],
      useCases: [...useCases],
      dataScopes: [...dataScopes],
    };
  }
  return json;
}

/**
 * Reads what `detailsToJson` wrote, from an object that may hold other fields too (a Redis record)
 * or from `undefined` (nothing stored): the details, or `undefined` when a field is malformed (the
 * caller reports the record as invalid).
 */
export function detailsFromJson(value: unknown): ItemDetails | undefined {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object') return undefined;
  const json = value as Partial<Record<keyof ItemDetailsJson, unknown>>;
  const details: ItemDetails = {};
  if (json.institutionName !== undefined) {
    if (typeof json.institutionName !== 'string') return undefined;
    details.institutionName = json.institutionName;
  }
  if (json.itemCreatedAt !== undefined) {
    const date = toDate(json.itemCreatedAt);
    if (!date) return undefined;
    details.itemCreatedAt = date;
  }
  if (json.consent !== undefined) {
    const consent = consentFromJson(json.consent);
    if (!consent) return undefined;
    details.consent = consent;
  }
  return details;
}

/** A deep copy of the details of `item` (only the fields it has). */
export function copyDetails(item: ItemDetails): ItemDetails {
  const copy: ItemDetails = {};
  if (item.institutionName !== undefined) copy.institutionName = item.institutionName;
  if (item.itemCreatedAt !== undefined) copy.itemCreatedAt = new Date(item.itemCreatedAt.getTime());
  if (item.consent !== undefined) copy.consent = copyConsent(item.consent);
  return copy;
}

/** A deep copy of `consent`. */
export function copyConsent(consent: ItemConsent): ItemConsent {
  return {
    expiresAt: consent.expiresAt === null ? null : new Date(consent.expiresAt.getTime()),
    products: [...consent.products],
    useCases: [...consent.useCases],
    dataScopes: [...consent.dataScopes],
  };
}

/**
 * The fields of `learnt` that differ from what `stored` holds, or `undefined` when none does. A
 * field `learnt` lacks never erases a stored one (Plaid leaving out a name is no news).
 */
export function changedDetails(stored: ItemDetails, learnt: ItemDetails): ItemDetails | undefined {
  const changes: ItemDetails = {};
  if (learnt.institutionName !== undefined && learnt.institutionName !== stored.institutionName) {
    changes.institutionName = learnt.institutionName;
  }
  if (learnt.itemCreatedAt !== undefined && learnt.itemCreatedAt.getTime() !== stored.itemCreatedAt?.getTime()) {
    changes.itemCreatedAt = learnt.itemCreatedAt;
  }
  if (learnt.consent !== undefined && !sameConsent(learnt.consent, stored.consent)) {
    changes.consent = learnt.consent;
  }
  return Object.keys(changes).length > 0 ? copyDetails(changes) : undefined;
}

function sameConsent(a: ItemConsent, b: ItemConsent | undefined): boolean {
  const sameList = (x: string[], y: string[]) => x.length === y.length && x.every((value, i) => value === y[i]);
  return (
    b !== undefined &&
    (a.expiresAt?.getTime() ?? null) === (b.expiresAt?.getTime() ?? null) &&
    sameList(a.products, b.products) &&
    sameList(a.useCases, b.useCases) &&
    sameList(a.dataScopes, b.dataScopes)
  );
}

function consentFromJson(value: unknown): ItemConsent | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const json = value as Partial<Record<keyof ItemConsent, unknown>>;
  const expiresAt = json.expiresAt === null ? null : toDate(json.expiresAt);
  const products = stringList(json.products);
  const useCases = stringList(json.useCases);
  const dataScopes = stringList(json.dataScopes);
  if (expiresAt === undefined || !products || !useCases || !dataScopes) return undefined;
  return { expiresAt, products, useCases, dataScopes };
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string') ? [...value] : undefined;
}

function toDate(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
