/**
 * Building blocks of large balance answers, for the hostile-body tests and the parse bench:
 * one valid account, and as many elements as fit in a given room.
 */

/** A valid account of a balance answer, with an id of its own (`a<index>`). */
export function validAccount(index: number): string {
  return JSON.stringify({
    account_id: `a${index}`,
    balances: { available: 1, current: 2, limit: null, iso_currency_code: 'USD', unofficial_currency_code: null },
    mask: null,
    name: '',
    official_name: null,
    type: 'depository',
    subtype: null,
  });
}

/**
 * `element(0)`, `element(1)`, … joined by commas, as many as fit in `room` characters (at most
 * `most`), and how many that was.
 */
export function fill(
  room: number,
  element: (index: number) => string,
  most = Number.POSITIVE_INFINITY,
): { text: string; count: number } {
  const parts: string[] = [];
  let size = 0;
  for (let index = 0; index < most; index++) {
    const next = element(index);
    if (size + next.length + 1 > room) break;
    parts.push(next);
    size += next.length + 1;
  }
  return { text: parts.join(','), count: parts.length };
}
