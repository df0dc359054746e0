import { accessTokenOf, FailureWithBody, type TransportResponse } from './parse.js';
import type { CallRecord } from './run-call.js';

/** An access token found in an answer that could not be used (an exchange's). */
export interface UnusedAccessToken {
  accessToken: string;
  /**
   * `'cut-off'`: in what arrived of an answer that was cut off; `'unreadable'`: in a 2xx answer
   * that failed its schema (its value, or its text when that is not JSON or beyond the bounds).
   */
  answer: 'cut-off' | 'unreadable';
}

/** Puts the access token of an answer that could not be used (text or value) in the call's record. */
export function keepUnusedAccessToken(
  record: CallRecord | undefined,
  answer: UnusedAccessToken['answer'],
  data: unknown,
): void {
  const accessToken = typeof data === 'string' ? accessTokenIn(data) : accessTokenOf(data);
  if (accessToken !== undefined) record?.unusedAccessTokens.push({ accessToken, answer });
}

/**
 * Reading an answer ourselves, for the one call whose partial answer matters: the exchange. axios
 * hands over nothing of a body it could not read whole (cut off, broken gzip), yet a body cut
 * after its `access_token` still names an Item that Plaid created and bills. With the answer
 * asked for as a stream (`responseType: 'stream'`), the facade reads it here, keeps what arrived,
 * and gives it to `onPartial` before the failure goes on to be classified as usual.
 */
export async function sendReadingBody(
  send: () => Promise<TransportResponse>,
  onPartial: (text: string) => void,
): Promise<TransportResponse> {
  let response: TransportResponse;
  try {
    response = await send();
  } catch (error) {
    // An error status: axios rejects with the body still a stream. It is read here and travels
    // beside the error (the error itself is not changed) for classify to read as text.
    const answer = (error as { response?: { data?: unknown } } | null)?.response;
    if (answer && isStream(answer.data)) {
      const read = await readWhole(answer.data);
      if (!read.complete) onPartial(read.text);
      throw new FailureWithBody(error, read.complete ? read.text : undefined);
    }
    throw error;
  }
  if (!isStream(response.data)) return response;
  const read = await readWhole(response.data);
  if (read.complete) return { status: response.status, data: read.text };
  onPartial(read.text);
  // Shaped as axios shapes a body it could not read (a status, no data), so classify tells it
  // apart the same way; past maxContentLength axios's own error goes on unchanged.
  const failure = read.error as { code?: unknown; message?: unknown } | null;
  if (typeof failure?.message === 'string' && failure.message.startsWith('maxContentLength')) throw read.error;
  throw Object.assign(new Error(typeof failure?.message === 'string' ? failure.message : 'the answer was cut off'), {
    code: typeof failure?.code === 'string' ? failure.code : 'ERR_BAD_RESPONSE',
    response: { status: response.status, data: undefined },
  });
}

/**
 * The access token in what arrived of an exchange answer, when its string is complete: enough to
 * remove the Item at Plaid, so that it does not stay billed with a token nobody keeps.
 */
export function accessTokenIn(partial: string): string | undefined {
  const match = /"access_token"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(partial);
  if (!match) return undefined;
  try {
    const token: unknown = JSON.parse(`"${match[1]}"`);
    return typeof token === 'string' && token.length > 0 ? token : undefined;
  } catch {
    return undefined;
  }
}

function isStream(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { pipe?: unknown }).pipe === 'function' &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

async function readWhole(
  stream: AsyncIterable<unknown>,
): Promise<{ complete: true; text: string } | { complete: false; text: string; error: unknown }> {
  const chunks: Buffer[] = [];
  const text = () => Buffer.concat(chunks).toString('utf8');
  try {
    for await (const chunk of stream)
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
    return { complete: true, text: text() };
  } catch (error) {
    return { complete: false, text: text(), error };
  }
}
