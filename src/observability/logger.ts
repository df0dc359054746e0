/** A log method: pino's and bunyan's shape (fields first, then the message), which `console` also accepts. */
export type LogMethod = (fields: Record<string, unknown>, message: string) => void;

/**
 * What the `logger` option takes: pino, bunyan, winston's child loggers or `console`. The facade
 * writes one line per call (`info` when it succeeded, `warn` when it failed) and one per failed
 * attempt that is retried (`debug`). Lines and fields never hold a secret or a token.
 */
export interface Logger {
  /** A retried attempt: which, why, and the delay before the next. */
  debug: LogMethod;
  /** A call that succeeded. */
  info: LogMethod;
  /** A call that failed. */
  warn: LogMethod;
  /** Not written by the facade today; required so that any pino/console-shaped logger fits. */
  error: LogMethod;
}

/** The levels `PLAID_FACADE_LOG` accepts, from the most verbose. */
export type LogLevel = 'debug' | 'info' | 'warn';

const levels: readonly LogLevel[] = ['debug', 'info', 'warn'];

/**
 * The logger a facade writes to: the `logger` option when given; otherwise, when the environment
 * sets `PLAID_FACADE_LOG` to `debug`, `info` or `warn`, a logger that writes lines of that level and
 * above to stderr; otherwise none (and nothing is formatted).
 */
export function resolveLogger(
  option: Logger | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Logger | undefined {
  if (option) return option;
  const level = env.PLAID_FACADE_LOG?.trim().toLowerCase();
  if (!level || !isLevel(level)) return undefined;
  return stderrLogger(level);
}

function isLevel(value: string): value is LogLevel {
  return (levels as readonly string[]).includes(value);
}

/**
 * A logger that writes one plain line per entry to stderr, `key=value` fields after the message,
 * dropping entries below `threshold`.
 */
export function stderrLogger(threshold: LogLevel, write: (line: string) => void = writeStderr): Logger {
  const from = levels.indexOf(threshold);
  const method =
    (level: LogLevel | 'error'): LogMethod =>
    (fields, message) => {
      if (level !== 'error' && levels.indexOf(level) < from) return;
      write(`plaid-facade ${level} ${message}${formatFields(fields)}\n`);
    };
  return { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
}

function writeStderr(line: string): void {
  process.stderr.write(line);
}

function formatFields(fields: Record<string, unknown>): string {
  let text = '';
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    text += ` ${key}=${typeof value === 'string' && /\s/.test(value) ? JSON.stringify(value) : String(value)}`;
  }
  return text;
}
