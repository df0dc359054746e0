import type { Issue } from '../errors.js';

/*
 * Messages that help with a wrong option: the environment variable of a missing credential, and
 * the option probably meant by an unknown key.
 */

/** Names users reach for that mean one of our options. */
const knownMistakes: Readonly<Record<string, string>> = {
  maxRetries: 'retry.retries',
  retries: 'retry.retries',
  timeout: 'timeoutMs',
  env: 'environment',
  baseUrl: 'basePath',
  baseURL: 'basePath',
  apiKey: 'secret',
  client_id: 'clientId',
  store: 'tokenStore',
  rateLimiter: 'rateLimit',
};

/**
 * Names the environment variable of a missing credential, and suggests the option meant by an
 * unknown key (a known mistake, or the nearest known name).
 */
export function explainOptionIssues(
  issues: Issue[],
  given: Readonly<Record<string, unknown>>,
  environmentVariables: Readonly<Record<string, string>>,
  knownOptions: readonly string[],
): Issue[] {
  return issues.map((issue) => {
    const key = issue.path[0];
    const variable = typeof key === 'string' ? environmentVariables[key] : undefined;
    if (issue.path.length === 1 && typeof key === 'string' && variable !== undefined) {
      const fromEnv = given[key] === undefined;
      if (fromEnv && /required/i.test(issue.message)) {
        return { path: issue.path, message: `is required: pass it, or set the environment variable ${variable}` };
      }
      if (fromEnv)
        return { path: issue.path, message: `${issue.message} (read from the environment variable ${variable})` };
    }
    if (issue.path.length === 0 && issue.message.startsWith('unknown option(s): ')) {
      const keys = issue.message.slice('unknown option(s): '.length).split(', ');
      const hints = keys.map((name) => {
        const suggestion = knownMistakes[name] ?? nearest(name, knownOptions);
        return suggestion ? `${name} (did you mean ${suggestion}?)` : name;
      });
      return { path: issue.path, message: `unknown option(s): ${hints.join(', ')}` };
    }
    return issue;
  });
}

/** The known name closest to `name` (case-insensitive edit distance at most 2), if any. */
function nearest(name: string, known: readonly string[]): string | undefined {
  return nearestName(name, known, 2);
}

/**
 * The known name closest to `name` (case-insensitive edit distance at most `maxDistance`), if
 * any: the "did you mean" of a typo.
 */
export function nearestName(name: string, known: Iterable<string>, maxDistance: number): string | undefined {
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
