/**
 * Every code plaid-facade can raise is in the `FacadeErrorCode` union (src/errors/codes.ts) and has
 * a row in docs/errors-and-retries.md (thrown when, what to do, retryable), and the guide lists no
 * code the union does not have. The union is read with the TypeScript compiler, so the test follows
 * it without a hand-kept list.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const codesFile = join(root, 'src/errors/codes.ts');

/** The members of `FacadeErrorCode`: literals as they are, `HTTP_${number}` as the guide writes it. */
function unionCodes(): string[] {
  const program = ts.createProgram([codesFile], { strict: true, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(codesFile);
  const alias = source?.statements.find(
    (statement): statement is ts.TypeAliasDeclaration =>
      ts.isTypeAliasDeclaration(statement) && statement.name.text === 'FacadeErrorCode',
  );
  if (!alias) throw new Error('FacadeErrorCode not found in src/errors/codes.ts');
  const type = checker.getTypeAtLocation(alias.name);
  return (type.isUnion() ? type.types : [type]).map((member) => {
    if (member.isStringLiteral()) return member.value;
    const text = checker.typeToString(member);
    if (text.startsWith('`HTTP_')) return 'HTTP_<status>'; // `HTTP_${number}`
    throw new Error(`FacadeErrorCode has a member the guide cannot name: ${text}`);
  });
}

/** The guide's rows of "Every code plaid-facade raises": first cell's codes → the row's cells. */
function documentedRows(): Map<string, string[]> {
  const guide = readFileSync(join(root, 'docs/errors-and-retries.md'), 'utf8');
  const start = guide.indexOf('## Every code plaid-facade raises');
  const end = guide.indexOf('\n## ', start + 1);
  const rows = new Map<string, string[]>();
  for (const line of guide.slice(start, end).split('\n')) {
    if (!line.startsWith('| `')) continue;
    const cells = line
      .slice(1, -1)
      .split(' | ')
      .map((cell) => cell.trim());
    const code = /^`([^`]+)`/.exec(cells[0] ?? '')?.[1];
    if (code) rows.set(code, cells);
  }
  return rows;
}

/** Code literals the source raises (`code: 'X'`, and the cipher's `fail('X', …)`), outside the fake Plaid. */
function raisedCodes(): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'fake-plaid') walk(path);
      } else if (entry.name.endsWith('.ts')) {
        // Code only: comments name other codes (a driver's, Plaid's) as examples.
        const text = readFileSync(path, 'utf8')
          .split('\n')
          .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
          .map((line) => line.replace(/\s\/\/ .*$/, ''))
          .join('\n');
        for (const match of text.matchAll(/\b(?:code: |fail\()'([A-Z][A-Z0-9_]+)'/g)) found.add(match[1] ?? '');
      }
    }
  };
  walk(join(root, 'src'));
  return found;
}

describe('docs/errors-and-retries.md documents every code', () => {
  const codes = unionCodes();
  const rows = documentedRows();

  it('reads a union of the expected size', () => {
    expect(codes).toEqual(expect.arrayContaining(['INVALID_ARGUMENT', 'TOKEN_STORE_WRITE_FAILED', 'HTTP_<status>']));
    expect(codes.length).toBeGreaterThan(20);
  });

  it.each(unionCodes())('%s has a row: class, when, what to do, retryable', (code) => {
    const cells = rows.get(code);
    expect(cells, `no row for ${code} in "Every code plaid-facade raises"`).toBeDefined();
    expect(cells).toHaveLength(5);
    for (const cell of cells ?? []) expect(cell.length).toBeGreaterThan(1);
    expect(cells?.[4]).toMatch(/^(yes|no)\b/);
  });

  it('lists no code that the union lacks', () => {
    expect([...rows.keys()].filter((code) => !codes.includes(code))).toEqual([]);
  });

  it('every code the source raises is in the union', () => {
    const raised = [...raisedCodes()].filter((code) => !['RATE_LIMIT_EXCEEDED'].includes(code));
    expect(raised.length).toBeGreaterThan(10);
    expect(raised.filter((code) => !codes.includes(code))).toEqual([]);
  });
});
