/**
 * The top frames of a V8 CPU profile (`node --cpu-prof`): self time by function and by where
 * the code lives (our folders, each npm package, Node's internals, GC, idle), as the tables
 * bench/COMPARISONS.md quotes. Run: `node --import tsx bench/support/profile-top.ts <file.cpuprofile> [N]`.
 *
 * Self time is the time a function ran its own code, callees excluded; "(idle)" is the event
 * loop waiting, "(garbage collector)" V8's GC, "(program)" native work V8 does not attribute.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** One row of a table: a name and its share of the samples that were not idle. */
export interface ProfileRow {
  readonly name: string;
  readonly ms: number;
  readonly percent: number;
}

/** Self time of the profile by function and by place, busy samples only (idle excluded from the percentages). */
export function summarizeProfile(profile: CpuProfile): { busyMs: number; idleMs: number; functions: ProfileRow[]; places: ProfileRow[] } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const functions = new Map<string, number>();
  const places = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    if (frame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    busy += us;
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    const name = `${frame.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    const place = placeOf(frame);
    places.set(place, (places.get(place) ?? 0) + us);
  }
  const rows = (table: Map<string, number>) =>
    [...table].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: Math.round(us / 1000), percent: Math.round((us / busy) * 1000) / 10 }));
  return { busyMs: Math.round(busy / 1000), idleMs: Math.round(idle / 1000), functions: rows(functions), places: rows(places) };
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const marker = /\/(hub|bench|connectors|tests|catalogue|schemas|services|dist)\//.exec(url);
  return marker ? url.slice(marker.index + 1) : path.basename(url);
}

/** Where a frame's code lives: an npm package, one of our top folders (hub/<area>), Node, or V8. */
function placeOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node (internals)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const short = shortUrl(url).replace(/^dist\//, '');
  const parts = short.split('/');
  return parts[0] === 'hub' && parts.length > 2 ? `hub/${parts[1]}` : parts[0];
}

/** A markdown table of the first `n` rows. */
export function markdownTable(rows: readonly ProfileRow[], n: number, heading: string): string {
  return [`| ${heading} | self ms | % of busy |`, '|---|---:|---:|', ...rows.slice(0, n).map((r) => `| \`${r.name}\` | ${r.ms} | ${r.percent} |`)].join('\n');
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  const [file, count] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-top.ts <file.cpuprofile> [N]');
  const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  const n = Number(count ?? 25);
  process.stdout.write(`busy ${summary.busyMs} ms, idle ${summary.idleMs} ms\n\n${markdownTable(summary.places, n, 'where')}\n\n${markdownTable(summary.functions, n, 'function')}\n`);
}
