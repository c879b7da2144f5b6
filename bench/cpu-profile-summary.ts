// Reads a V8 .cpuprofile (from node --cpu-prof) and prints the functions with the most self time,
// then the most total time (self + callees). Usage: cpu-profile-summary.ts <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topText] = process.argv.slice(2);
if (!file) throw new Error('usage: cpu-profile-summary.ts <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

function nameOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  // Line numbers are of the code V8 ran (tsx's output for .ts files), so they are only a hint.
  const where = url ? `${url.replace(/^file:\/\/.*?\/(node_modules|src|bench)\//, '$1/')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
}

// The time until the next sample is charged to the sampled node (self) and to each function on its stack (total).
const selfUs = new Map<string, number>();
const totalByName = new Map<string, number>();
let sampledUs = 0;
let idleUs = 0;
profile.samples.forEach((id, i) => {
  const node = byId.get(id);
  const delta = profile.timeDeltas[i + 1] ?? 0;
  if (!node) return;
  const self = nameOf(node);
  selfUs.set(self, (selfUs.get(self) ?? 0) + delta);
  sampledUs += delta;
  if (self === '(idle)') idleUs += delta;
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const name = nameOf(byId.get(at)!);
    if (seen.has(name)) continue;
    seen.add(name);
    totalByName.set(name, (totalByName.get(name) ?? 0) + delta);
  }
});

const count = Number(topText ?? '25');
const busyUs = sampledUs - idleUs;
const line = (name: string, us: number) => `${((100 * us) / busyUs).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}\n`;
process.stdout.write(`${(sampledUs / 1000).toFixed(0)} ms sampled, ${(busyUs / 1000).toFixed(0)} ms not idle (percentages are of that)\n\nself time:\n`);
for (const [name, us] of [...selfUs.entries()].filter(([n]) => n !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, count)) process.stdout.write(line(name, us));
process.stdout.write('\ntotal time (self + callees):\n');
for (const [name, us] of [...totalByName.entries()].filter(([n]) => !['(root)', '(idle)'].includes(n)).sort((a, b) => b[1] - a[1]).slice(0, count)) process.stdout.write(line(name, us));
