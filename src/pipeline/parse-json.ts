/**
 * JSON text read with the platform's `JSON.parse`, a long text after a bounds check. One
 * `JSON.parse` of a hostile body at an endpoint's size limit (512 KiB) holds the event loop for as
 * long as the value it builds costs: 512 KiB of arrays nested 250,000 deep, or of 175,000 objects
 * that each have a key of their own, cost 60–180 ms, garbage collection included. So a text
 * longer than `sliceChars` is first scanned (in pieces of `turnChars`, with a turn of the event
 * loop between them) for how deep its arrays and objects nest and how many there are, and refused
 * past `maxDepth` or `maxContainers`; what passes is one `JSON.parse`, whose value is by
 * construction the platform's. No answer of Plaid's comes near either bound.
 *
 * This replaced a parser of its own that built a long text from `JSON.parse`s of 16 KiB slices
 * (0.2): it held the loop at most ~20 ms instead of ~60 ms for the worst accepted body, but cost
 * 350 lines that had to match `JSON.parse` exactly, and about a tenth of the CPU of a 100-account
 * balance call. See docs/architecture.md ("Reading answers") for the figures.
 */

/** How a text is read; the defaults suit every answer, tests use smaller ones. */
export interface JsonSlicing {
  /** Text up to this many characters goes to `JSON.parse` at once, unchecked. */
  sliceChars: number;
  /** Text scanned between two turns of the event loop. */
  turnChars: number;
  /** The deepest nesting of arrays and objects accepted in a text longer than `sliceChars`. */
  maxDepth: number;
  /** The most arrays and objects accepted in a text longer than `sliceChars`. */
  maxContainers: number;
  /** Gives the event loop a turn. */
  turn: () => Promise<void>;
}

/** What reading a text gave: its value, or why it has none. */
export type JsonRead = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Lets every callback that is due run (timers, I/O, `setImmediate`) before going on. Where
 * `setImmediate` is missing, a zero timer does the same.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}

/**
 * Most answers Plaid sends are shorter than 16 KiB, which `JSON.parse` reads in well under 2 ms
 * whatever they hold. A balance answer nests 4 levels deep (answer, accounts, account, balances)
 * and has 2 to 5 objects per account: 20,000 is four times what the 1,200 accounts of 512 KiB
 * need, and about 1 MB of objects.
 */
export const JSON_SLICING: Readonly<JsonSlicing> = Object.freeze({
  sliceChars: 16 * 1024,
  turnChars: 32 * 1024,
  maxDepth: 64,
  maxContainers: 20_000,
  turn: nextTurn,
});

const QUOTE = 0x22;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const BACKSLASH = 0x5c;

const notJson: JsonRead = Object.freeze({ ok: false, reason: 'the body is not JSON' });

/** Parses JSON text; a long one only once it is known to be within the bounds (see above). */
export async function parseJsonText(text: string, slicing: Partial<JsonSlicing> = {}): Promise<JsonRead> {
  const bounds: JsonSlicing = { ...JSON_SLICING, ...slicing };
  if (text.length <= bounds.sliceChars) return readWhole(text);
  const state: ScanState = { depth: 0, containers: 0 };
  // The loop itself is in a function of its own: V8 optimises a long loop while it runs (on-stack
  // replacement) in a plain function, never in an async one.
  for (let at = 0; ; ) {
    at = scanSome(text, state, at, at + bounds.turnChars, bounds);
    // Each piece, and so every long text however it ends, is followed by a turn.
    await bounds.turn();
    if (at === TOO_DEEP) {
      return { ok: false, reason: `the body nests arrays and objects deeper than ${bounds.maxDepth} levels` };
    }
    if (at === TOO_MANY)
      return { ok: false, reason: `the body has more than ${bounds.maxContainers} arrays and objects` };
    if (at === NOT_JSON) return notJson;
    if (at >= text.length) return readWhole(text);
  }
}

function readWhole(text: string): JsonRead {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return notJson;
  }
}

/** What the scan has found so far. */
interface ScanState {
  /** Arrays and objects open at the point reached. */
  depth: number;
  /** Arrays and objects opened so far. */
  containers: number;
}

const NOT_JSON = -1;
const TOO_DEEP = -2;
const TOO_MANY = -3;

/**
 * Scans from `from` to about `to` (a string is read to its end): the index reached, or
 * `NOT_JSON` (a string not closed, a bracket closing nothing), or `TOO_DEEP` or `TOO_MANY` past
 * `bounds`. Brackets are counted, not matched: `JSON.parse` judges the rest.
 */
function scanSome(text: string, state: ScanState, from: number, to: number, bounds: JsonSlicing): number {
  const stop = Math.min(to, text.length);
  let at = from;
  for (; at < stop; at++) {
    const code = text.charCodeAt(at);
    if (code === QUOTE) {
      at = closingQuote(text, at);
      if (at < 0) return NOT_JSON;
    } else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      if (++state.depth > bounds.maxDepth) return TOO_DEEP;
      if (++state.containers > bounds.maxContainers) return TOO_MANY;
    } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) {
      if (--state.depth < 0) return NOT_JSON;
    }
  }
  return at;
}

/** The index of the quote that closes the string opened at `start`, or -1. */
function closingQuote(text: string, start: number): number {
  let at = start + 1;
  for (;;) {
    at = text.indexOf('"', at);
    if (at < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
    at++;
  }
}
