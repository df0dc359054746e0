import type { Account } from 'plaid-facade';

/** Formats an amount with two decimals, or a dash when Plaid sent null. */
function amount(value: number | null): string {
  return value === null ? '—' : value.toFixed(2);
}

/** The accounts as a plain-text table, one row per account, numbers right-aligned. */
export function formatBalances(accounts: Account[]): string {
  const header = ['Account', 'Type', 'Mask', 'Available', 'Current', 'Limit', 'Currency'];
  const rows = accounts.map((account) => [
    account.name,
    [account.type, account.subtype].filter(Boolean).join(' / '),
    account.mask ?? '—',
    amount(account.balances.available),
    amount(account.balances.current),
    amount(account.balances.limit),
    account.balances.currency ?? '—',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const numeric = new Set([3, 4, 5]);
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
