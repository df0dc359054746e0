/**
 * Groups the samples of profiles written by profile-call.ts by file (src/ files by path,
 * dependencies by package, Node's own code and the garbage collector apart) and prints each
 * group's CPU per call, in µs; given two profiles (facade, then raw), also the difference.
 * argv: one or two profile paths; `--functions` lists functions instead of files.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  calls: number;
}

const byFunctions = process.argv.includes('--functions');
const paths = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));

function groupOf(node: ProfileNode): string | undefined {
  const { url, functionName } = node.callFrame;
  if (functionName === '(idle)') return undefined;
  if (functionName === '(garbage collector)' || functionName === '(program)') return functionName;
  if (url === '') return `(native) ${functionName}`;
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  const own = /\/(src|bench)\/(.*)$/.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  return url;
}

/** µs of CPU per call, by group. */
function perCall(path: string): Map<string, number> {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = nodes.get(id) as ProfileNode;
    const group = groupOf(node);
    if (group === undefined) return;
    // a sample's time is the delta to the next one
    const us = profile.timeDeltas[i + 1] ?? 0;
    const key = byFunctions
      ? `${node.callFrame.functionName || '(anonymous)'} ${group}:${node.callFrame.lineNumber + 1}`
      : group;
    totals.set(key, (totals.get(key) ?? 0) + us);
  });
  for (const [key, us] of totals) totals.set(key, us / profile.calls);
  return totals;
}

const [first, second] = paths.map(perCall) as [Map<string, number>, Map<string, number> | undefined];
const keys = new Set([...first.keys(), ...(second?.keys() ?? [])]);
const rows = [...keys].map((key) => {
  const a = first.get(key) ?? 0;
  const b = second?.get(key) ?? 0;
  return { key, a, b, diff: a - b };
});
rows.sort((x, y) => (second ? Math.abs(y.diff) - Math.abs(x.diff) : y.a - x.a));
const sum = (map: Map<string, number> | undefined) => [...(map?.values() ?? [])].reduce((s, v) => s + v, 0);
console.log(second ? '  first   second    diff  (µs per call)' : '  µs per call');
for (const row of rows.slice(0, byFunctions ? 45 : Number(process.env.ROWS ?? 35))) {
  const cells = second ? [row.a, row.b, row.diff] : [row.a];
  console.log(`${cells.map((v) => v.toFixed(1).padStart(7)).join(' ')}  ${row.key}`);
}
console.log(`total: ${sum(first).toFixed(0)}${second ? ` vs ${sum(second).toFixed(0)}` : ''} µs per call (sampled)`);
