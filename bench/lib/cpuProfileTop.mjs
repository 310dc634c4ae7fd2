#!/usr/bin/env node
// The top self-time entries of a V8 CPU profile (`node --cpu-prof`), as the issue's notes quote them:
//   node bench/lib/cpuProfileTop.mjs FILE.cpuprofile [--top 15] [--by function|file]
// Self time is the time a function spent in its own code, its callees excluded; `(garbage collector)`,
// `(program)` (native code outside JavaScript: the HTTP parser, syscalls) and `(idle)` are V8's own rows.
// Percentages are of the profile's busy time (everything but idle).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

export function topSelfTime(profile, { by = 'function', top = 15 } = {}) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  // samples[i] was taken timeDeltas[i + 1] before the next one: charge each sample that interval.
  for (let i = 0; i < profile.samples.length; i += 1) {
    const delta = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + Math.max(0, delta));
  }
  const totals = new Map();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id);
    const name = callFrame.functionName || '(anonymous)';
    const where = callFrame.url ? `${shorten(callFrame.url)}${by === 'function' ? `:${callFrame.lineNumber + 1}` : ''}` : '';
    const key = by === 'file' ? where || name : where ? `${name} ${where}` : name;
    totals.set(key, (totals.get(key) ?? 0) + us);
    if (name !== '(idle)') busy += us;
  }
  const rows = [...totals]
    .filter(([key]) => key !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, us]) => ({ entry: key, selfMs: Number((us / 1000).toFixed(1)), percent: Number(((us / busy) * 100).toFixed(1)) }));
  return { busyMs: Number((busy / 1000).toFixed(1)), rows };
}

/** `node:internal/deps/undici/undici`, `dist/chunks/x.js`: enough of a URL to tell where the time went. */
function shorten(url) {
  if (url.startsWith('node:')) return url;
  const path = url.replace(/^file:\/\//, '');
  const dist = path.lastIndexOf('/dist/');
  return dist >= 0 ? path.slice(dist + 1) : basename(path);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a) && a !== 'function' && a !== 'file');
  if (!file) {
    console.error('usage: node bench/lib/cpuProfileTop.mjs FILE.cpuprofile [--top 15] [--by function|file]');
    process.exit(2);
  }
  const top = args.includes('--top') ? Number(args[args.indexOf('--top') + 1]) : 15;
  const by = args.includes('--by') ? args[args.indexOf('--by') + 1] : 'function';
  const { busyMs, rows } = topSelfTime(JSON.parse(readFileSync(file, 'utf8')), { by, top });
  console.log(`${basename(file)}: ${busyMs} ms busy`);
  for (const r of rows) console.log(`${String(r.percent).padStart(5)} %  ${String(r.selfMs).padStart(8)} ms  ${r.entry}`);
}
