// Not a guide's code: how a test hands a snippet what the guide leaves to "your application" (a
// public token, your database, your clientId and secret, your test runner's `it`).
//
// Most snippets take those as the parameters of the functions they export, around their
// `#region`s. A snippet whose guide block shows its imports cannot: imports are top-level, so its
// code runs at the top level of the module, when it is imported. Such a snippet reads them here,
// outside its regions (`const { publicToken } = given<Given>()`), and exports its `Given` type;
// the test that runs it (test/docs-snippets-run*.test.ts) calls `give<Given>({ ... })` right before
// it imports the file.

// Kept on globalThis rather than in this module: a test that imports a snippet afresh
// (vi.resetModules) gets a fresh copy of this module too, and must still see what it gave.
const slot = Symbol.for('plaid-facade/docs/snippets/given');
const holder = globalThis as { [slot]?: object };

/** Hands the snippet imported next what its guide leaves to your application. */
export function give<T extends object>(next: T): void {
  holder[slot] = next;
}

/** What the test gave; throws when it gave nothing, so that a snippet never runs on `undefined`s. */
export function given<T extends object>(): T {
  const values = holder[slot];
  if (values === undefined) {
    throw new Error('docs/snippets: this snippet is run by its test, which gives it its values (give()) first');
  }
  return values as T;
}
