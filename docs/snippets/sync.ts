/**
 * Keeps the code in the guides identical to the snippet files that `tsc --noEmit` type-checks.
 *
 * In a markdown file, a fenced block preceded by a marker comes from a snippet file:
 *
 *     <!-- snippet: docs/snippets/getting-started.ts -->          the whole file
 *     <!-- snippet: docs/snippets/getting-started.ts#create -->   the region `create` of it
 *
 * A region is delimited in the .ts file by `// #region create` and `// #endregion`; regions may
 * nest, and the marker lines of every region are left out of what the guide shows. A region's
 * text is dedented, so it may sit inside a function or a block. Paths are from the repository root.
 *
 * Edit the .ts file, then run `npx tsx docs/snippets/sync.ts` to rewrite the blocks;
 * `npx tsx docs/snippets/sync.ts --check` (and test/docs/docs-snippets.test.ts) fails when a block
 * differs from its source, when a marker is broken, or when a code block other than shell, JSON,
 * SQL or plain text has no marker.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Fence languages that may appear without a marker: commands, data and plain text. */
export const UNMARKED_LANGUAGES: ReadonlySet<string> = new Set([
  '',
  'sh',
  'bash',
  'shell',
  'console',
  'json',
  'jsonc',
  'sql',
  'text',
  'txt',
  'plaintext',
]);

/** The markdown files whose code blocks are checked, relative to the root. */
export function markdownFiles(root: string = ROOT): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}

/** A problem found in a markdown file. */
export interface Problem {
  /** The markdown file, relative to the root. */
  file: string;
  /** 1-based line of the marker or the fence. */
  line: number;
  /** What is wrong. */
  message: string;
}

const MARKER = /^(\s*)<!--\s*snippet:\s*([^\s#]+)(?:#([\w.-]+))?\s*-->\s*$/;
const FENCE_OPEN = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)[^`]*$/;
const REGION_START = /^\s*\/\/\s*#region\s+([\w.-]+)\s*$/;
const REGION_END = /^\s*\/\/\s*#endregion\b.*$/;

/**
 * The text a marker refers to: a whole snippet file or one of its regions, with every region
 * marker line removed, dedented, without leading or trailing blank lines.
 */
export function snippetText(root: string, path: string, region: string | undefined): string {
  const lines = readFileSync(join(root, path), 'utf8').replace(/\r\n/g, '\n').split('\n');
  let selected: string[];
  if (region === undefined) {
    selected = lines;
  } else {
    const start = lines.findIndex((line) => REGION_START.exec(line)?.[1] === region);
    if (start < 0) throw new Error(`no region "${region}" in ${path}`);
    if (lines.findIndex((line, i) => i > start && REGION_START.exec(line)?.[1] === region) >= 0) {
      throw new Error(`region "${region}" appears twice in ${path}`);
    }
    let depth = 0;
    let end = -1;
    for (let i = start + 1; i < lines.length; i++) {
      const line = lines[i] ?? '';
      if (REGION_START.test(line)) depth++;
      else if (REGION_END.test(line)) {
        if (depth === 0) {
          end = i;
          break;
        }
        depth--;
      }
    }
    if (end < 0) throw new Error(`region "${region}" in ${path} has no // #endregion`);
    selected = lines.slice(start + 1, end);
  }
  const kept = selected.filter((line) => !REGION_START.test(line) && !REGION_END.test(line));
  while (kept.length > 0 && kept[0]?.trim() === '') kept.shift();
  while (kept.length > 0 && kept.at(-1)?.trim() === '') kept.pop();
  const indents = kept.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return kept.map((line) => line.slice(cut).trimEnd()).join('\n');
}

/**
 * Rewrites every marked block of one markdown text from its source, and lists the problems:
 * broken markers and code blocks that need a marker but have none.
 */
export function syncMarkdown(text: string, file: string, root: string = ROOT): { text: string; problems: Problem[] } {
  const lines = text.split('\n');
  const out: string[] = [];
  const problems: Problem[] = [];
  let pending: { path: string; region: string | undefined; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const marker = MARKER.exec(line);
    if (marker) {
      if (pending) problems.push({ file, line: pending.line, message: 'snippet marker not followed by a code block' });
      pending = { path: marker[2] ?? '', region: marker[3], line: i + 1 };
      out.push(line);
      continue;
    }
    const fence = FENCE_OPEN.exec(line);
    if (!fence) {
      if (pending && line.trim() !== '') {
        problems.push({ file, line: pending.line, message: 'snippet marker not followed by a code block' });
        pending = undefined;
      }
      out.push(line);
      continue;
    }
    // A fenced block: find where it closes (same fence characters, at least as long).
    const [, indent = '', ticks = '', lang = ''] = fence;
    let close = i + 1;
    while (close < lines.length) {
      const candidate = (lines[close] ?? '').trim();
      if (candidate.startsWith(ticks[0]!.repeat(ticks.length)) && /^[`~]+$/.test(candidate)) break;
      close++;
    }
    if (close >= lines.length) {
      problems.push({ file, line: i + 1, message: 'code block is never closed' });
      out.push(...lines.slice(i));
      break;
    }
    if (pending) {
      try {
        const body = snippetText(root, pending.path, pending.region);
        out.push(line, ...body.split('\n').map((code) => (code === '' ? '' : indent + code)), lines[close] ?? '');
      } catch (error) {
        problems.push({ file, line: pending.line, message: (error as Error).message });
        out.push(...lines.slice(i, close + 1));
      }
      pending = undefined;
    } else {
      if (!UNMARKED_LANGUAGES.has(lang.toLowerCase())) {
        problems.push({
          file,
          line: i + 1,
          message: `\`\`\`${lang} block without a <!-- snippet: docs/snippets/<file>.ts#<region> --> marker`,
        });
      }
      out.push(...lines.slice(i, close + 1));
    }
    i = close;
  }
  if (pending) problems.push({ file, line: pending.line, message: 'snippet marker not followed by a code block' });
  return { text: out.join('\n'), problems };
}

/** Checks (or, with `write`, rewrites) every markdown file; returns the problems and the stale files. */
export function syncAll(options: { root?: string; write?: boolean } = {}): { problems: Problem[]; stale: string[] } {
  const root = options.root ?? ROOT;
  const problems: Problem[] = [];
  const stale: string[] = [];
  for (const file of markdownFiles(root)) {
    const before = readFileSync(join(root, file), 'utf8');
    const result = syncMarkdown(before, file, root);
    problems.push(...result.problems);
    if (result.text !== before) {
      stale.push(file);
      if (options.write) writeFileSync(join(root, file), result.text);
    }
  }
  return { problems, stale };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const check = process.argv.includes('--check');
  const { problems, stale } = syncAll({ write: !check });
  for (const p of problems) console.error(`${p.file}:${p.line}: ${p.message}`);
  for (const file of stale)
    console.log(check ? `${file}: out of date (run npx tsx docs/snippets/sync.ts)` : `${file}: updated`);
  if (problems.length > 0 || (check && stale.length > 0)) process.exitCode = 1;
  else if (stale.length === 0) console.log(`${relative(process.cwd(), ROOT) || '.'}: every snippet is in sync`);
}
