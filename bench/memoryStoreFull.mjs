// The memory store when full (issue 27's follow-up): a flood of creates into a store holding its
// maxSessions (10,000) live sessions, each create evicting the oldest; and idempotency records past
// maxSessions, none expired. Before, each create read every session looking for expired ones, and each
// record write copied and read every record: both O(n) per call once full.
//
//   node bench/memoryStoreFull.mjs [--src DIR]   (also a step of run.mjs: --only memstore)
//
// `--src DIR`: a checkout whose src/server/store/memoryStore.ts to measure (e.g. a `git worktree` of an
// older commit), compiled with esbuild like this checkout's. Each figure is the median of 5 runs in this
// process: µs per call over CALLS calls.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './lib/stats.mjs';

const repo = join(fileURLToPath(import.meta.url), '..', '..');
const self = fileURLToPath(import.meta.url);
const FULL = 10_000;
const CALLS = 5_000;

async function compileStore(srcRoot, name) {
  const { build } = await import('esbuild');
  const dir = join(repo, 'bench/tmp');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `memoryStore-${name}.mjs`);
  await build({ entryPoints: [join(srcRoot, 'src/server/store/memoryStore.ts')], bundle: true, format: 'esm', platform: 'node', outfile: out, logLevel: 'silent' });
  return (await import(pathToFileURL(out).href)).memoryStore;
}

const session = (id, now) => ({
  id,
  status: 'pending',
  bytedToken: 'FAKE-token',
  h5Link: 'https://h5.example.test/FAKE',
  expiresAt: now + 120_000,
  purgeAt: now + 600_000,
  createdAt: now,
  version: 0,
});

async function createsWhenFull(memoryStore) {
  const now = Date.now();
  const store = memoryStore({ maxSessions: FULL });
  for (let i = 0; i < FULL; i += 1) await store.create(session(`s${i}`, now));
  let next = FULL;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i += 1) await store.create(session(`s${next++}`, now));
  return Number(process.hrtime.bigint() - t0) / 1e3 / CALLS;
}

async function recordsPastTheBound(memoryStore) {
  const store = memoryStore({ maxSessions: FULL });
  for (let i = 0; i < FULL; i += 1) await store.swapRecord(`k${i}`, null, 'FAKE', 600_000);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i += 1) await store.swapRecord(`k${FULL + i}`, null, 'FAKE', 600_000);
  return Number(process.hrtime.bigint() - t0) / 1e3 / CALLS;
}

export async function memoryStoreFullBench({ srcRoot = repo } = {}) {
  const memoryStore = await compileStore(srcRoot, srcRoot === repo ? 'here' : 'other');
  const creates = [];
  const records = [];
  for (let run = 0; run < 5; run += 1) {
    creates.push(await createsWhenFull(memoryStore));
    records.push(await recordsPastTheBound(memoryStore));
  }
  const r = (x) => Number(x.toFixed(2));
  return {
    full: FULL,
    calls: CALLS,
    src: srcRoot === repo ? 'src/' : join(srcRoot, 'src/'),
    createUs: { median: r(median(creates)), min: r(Math.min(...creates)), max: r(Math.max(...creates)) },
    recordUs: { median: r(median(records)), min: r(Math.min(...records)), max: r(Math.max(...records)) },
  };
}

if (process.argv[1] === self) {
  const at = process.argv.indexOf('--src');
  console.log(JSON.stringify(await memoryStoreFullBench({ srcRoot: at > 0 ? resolve(process.argv[at + 1]) : repo }), null, 2));
}
