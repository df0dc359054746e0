import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { markdownFiles, ROOT, snippetText, syncMarkdown } from '../../docs/snippets/sync.js';

// The code in the guides and the README comes from docs/snippets/*.ts, which `tsc --noEmit`
// type-checks and test/docs-snippets-run*.test.ts run. Re-sync after editing a snippet:
// npx tsx docs/snippets/sync.ts
describe('code blocks in the guides', () => {
  for (const file of markdownFiles()) {
    it(`${file}: every code block is marked and equal to its snippet`, () => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const result = syncMarkdown(text, file);
      expect(result.problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([]);
      expect(text, `${file} is out of date: run npx tsx docs/snippets/sync.ts`).toBe(result.text);
    });
  }

  it('covers the README and every guide', () => {
    expect(markdownFiles()).toEqual(expect.arrayContaining(['README.md', 'docs/getting-started.md', 'docs/README.md']));
  });
});

describe('the snippet sync itself', () => {
  const root = mkdtempSync(join(tmpdir(), 'plaid-facade-snippets-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'docs/snippets'), { recursive: true });
  writeFileSync(
    join(root, 'docs/snippets/a.ts'),
    [
      "import { x } from 'y';",
      'declare const z: number;',
      'function f() {',
      '  // #region outer',
      '  const a = 1;',
      '  // #region inner',
      '  const b = 2;',
      '  // #endregion',
      '  // #endregion',
      '}',
      '',
    ].join('\n'),
  );
  const block = (body: string, marker = '<!-- snippet: docs/snippets/a.ts#inner -->') =>
    ['# Title', '', marker, '```ts', body, '```', ''].join('\n');

  it('extracts a region dedented, without nested region markers', () => {
    expect(snippetText(root, 'docs/snippets/a.ts', 'outer')).toBe('const a = 1;\nconst b = 2;');
    expect(snippetText(root, 'docs/snippets/a.ts', 'inner')).toBe('const b = 2;');
    expect(snippetText(root, 'docs/snippets/a.ts', undefined)).not.toContain('#region');
  });

  it('accepts a block equal to its source and rewrites one that differs', () => {
    expect(syncMarkdown(block('const b = 2;'), 'x.md', root)).toEqual({ text: block('const b = 2;'), problems: [] });
    const stale = syncMarkdown(block('const b = 3;'), 'x.md', root);
    expect(stale.problems).toEqual([]);
    expect(stale.text).toBe(block('const b = 2;'));
  });

  it('keeps the indentation of a block inside a list item', () => {
    const text = ['- item', '', '  <!-- snippet: docs/snippets/a.ts#outer -->', '  ```ts', '  old', '  ```', ''].join(
      '\n',
    );
    expect(syncMarkdown(text, 'x.md', root).text).toBe(
      [
        '- item',
        '',
        '  <!-- snippet: docs/snippets/a.ts#outer -->',
        '  ```ts',
        '  const a = 1;',
        '  const b = 2;',
        '  ```',
        '',
      ].join('\n'),
    );
  });

  it('reports unmarked TypeScript blocks but allows shell, JSON and plain blocks', () => {
    const text = [
      '```ts',
      'x',
      '```',
      '```sh',
      'npm test',
      '```',
      '```json',
      '{}',
      '```',
      '```',
      'plain',
      '```',
      '```js',
      'y',
      '```',
    ].join('\n');
    expect(syncMarkdown(text, 'x.md', root).problems.map((p) => p.line)).toEqual([1, 13]);
  });

  it('reports broken markers: unknown file or region, or no block after it', () => {
    expect(
      syncMarkdown(block('x', '<!-- snippet: docs/snippets/a.ts#nope -->'), 'x.md', root).problems[0]?.message,
    ).toMatch(/no region "nope"/);
    expect(syncMarkdown(block('x', '<!-- snippet: docs/snippets/missing.ts -->'), 'x.md', root).problems).toHaveLength(
      1,
    );
    expect(
      syncMarkdown('<!-- snippet: docs/snippets/a.ts -->\nsome prose\n', 'x.md', root).problems[0]?.message,
    ).toMatch(/not followed by a code block/);
  });
});
