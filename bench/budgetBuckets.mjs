// Issue 21, finding 1: the memory of the in-memory budget's client buckets (the memory store's
// `takeSlot`, and a handler's own budget when its store has none). A client that rotates addresses
// makes one bucket per address; the windows hold at most MAX_BUCKETS of them.
//
//   node bench/budgetBuckets.mjs            (writes bench/budgetBuckets.json; also a step of run.mjs: --only buckets)
//
// Each measurement runs in a child with --expose-gc: heap used before and after 100 000 distinct
// clients each take one slot of their own minute-long window, as `UpstreamBudget.clientSlot` names
// them (`client:` + 32 hex characters). `held` is the bucket count afterwards. Two runs:
// - `bounded`: the windows as shipped (MAX_BUCKETS = 10 000), the class the memory store uses;
// - `unbounded`: the same class with the bound lifted to 100 000, i.e. what 100 000 buckets cost when
//   every one is held.
// The class is compiled from src/server/upstream/slidingWindows.ts with esbuild (it is not a public export).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const repo = join(fileURLToPath(import.meta.url), '..', '..');
const CLIENTS = 100_000;
const self = fileURLToPath(import.meta.url);

async function child(mode) {
  const settle = async () => {
    for (let i = 0; i < 3; i += 1) {
      globalThis.gc();
      await new Promise((done) => setImmediate(done));
    }
    return process.memoryUsage().heapUsed;
  };
  // Named as `UpstreamBudget.clientSlot` names them, inside the measurement: a held bucket keeps its name.
  const name = (i) =>
    `client:${createHash('sha256')
      .update(`react-liveness-session:client:2001:db8::${i.toString(16)}`)
      .digest('hex')
      .slice(0, 32)}`;
  const { SlidingWindows } = await import(pathToFileURL(process.argv[4]).href);
  const windows = mode === 'bounded' ? new SlidingWindows(Date.now) : new SlidingWindows(Date.now, CLIENTS);
  const before = await settle();
  let granted = 0;
  for (let i = 0; i < CLIENTS; i += 1) {
    if (windows.take({ bucket: name(i), slotId: createHash('md5').update(String(i)).digest('hex').slice(0, 24), limit: 10, windowMs: 60_000 }).ok) granted += 1;
  }
  const after = await settle();
  const held = windows.size;
  console.log(JSON.stringify({ mode, clients: CLIENTS, granted, held, heapUsedDelta: after - before, bytesPerHeldBucket: Math.round((after - before) / held) }));
}

async function compileWindows() {
  const { build } = await import('esbuild');
  const dir = join(repo, 'bench/tmp');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, 'slidingWindows.mjs');
  await build({ entryPoints: [join(repo, 'src/server/upstream/slidingWindows.ts')], bundle: true, format: 'esm', platform: 'node', outfile: out, logLevel: 'silent' });
  return out;
}

/** Both runs, each in its own child with --expose-gc. */
export async function budgetBucketsBench() {
  const compiled = await compileWindows();
  const run = async (mode) => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', self, 'child', mode, compiled], { maxBuffer: 1 << 20 });
    return JSON.parse(stdout.trim().split('\n').at(-1));
  };
  const unbounded = await run('unbounded');
  const bounded = await run('bounded');
  const { MAX_BUCKETS } = await import(pathToFileURL(compiled).href);
  return { clients: CLIENTS, maxBuckets: MAX_BUCKETS, unbounded, bounded };
}

if (process.argv[2] === 'child') {
  await child(process.argv[3]);
} else if (process.argv[1] === self) {
  const result = await budgetBucketsBench();
  const report = { generatedAt: new Date().toISOString(), command: 'node bench/budgetBuckets.mjs', node: process.version, ...result };
  writeFileSync(join(repo, 'bench/budgetBuckets.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report, null, 2));
}
