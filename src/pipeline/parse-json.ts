/**
 * JSON text parsed in slices, with turns of the event loop between them. One `JSON.parse` of a
 * hostile body at an endpoint's size limit (512 KiB of empty objects, of objects that each have a
 * key of their own, or of arrays nested 250,000 deep) holds the event loop for 40–180 ms, garbage
 * collection included, and nothing else in the process runs meanwhile. Here a long text is
 * scanned once for the extent of every container and string, then built from `JSON.parse`s of
 * slices of at most `sliceChars`, with a turn of the event loop after each `turnChars` of text. The
 * value is the one `JSON.parse(text)` gives (same members, same order, `__proto__` kept as a plain
 * member). A long text with more than `maxContainers` arrays and objects, or whose arrays and
 * objects nest deeper than `maxDepth`, is refused: however it is sliced, a value of hundreds of
 * thousands of objects costs the garbage collector pauses of 20–50 ms while it lives (250,000
 * nested levels cost seconds), and no answer of Plaid's comes near either bound.
 */

/** How the text is cut; the defaults suit every answer, tests use smaller ones. */
export interface JsonSlicing {
  /** Text up to this many characters is handed to one `JSON.parse`. */
  sliceChars: number;
  /** Text handled (scanned or parsed) between two turns of the event loop. */
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
 * One `JSON.parse` of any 16 KiB takes at most about 2 ms here (objects that each have a key of
 * their own are the slowest), and most answers Plaid sends are shorter: parsed at once, as before.
 * A balance answer nests 4 levels deep (answer, accounts, account, balances) and has 2 to 5
 * objects per account: 20,000 is four times what the 1,200 accounts of 512 KiB need, and about
 * 1 MB of objects.
 */
export const JSON_SLICING: Readonly<JsonSlicing> = Object.freeze({
  sliceChars: 16 * 1024,
  turnChars: 32 * 1024,
  maxDepth: 64,
  maxContainers: 20_000,
  turn: nextTurn,
});

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const BACKSLASH = 0x5c;

const notJson: JsonRead = Object.freeze({ ok: false, reason: 'the body is not JSON' });

/** Parses JSON text, a long one in slices (see above). */
export async function parseJsonText(text: string, slicing: Partial<JsonSlicing> = {}): Promise<JsonRead> {
  const how: JsonSlicing = { ...JSON_SLICING, ...slicing };
  if (text.length <= how.sliceChars) return readWhole(text);
  const root = skipSpace(text, 0);
  // A long string or number is parsed at once: its cost is linear and small.
  if (!isContainer(text.charCodeAt(root))) return readWhole(text);
  const ends = await scan(text, how);
  if (ends === TOO_DEEP) {
    return { ok: false, reason: `the body nests arrays and objects deeper than ${how.maxDepth} levels` };
  }
  if (ends === TOO_MANY) {
    return { ok: false, reason: `the body has more than ${how.maxContainers} arrays and objects` };
  }
  if (typeof ends === 'number') return notJson;
  const rootEnd = (ends[root] as number) + 1;
  if (skipSpace(text, rootEnd) !== text.length) return notJson;
  if (rootEnd - root <= how.sliceChars) return readWhole(text.slice(root, rootEnd));
  const value = await build(text, ends, root, how);
  return value === invalid ? notJson : { ok: true, value };
}

function readWhole(text: string): JsonRead {
  const value = parseOrUndefined(text);
  return value === undefined ? notJson : { ok: true, value };
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** JSON's whitespace: space, tab, line feed, carriage return. */
function skipSpace(text: string, from: number): number {
  let at = from;
  for (;;) {
    const code = text.charCodeAt(at);
    if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) at++;
    else return at;
  }
}

/**
 * One pass over the text: for each `[`, `{` and `"` that opens a container or a string, the index
 * of the character that closes it. `undefined` when brackets do not match or a string is not closed.
 */
async function scan(text: string, how: JsonSlicing): Promise<Int32Array | number> {
  const state: ScanState = { ends: new Int32Array(text.length), open: [], containers: 0 };
  let at = 0;
  // The loop itself is in a function of its own: V8 optimises a long loop while it runs (on-stack
  // replacement) in a plain function, never in an async one.
  for (;;) {
    at = scanSome(text, state, at, at + how.turnChars, how);
    if (at < 0) return at;
    if (at >= text.length) return state.open.length === 0 ? state.ends : NOT_JSON;
    await how.turn();
  }
}

/** What the scan has found so far: where each container and string ends, the containers open. */
interface ScanState {
  ends: Int32Array;
  open: number[];
  containers: number;
}

const NOT_JSON = -1;
const TOO_DEEP = -2;
const TOO_MANY = -3;

/**
 * Scans from `from` to about `to` (a string is read to its end): the index reached, or
 * `NOT_JSON`, or `TOO_DEEP` or `TOO_MANY` past the bounds of `how`.
 */
function scanSome(text: string, state: ScanState, from: number, to: number, how: JsonSlicing): number {
  const { ends, open } = state;
  const stop = Math.min(to, text.length);
  let at = from;
  for (; at < stop; at++) {
    const code = text.charCodeAt(at);
    if (code === QUOTE) {
      const close = closingQuote(text, at);
      if (close < 0) return NOT_JSON;
      ends[at] = close;
      at = close;
    } else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      if (open.push(at) > how.maxDepth) return TOO_DEEP;
      if (++state.containers > how.maxContainers) return TOO_MANY;
    } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) {
      const opened = open.pop();
      if (opened === undefined || text.charCodeAt(opened) !== (code === CLOSE_ARRAY ? OPEN_ARRAY : OPEN_OBJECT)) {
        return NOT_JSON;
      }
      ends[opened] = at;
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

/** A container being built: its value so far, where it closes, and where its next member starts. */
interface Frame {
  array: boolean;
  value: unknown[] | Record<string, unknown>;
  /** The index of the closing bracket. */
  end: number;
  /** Where the next member starts, or `end` when none is left. */
  next: number;
  /** In an object, the key of the member being built in the frame above. */
  key: string;
}

const invalid = Symbol('invalid');
const unfinished = Symbol('unfinished');

/** Builds the container at `start` from slices (see the file's comment); `invalid` if not JSON. */
async function build(text: string, ends: Int32Array, start: number, how: JsonSlicing): Promise<unknown> {
  const stack: Frame[] = [openFrame(text, ends, start)];
  for (;;) {
    // (in a plain function, as scanSome)
    const value = buildSome(text, ends, stack, how.sliceChars, how.turnChars);
    if (value !== unfinished) return value;
    await how.turn();
  }
}

/**
 * Goes on building the containers on `stack` for about `budget` characters of text: the value
 * when the outermost is complete, `unfinished` when the budget ran out first, `invalid` if the
 * text is not JSON.
 */
function buildSome(
  text: string,
  ends: Int32Array,
  stack: Frame[],
  sliceChars: number,
  budget: number,
): unknown | typeof invalid | typeof unfinished {
  let work = 0;
  while (work < budget) {
    const frame = stack[stack.length - 1] as Frame;
    if (frame.next === frame.end) {
      stack.pop();
      work += 1;
      const parent = stack[stack.length - 1];
      if (parent === undefined) return frame.value;
      addMember(parent, parent.key, frame.value);
      continue;
    }
    // The members from `next` on, up to a slice's worth, parsed in one JSON.parse; a container
    // too long for a slice is built in a frame of its own (a long string or number is parsed
    // whole: its cost is linear and small).
    const from = frame.next;
    let at = from;
    let until = from;
    let child = -1;
    while (at !== frame.end && until - from < sliceChars) {
      if (!readMember(text, ends, frame, at)) return invalid;
      if (member.valueEnd - member.value > sliceChars && isContainer(text.charCodeAt(member.value))) {
        child = at;
        break;
      }
      until = member.valueEnd;
      at = member.after;
    }
    if (until > from) {
      const slice = text.slice(from, until);
      const parsed = parseOrUndefined(frame.array ? `[${slice}]` : `{${slice}}`);
      if (parsed === undefined) return invalid;
      if (frame.array) for (const element of parsed as unknown[]) (frame.value as unknown[]).push(element);
      else for (const [key, value] of Object.entries(parsed as object)) addMember(frame, key, value);
      work += until - from;
    }
    if (child < 0) {
      frame.next = at;
      continue;
    }
    if (!frame.array) {
      const key = parseOrUndefined(text.slice(child, (ends[child] as number) + 1));
      if (typeof key !== 'string') return invalid;
      frame.key = key;
    }
    frame.next = member.after;
    stack.push(openFrame(text, ends, member.value));
    work += 1;
  }
  return unfinished;
}

function isContainer(code: number): boolean {
  return code === OPEN_ARRAY || code === OPEN_OBJECT;
}

function openFrame(text: string, ends: Int32Array, start: number): Frame {
  const array = text.charCodeAt(start) === OPEN_ARRAY;
  // `next` is the closing bracket for an empty container; readMember checks anything else.
  return { array, value: array ? [] : {}, end: ends[start] as number, next: skipSpace(text, start + 1), key: '' };
}

/** Adds a member as JSON.parse does: an own, plain member, also when its key is `__proto__`. */
function addMember(frame: Frame, key: string, value: unknown): void {
  if (frame.array) {
    (frame.value as unknown[]).push(value);
  } else if (key === '__proto__') {
    Object.defineProperty(frame.value, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    (frame.value as Record<string, unknown>)[key] = value;
  }
}

/** Where the member last read starts its value, ends it, and where the next member starts. */
const member = { value: 0, valueEnd: 0, after: 0 };

/**
 * Reads the member at `at` in `frame` into `member`: where its value starts and ends, and where
 * the next member starts (`frame.end` after the last). False if the text is not JSON there.
 */
function readMember(text: string, ends: Int32Array, frame: Frame, at: number): boolean {
  let value = at;
  if (!frame.array) {
    if (text.charCodeAt(at) !== QUOTE) return false;
    const colon = skipSpace(text, (ends[at] as number) + 1);
    if (text.charCodeAt(colon) !== COLON) return false;
    value = skipSpace(text, colon + 1);
  }
  const valueEnd = endOfValue(text, ends, value);
  if (valueEnd === value) return false;
  const next = skipSpace(text, valueEnd);
  let after = next;
  if (next !== frame.end) {
    if (text.charCodeAt(next) !== COMMA) return false;
    after = skipSpace(text, next + 1);
    // A comma before the closing bracket is not JSON.
    if (after >= frame.end) return false;
  }
  member.value = value;
  member.valueEnd = valueEnd;
  member.after = after;
  return true;
}

/** The index just past the value at `start` (a literal or number ends at the first delimiter). */
function endOfValue(text: string, ends: Int32Array, start: number): number {
  const code = text.charCodeAt(start);
  if (code === QUOTE || code === OPEN_ARRAY || code === OPEN_OBJECT) return (ends[start] as number) + 1;
  let at = start;
  for (;;) {
    const c = text.charCodeAt(at);
    if (
      Number.isNaN(c) ||
      c === COMMA ||
      c === CLOSE_ARRAY ||
      c === CLOSE_OBJECT ||
      c === COLON ||
      c === QUOTE ||
      c === OPEN_ARRAY ||
      c === OPEN_OBJECT ||
      c === 0x20 ||
      c === 0x0a ||
      c === 0x0d ||
      c === 0x09
    ) {
      return at;
    }
    at++;
  }
}
