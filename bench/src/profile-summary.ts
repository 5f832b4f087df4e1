// Self time by function from a .cpuprofile (V8 format), each with the nearest caller outside
// Node's internals (who asked for that Buffer copy):
//   node --import tsx src/profile-summary.ts /tmp/prof/<file>.cpuprofile [top]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
const top = Number(process.argv[3] ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const label = (node: ProfileNode): string => {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url
    ? `${url.replace(/^.*\/(node_modules|packages)\//, '$1/')}:${lineNumber + 1}`
    : '';
  return `${functionName || '(anonymous)'} ${where}`;
};

const caller = (id: number): string => {
  let p = parent.get(id);
  while (p !== undefined) {
    const node = byId.get(p);
    if (node?.callFrame.url && !node.callFrame.url.startsWith('node:')) return label(node);
    p = parent.get(p);
  }
  return '?';
};

const self = new Map<string, number>();
const callers = new Map<string, Map<string, number>>();
let total = 0;
profile.samples.forEach((id, i) => {
  const node = byId.get(id);
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  if (!node) return;
  const key = label(node);
  self.set(key, (self.get(key) ?? 0) + dt);
  const byCaller = callers.get(key) ?? new Map<string, number>();
  const from = caller(id);
  byCaller.set(from, (byCaller.get(from) ?? 0) + dt);
  callers.set(key, byCaller);
});

const topCaller = (key: string): string =>
  [...(callers.get(key) ?? [])].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  const share = ((us / total) * 100).toFixed(1).padStart(5);
  console.log(`${share} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}  <- ${topCaller(key)}`);
}
