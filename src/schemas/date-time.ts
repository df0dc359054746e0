import { z } from './zod.js';

// RFC 3339 §5.6: full-date "T" full-time, where "T" and "Z" may be lowercase, seconds may be 60
// (a leap second), any number of fraction digits, and the offset is "Z" or ±hh:mm. The offset is
// optional here: Plaid's OpenAPI description says only `format: date-time`, and an answer
// without one is read as UTC, never in the server's local time zone (which would give a different
// instant on each machine).
const pattern = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})?$/;

/**
 * Reads an RFC 3339 date-time exactly, or gives `undefined` for text that is not one (including
 * impossible dates such as February 30, which `Date.parse` would move to March 2).
 *
 * - No offset: read as UTC.
 * - A leap second (`23:59:60Z`) reads as the first instant of the next minute, as POSIX time does
 *   (a `Date` cannot hold second 60); it is accepted only where one can occur, the last minute of a
 *   UTC day.
 * - Fractions beyond milliseconds are truncated.
 */
export function parseDateTime(text: string): Date | undefined {
  const match = pattern.exec(text);
  if (!match) return undefined;
  // Read by index, not destructured: every account of a balance answer may carry one (issue #25).
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = Number(match[6]);
  const fraction = match[7] ?? '';
  const offset = match[8] ?? 'Z';
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  let offsetMinutes = 0;
  if (offset !== 'Z' && offset !== 'z') {
    const offsetHours = Number(offset.slice(1, 3));
    const offsetMins = Number(offset.slice(4, 6));
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (offset.startsWith('-') ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const millis = fraction === '' ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  const instant = utcMillis(year, month, day, hour, minute, Math.min(second, 59), millis) - offsetMinutes * 60_000;
  if (second === 60) {
    const utc = new Date(instant);
    if (utc.getUTCHours() !== 23 || utc.getUTCMinutes() !== 59) return undefined;
    return new Date(instant + 1000);
  }
  return new Date(instant);
}

/** Milliseconds since the epoch of a UTC date and time; years 0–99 are not moved to 1900–1999. */
function utcMillis(year: number, month: number, day: number, h: number, m: number, s: number, ms: number): number {
  if (year >= 100) return Date.UTC(year, month - 1, day, h, m, s, ms);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(h, m, s, ms);
  return date.getTime();
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** An RFC 3339 date-time string, as Plaid sends it, parsed to a `Date` (see `parseDateTime`). */
export const dateTimeSchema = z.string().transform((text, context) => {
  const date = parseDateTime(text);
  if (date) return date;
  context.addIssue({ code: 'custom', message: 'Expected an RFC 3339 date-time' });
  return z.NEVER;
});
