#!/usr/bin/env node
/*
 * Benchmarks of issue 5: bundle cost, QR scannability, time to QR, polling cost, server overhead, leaks;
 * of issue 12: the upstream budget of three instances on one Redis under a flood, and the time from a
 * callback to `verified` when the first two result calls fail; of issue 14: Pass → verified and the
 * status requests per minute with the event stream against polling, in the same run; of issue 21: the
 * memory of the in-memory budget's client buckets under 100 000 distinct clients; of issue 23: the
 * doctor's run time against the mock, and what the OpenTelemetry hook costs on a create; of issues 23
 * and 28: a Redis restart and a Redis Cluster failover (503s, recovery, sessions lost, push latency); of
 * issue 26: a 25 MB image uploaded through the Node adapter, and the ListAssets calls while 50 browsers wait.
 *
 *   node bench/run.mjs [--quick] [--only bundle,qr,ttq,views,polling,push,fanout,server,budget,buckets,memstore,retry,leaks,doctor,telemetry,outage,uploads,listAssets] [--build] [--no-write] [--out FILE]
 *                      [--cpu-prof DIR] [--lib DIR]
 *
 * Needs dist/ (runs `npm run build` when dist/ is missing, or with --build) and Debian's Chromium
 * (/usr/bin/chromium, or CHROMIUM_PATH). Prints a table and writes bench/results.json (not with
 * --only or --no-write); `--out FILE` writes the report there instead, also with --only. Every benchmark starts and stops its own servers (127.0.0.1; children by PID)
 * and its own Chromium (fresh temp profile). Sizes and counts are stable; times are only reported.
 * For `server`: `--cpu-prof DIR` runs each server child under `node --cpu-prof` (one `<scenario>.cpuprofile`
 * each in DIR; `node bench/lib/cpuProfileTop.mjs FILE` lists the top self times), and `--lib DIR` loads
 * the build in DIR/dist instead of this checkout's (two builds measured under the same load).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { listAssetsBench, uploadBench } from './assets.mjs';
import { budgetBucketsBench } from './budgetBuckets.mjs';
import { memoryStoreFullBench } from './memoryStoreFull.mjs';
import { bundleBench } from './bundle.mjs';
import { executablePath } from './lib/browser.mjs';
import { buildPages, repo } from './lib/pages.mjs';
import { leaksBench } from './leaks.mjs';
import { pollingBench } from './polling.mjs';
import { doctorBench } from './doctor.mjs';
import { crossInstanceBench, pushBench } from './push.mjs';
import { DEFAULT_QR_SIZE, qrBench } from './qr.mjs';
import { redisOutageBench } from './redisOutage.mjs';
import { resultRetryBench } from './resultRetry.mjs';
import { serverOverheadBench } from './serverOverhead.mjs';
import { sharedBudgetBench } from './sharedBudget.mjs';
import { telemetryBench } from './telemetry.mjs';
import { timeToQrBench } from './timeToQr.mjs';
import { lazyViewsBench } from './lazyViews.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const only = onlyArg ? new Set(onlyArg.split(',')) : undefined;
const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
const cpuProfDir = args.includes('--cpu-prof') ? resolve(args[args.indexOf('--cpu-prof') + 1]) : undefined;
const libRoot = args.includes('--lib') ? resolve(args[args.indexOf('--lib') + 1]) : undefined;
const write = !args.includes('--no-write') && (!only || out !== undefined);
const want = (name) => !only || only.has(name);
const log = (line) => process.stderr.write(`${line}\n`);

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(join(repo, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

function machine() {
  let chromium = null;
  try {
    chromium = execFileSync(executablePath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // reported as null
  }
  let commit = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cpuCount: cpus().length,
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    chromium,
    commit,
    packages: Object.fromEntries(
      [pkg.name, 'react', 'react-dom', 'qrcode.react', '@tanstack/react-query', 'playwright-core', 'jsqr', 'pngjs', 'esbuild', 'vite'].map((n) => [
        n,
        n === pkg.name ? pkg.version : packageVersion(n),
      ]),
    ),
  };
}

// ---------- table ----------
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
// Every timing row: the median, then p75 and max, so a regression in the tail is as visible as one in the median.
const ms = (s) => `${s.median} ms (p75 ${s.p75}, max ${s.max}, n ${s.n})`;
const range = (s, unit = '') => `${s.median}${unit} (${s.min}–${s.max})`;

function rows(results) {
  const out = [];
  const row = (area, metric, value, goal = '', ok = undefined) => out.push({ area, metric, value, goal, status: ok === undefined ? '' : ok ? 'ok' : 'WORSE' });
  const b = results.bundle;
  if (b) {
    row(
      'bundle',
      '<LivenessSession>, own code up front (min / gzip / brotli)',
      `${kb(b.clientOwnUpFront.min)} / ${kb(b.clientOwnUpFront.gzip)} / ${kb(b.clientOwnUpFront.brotli)}`,
      'size-limit ≤ 10.0 kB (issue 25)',
    );
    row(
      'bundle',
      'a desktop page drawing its code: up front + QR chunk + qrcode.react',
      `${kb(b.desktopDrawsQr.min)} / ${kb(b.desktopDrawsQr.gzip)} / ${kb(b.desktopDrawsQr.brotli)}`,
      'size-limit ≤ 16.5 kB (issue 25)',
    );
    row('bundle', 'headless hook, own code up front', `${kb(b.headlessHookUpFront.min)} / ${kb(b.headlessHookUpFront.gzip)} / ${kb(b.headlessHookUpFront.brotli)}`, 'size-limit ≤ 6.2 kB (issue 25)');
    row(
      'bundle',
      '<LivenessSession>, own code with every lazy chunk',
      `${kb(b.clientOwn.min)} / ${kb(b.clientOwn.gzip)} / ${kb(b.clientOwn.brotli)}`,
      '≤ 6 KB gzip',
      b.clientOwn.gzip <= b.budgets.clientOwnGzip,
    );
    row(
      'bundle',
      '<LivenessSession> with qrcode.react',
      `${kb(b.clientWithQrcodeReact.min)} / ${kb(b.clientWithQrcodeReact.gzip)} / ${kb(b.clientWithQrcodeReact.brotli)}`,
      '≤ 12.5 KB gzip',
      b.clientWithQrcodeReact.gzip <= b.budgets.clientWithQrGzip,
    );
    row(
      'bundle',
      'headless hook, own code with the event-stream chunk',
      `${kb(b.headlessHook.min)} / ${kb(b.headlessHook.gzip)} / ${kb(b.headlessHook.brotli)}`,
      '≤ 6 KB gzip',
      b.headlessHook.gzip <= b.budgets.clientOwnGzip,
    );
    row('bundle', 'whole client entry (import *), own code', `${kb(b.clientEverything.min)} / ${kb(b.clientEverything.gzip)} / ${kb(b.clientEverything.brotli)}`);
    row('bundle', 'one extra locale (zhCN)', `${kb(b.extraLocale.min)} / ${kb(b.extraLocale.gzip)} / ${kb(b.extraLocale.brotli)}`);
    row('bundle', 'server entry', `${kb(b.server.min)} / ${kb(b.server.gzip)} / ${kb(b.server.brotli)}`);
    row('bundle', 'testing entry', `${kb(b.testing.min)} / ${kb(b.testing.gzip)} / ${kb(b.testing.brotli)}`);
    row(
      'bundle',
      'mobile visitor, link mode (gzip, up front)',
      `${kb(b.mobileLinkMode.initial.gzip)}; the lazy chunks (QR encoder, event stream, rare views: ${kb(b.mobileLinkMode.lazy.gzip)} in all) load only when likely, the QR encoder never`,
      'no QR encoder',
      true,
    );
  }
  const q = results.qr;
  if (q) {
    for (const c of q.cases) {
      const min = c.minSize ? `${c.minSize} px` : `> 640 px`;
      const reliable = c.reliableFrom ? `, all ≥ ${c.reliableFrom} px` : '';
      row(
        'qr',
        `${c.name} (${c.chars} ch)`,
        `v${c.version} ${c.effectiveLevel}${c.effectiveLevel !== c.level ? ` (asked ${c.level})` : ''}, ${c.modules} modules; min ${min}${reliable}; ${DEFAULT_QR_SIZE} px: ${Math.round(c.sizes[DEFAULT_QR_SIZE].rate * 100)}%`,
        c.whatIf ? 'what-if' : c.encodes === 'qrUrl' ? 'v ≤ 4, 96 px, 200 px' : `${DEFAULT_QR_SIZE} px decodes`,
        c.whatIf ? undefined : c.encodes === 'qrUrl' ? c.version <= 4 && c.decodesAt96 && c.defaultDecodes : c.defaultDecodes,
      );
    }
    if (q.sizeRule) {
      row('qr', 'size rule from the short links', q.sizeRule.rule);
      row(
        'qr',
        'long links: px per module needed',
        q.sizeRule.longLinksPxPerModule ? `${q.sizeRule.longLinksPxPerModule} (decoded below 640 px: ${q.sizeRule.longLinksDecodedBelow640.length} of 3)` : 'none decoded up to 640 px',
      );
    }
    // Phone distance instead of the fixed camera scale (bench/lib/degrade.mjs, scaleAtDistance).
    const sweep = q.distanceSweep;
    if (sweep) {
      const smallest = (s) => (s.minSize === null ? '> 640 px' : s.minSize === sweep.sizes[0] ? `≤ ${s.minSize} px` : `${s.minSize} px`);
      const [near, far] = [sweep.reachCm[0], sweep.reachCm.at(-1)];
      const reach = (r) => {
        if (r.farthestCm === null) return `none (${near}–${far} cm)`;
        const gaps = r.reliableToCm === r.farthestCm ? '' : r.reliableToCm === null ? `, not at ${near} cm` : `, every distance up to ${r.reliableToCm} cm`;
        return `${r.farthestCm === far ? '≥ ' : ''}${r.farthestCm} cm${gaps}`;
      };
      for (const c of sweep.cases) {
        if (c.smallestSize) {
          row('qr', `${c.name}: smallest size at ${sweep.smallestSizeCm.join(' / ')} cm`, sweep.smallestSizeCm.map((cm) => smallest(c.smallestSize[cm])).join(' / '), 'distance what-if');
        }
        const sizes = Object.keys(c.reach);
        row('qr', `${c.name}: ${sizes.join(' px / ')} px ${sizes.length === 1 ? 'decodes' : 'decode'} from up to`, sizes.map((size) => reach(c.reach[size])).join(' / '), 'distance what-if');
      }
    }
  }
  const t = results.timeToQr;
  if (t) {
    row('time to QR', 'create response → QR painted, library', ms(t.library.createToQrMs));
    row('time to QR', 'create response → QR painted, baseline', ms(t.baseline.createToQrMs));
    row(
      'time to QR',
      'create response → QR in the DOM, library / baseline',
      `${ms(t.library.createToDomMs)} / ${ms(t.baseline.createToDomMs)}; ${t.ratiosInDom.median}×, ${t.ratiosInDom.p75}×, ${t.ratiosInDom.max}×`,
    );
    row(
      'time to QR',
      'ratio library / baseline: median, p75, max',
      `${t.ratios.median}×, ${t.ratios.p75}×, ${t.ratios.max}× (mount → QR, medians: ${t.ratioMountToQr}×)`,
      '≤ 1.2×, 1.3×, 2× (issue 27)',
      t.ratios.median <= 1.2 && t.ratios.p75 <= 1.3 && t.ratios.max <= 2,
    );
    row('time to QR', 'React commits, mount → ready', `${t.commitsToReady.library} (baseline ${t.commitsToReady.baseline})`);
  }
  const v = results.lazyViews;
  if (v) {
    const floor = v.views.link.textPaintedMs;
    const line = (x) => `painted ${ms(x.textPaintedMs)}; in DOM ${x.textInDomMs.median} ms (max ${x.textInDomMs.max})`;
    // Consent is a first view: its part is fetched after the first render. An error's heading and retry
    // button are up front (its state's commit); what went wrong comes with its part, which loads before
    // only when the create is slow (≥ 300 ms), so as not to compete with the first code.
    const reference = { link: 'the floor (up front)', consent: 'reference (shown at mount)', error: 'reference (heading + retry at once)' };
    for (const [name, x] of Object.entries(v.views)) {
      const goal = reference[name] ?? 'p75 ≤ floor p75 + 1 frame';
      const ok = reference[name] ? undefined : x.textPaintedMs.p75 <= floor.p75 + 17;
      row('lazy views', `${name}: state → its text (backend ${v.latencyMs} ms)`, line(x), goal, ok);
    }
    for (const [name, x] of Object.entries(v.worstCase)) row('lazy views', `${name}: state → its text, backend answering at once`, line(x), 'worst case');
    const label = { refreshed: 'after an expiry', startAgain: 'after Start again (opened)', baselineSecondCode: 'baseline: a bare QRCodeSVG’s second code' };
    for (const [name, x] of Object.entries(v.qr)) {
      const r = x.ratios;
      row(
        'time to QR',
        `${label[name]}: create response → QR painted`,
        `${ms(x.textPaintedMs)}${r ? `; ${r.median}×, ${r.p75}×, ${r.max}× the baseline` : ''}`,
        r ? '≤ 1.2×, 1.3×, 2× (issue 27)' : 'reference',
        r ? r.median <= 1.2 && r.p75 <= 1.3 && r.max <= 2 : undefined,
      );
    }
  }
  const p = results.polling;
  if (p) {
    row('polling', 'status requests / min, visible', String(p.statusPerMinuteVisible), '30 (every 2 s)', p.statusPerMinuteVisible <= 31);
    row('polling', 'status requests / min, hidden', String(p.statusPerMinuteHidden), '0', p.statusPerMinuteHidden === 0);
    row('polling', 'first request after visible again', `${p.firstRequestAfterVisibleMs} ms`);
    row('polling', 'result known on server → page shows it', `${range(p.resultToPageMs, ' ms')}`, '≤ one poll interval (2 s)', p.resultToPageMs.max <= 2100);
  }
  const push = results.push;
  if (push) {
    const { poll, stream } = push;
    const ms = (x) => `median ${x.median} ms (${x.min}–${x.max}, n ${x.n})`;
    row('push', 'Pass → verified, event stream', ms(stream.passToVerifiedMs), '≤ 150 ms median', stream.passToVerifiedMs.median <= 150);
    row('push', 'Pass → verified, polling (same run)', ms(poll.passToVerifiedMs), 'reference');
    row('push', 'result known on server → page, stream / polling', `${stream.resultKnownToVerifiedMs.median} / ${poll.resultKnownToVerifiedMs.median} ms (medians)`);
    row('push', 'status requests / min, visible: stream up / polling', `${stream.statusPerMinuteVisible} / ${poll.statusPerMinuteVisible}`, '≤ 2 with the stream', stream.statusPerMinuteVisible <= 2);
    row(
      'push',
      'status requests / min, hidden: stream / polling',
      `${stream.statusPerMinuteHidden} / ${poll.statusPerMinuteHidden} (streams opened while hidden: ${stream.streamsOpenedHidden})`,
      '0',
      stream.statusPerMinuteHidden === 0 && stream.streamsOpenedHidden === 0,
    );
  }
  const ci = results.crossInstance;
  if (ci && !ci.skipped) {
    row('push', 'callback on instance A → stream on B (Redis pub/sub)', `median ${ci.pubsub.median} ms (${ci.pubsub.min}–${ci.pubsub.max}, n ${ci.pubsub.n})`, '≤ 1 s', ci.pubsub.max <= 1000);
    row('push', 'the same with subscriber: false (B reads every 2 s)', `median ${ci.fallback.median} ms (${ci.fallback.min}–${ci.fallback.max})`, 'reference');
  }
  const s = results.server;
  if (s) {
    // Throughput per repeat (median, min–max), then every request's latency pooled over the repeats.
    const line = (x) =>
      `${x.rps.median} req/s (${x.rps.min}–${x.rps.max}, ${x.rps.n} runs); latency median ${x.latencyMs.median} ms, p75 ${x.latencyMs.p75}, p99 ${x.latencyMs.p99}, max ${x.latencyMs.max} (n ${x.latencyMs.n}); server CPU ${x.cpuUsPerRequest.median} µs/request`;
    // Ratios taken round by round (the runs of one round ran side by side), then their median.
    const pct = (r) => `${r.median} % (${r.min}–${r.max}, ${r.n} rounds)`;
    const { statusToFloor, createToDirect } = s.ratios;
    row('server', 'create via Node adapter', line(s.adapterCreate));
    row('server', 'create, mock upstream directly', line(s.directCreate));
    row('server', 'create: adapter / mock directly, req/s', pct(createToDirect.rpsPercent), '≥ 80 %', createToDirect.rpsPercent.median >= 80);
    row('server', 'create: the same in server CPU per request (mock / adapter)', pct(createToDirect.cpuPercent), 'reference');
    row('server', 'status via Node adapter', line(s.adapterStatus));
    row('server', 'result query, mock directly (404)', line(s.directResultQuery));
    row('server', 'bare node:http floor', line(s.floor));
    row('server', 'status: adapter / bare node:http, req/s', pct(statusToFloor.rpsPercent), '≥ 60 %', statusToFloor.rpsPercent.median >= 60);
    row('server', 'status: the same in server CPU per request (bare / adapter)', pct(statusToFloor.cpuPercent), 'reference');
    row('server', 'heap after 10,000 sessions (memory store)', `${(s.memory.heapUsedDelta / 2 ** 20).toFixed(1)} MiB (${s.memory.bytesPerSession} B/session)`);
  }
  const sb = results.sharedBudget;
  if (sb && !sb.skipped) {
    const line = (x) => `${x.upstreamCreatesPerSecond}/s (${x.upstreamCreates} in ${x.seconds} s), busiest second ${x.busiestSecond}; answers 201 ×${x.requests[201]}, 429 ×${x.requests[429]}`;
    row('budget', `upstream creates, ${sb.instances} instances on one redisStore, ${sb.flooders} flooders`, line(sb.redisStore), '≤ 3 in any second', sb.redisStore.busiestSecond <= 3);
    row('budget', `the same with a memoryStore per instance`, line(sb.memoryStorePerInstance), 'reference (per process)');
  }
  const bb = results.budgetBuckets;
  if (bb) {
    const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
    row(
      'budget',
      `in-memory client buckets, ${bb.clients} distinct clients`,
      `${bb.bounded.held} held, ${mib(bb.bounded.heapUsedDelta)}; all ${bb.unbounded.held} held (no bound): ${mib(bb.unbounded.heapUsedDelta)}, ${bb.unbounded.bytesPerHeldBucket} B each`,
      `≤ ${bb.maxBuckets} buckets`,
      bb.bounded.held <= bb.maxBuckets,
    );
  }
  const mf = results.memoryStoreFull;
  if (mf) {
    const us = (x) => `${x.median} µs (${x.min}–${x.max}, 5 runs of ${mf.calls})`;
    row('server', `memory store full (${mf.full} live sessions): a create, evicting the oldest`, us(mf.createUs), 'reference (was 154 µs: every session read)');
    row('server', `memory store past ${mf.full} live idempotency records: a record written`, us(mf.recordUs), 'reference (was 1,438 µs: every record read)');
  }
  const rr = results.resultRetry;
  if (rr) {
    const line = (x) => `median ${x.callbackToVerifiedMs.median} ms (${x.callbackToVerifiedMs.min}–${x.callbackToVerifiedMs.max}), ${x.resultCallsPerSession} result calls`;
    row('retry', 'callback → verified, first two result calls fail, server timers', line(rr.timers), 'back-off 1 s + 2 s');
    row('retry', 'the same without timers, status polls every 2 s (serverless)', line(rr.pollsOnly));
  }
  const d = results.doctor;
  if (d) {
    const line = (x) => `median ${x.median} ms (${x.min}–${x.max}, n ${x.n})`;
    row('doctor', 'every check against the mock (key, publicUrl, create, result, health)', line(d.ms.everyCheck), 'reference');
    row('doctor', 'the same with --no-create', line(d.ms.noCreate));
    if (d.ms.withRedis) row('doctor', 'the same with --redis-url (PING, EVAL, pub/sub)', line(d.ms.withRedis));
    row('doctor', "floor: node -e '' (Node's start-up)", line(d.ms.floor));
  }
  const te = results.telemetry;
  if (te) {
    const us = (x) => `${x.median} µs (${x.min}–${x.max})`;
    const over = (o) => `CPU +${o.cpu.us} µs (${o.cpu.percent} %), wall +${o.wall.us} µs (${o.wall.percent} %) over none, medians of paired rounds`;
    row('telemetry', 'create, no telemetry option: CPU / wall per create', `${us(te.cpuUsPerCreate.none)} / ${us(te.wallUsPerCreate.none)}`, 'reference');
    row('telemetry', 'create, @opentelemetry/api without an SDK', over(te.overheadNoSdk));
    row('telemetry', 'create, SDK recording (in-memory exporter)', over(te.overheadSdk));
  }
  const ro = results.redisOutage;
  if (ro) {
    const { restart: r, failover: f } = ro;
    row(
      'outage',
      `Redis stopped ${r.downMs / 1000} s, then started (appendonly yes): routes answered 503`,
      `${r.routes503Ms} ms (first 200 ${r.firstOkAfterStartMs} ms after the start); answers: ${JSON.stringify(r.answersDuringOutage)}`,
      'never 500, never a hang',
      !Object.keys(r.answersDuringOutage).some((k) => k.includes('500')),
    );
    row(
      'outage',
      'after the start: stream live again / callback → push on B / lost callback found (probe)',
      `${r.subscriptionLiveAfterStartMs} ms / ${r.callbackAfterStartToPushOnBMs} ms / ${r.lostCallbackFoundAfterStartMs} ms`,
      'live ≤ 2 s',
      r.subscriptionLiveAfterStartMs <= 2000,
    );
    row('outage', 'heap used across 2 000 requests during the outage', `${(r.heapUsedDeltaDuringOutage / 2 ** 20).toFixed(2)} MiB`, 'flat');
    row(
      'outage',
      'cluster master killed: routes answered 503 on A / B',
      `${f.routes503Ms.a} / ${f.routes503Ms.b} ms (longest answer ${f.longestAnswerMs} ms); sessions lost ${f.sessionsLost} of ${f.sessions}`,
      'no session lost',
      f.sessionsLost === 0,
    );
    row(
      'outage',
      'cluster push A → B, before / after the failover',
      `median ${f.pushBeforeMs.median} / ${f.pushAfterMs.median} ms (max ${f.pushBeforeMs.max} / ${f.pushAfterMs.max})`,
      '≤ 1 s',
      f.pushAfterMs.max <= 1000,
    );
  }
  const up = results.uploads;
  if (up) {
    const line = (x) =>
      `${x.uploadMs.median} ms (${x.uploadMs.min}–${x.uploadMs.max}, n ${x.uploads}): ${x.mbPerSecond} MB/s; CreateAsset ${x.createAssetMs.median} ms; peak RSS +${x.peakOverBeforeMiB.median} MiB (${x.peakOverBeforeMiB.min}–${x.peakOverBeforeMiB.max}) over ${x.rssBeforeMiB.median} MiB`;
    row('assets', `${up.fileBytes / 1e6} MB image → 202 via Node adapter, one at a time`, line(up.sequential), 'reference');
    row('assets', `the same, ${up.concurrent.concurrency} at once`, line(up.concurrent), 'reference');
  }
  const la = results.listAssets;
  if (la) {
    const line = (x) => (x.skipped ? x.skipped : `${x.perMinute} / min (${x.calls} in ${x.seconds} s)`);
    row(
      'assets',
      `ListAssets, ${la.browsers} browsers polling ${la.groups} groups' assets`,
      line(la.polling),
      `≤ ${la.groups * 30} / min (a group per ${la.listIntervalMs / 1000} s)`,
      la.polling.perMinute <= la.groups * 31,
    );
    row('assets', 'the same over event streams', line(la.eventStreams), `≤ ${la.groups * 30} / min`, la.eventStreams.perMinute <= la.groups * 31);
    row(
      'assets',
      'the same polls over two instances on one redisStore',
      line(la.pollingTwoInstancesRedis),
      `≤ ${la.groups * 30} / min`,
      la.pollingTwoInstancesRedis.skipped ? undefined : la.pollingTwoInstancesRedis.perMinute <= la.groups * 31,
    );
    row('assets', 'reference: a call per poll (no shared listing)', `${la.withoutSharedListingPerMinute} / min`, 'over the 600 / min budget');
  }
  const l = results.leaks;
  if (l) {
    const control = l.control?.bytesPerCycleSecondHalf ?? 0;
    for (const [name, v] of Object.entries(l)) {
      const label = name === 'control' ? 'control (bare QRCodeSVG)' : `${name} client`;
      row(
        'leaks',
        `${label}: heap after 10 → ${v.cycles} cycles`,
        `${(v.heapAfter10 / 2 ** 20).toFixed(2)} → ${(v.heapAfterAll / 2 ** 20).toFixed(2)} MiB (${v.bytesPerCycleSecondHalf} B/cycle in 2nd half${name === 'control' ? '' : `, ${v.bytesPerCycleSecondHalf - control} over control`})`,
        name === 'control' ? 'reference' : 'flat (≤ control + 1 KB)',
        name === 'control' ? undefined : v.bytesPerCycleSecondHalf - control <= 1024,
      );
      row(
        'leaks',
        `${label}: left after unmount`,
        `${v.timersLeft} timers, ${v.intervalsLeft} intervals, ${v.pendingFetch} fetches, ${v.statusRequestsAfterUnmount} polls, ${v.cachedQueriesAfter ?? 0} cached queries`,
        'all 0',
        v.timersLeft + v.intervalsLeft + v.pendingFetch + v.statusRequestsAfterUnmount + (v.cachedQueriesAfter ?? 0) === 0,
      );
    }
  }
  return out;
}

function printTable(list) {
  const cols = ['area', 'metric', 'value', 'goal', 'status'];
  const width = Object.fromEntries(cols.map((c) => [c, Math.max(c.length, ...list.map((r) => r[c].length))]));
  const line = (r) => cols.map((c) => r[c].padEnd(width[c])).join(' | ');
  console.log(line(Object.fromEntries(cols.map((c) => [c, c]))));
  console.log(cols.map((c) => '-'.repeat(width[c])).join('-|-'));
  for (const r of list) console.log(line(r));
}

// ---------- main ----------
async function main() {
  const started = Date.now();
  if (!existsSync(join(repo, 'dist/index.js')) || args.includes('--build')) {
    log('bench: building the library (npm run build)…');
    execFileSync('npm', ['run', 'build'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  if ((want('qr') || want('ttq') || want('views') || want('polling') || want('push') || want('leaks')) && !existsSync(executablePath)) {
    log(`bench: no Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH)`);
    return 2;
  }
  const results = {};
  const timings = {};
  const step = async (name, key, fn) => {
    if (!want(name)) return;
    const t0 = Date.now();
    log(`bench: ${name}…`);
    results[key] = await fn();
    timings[name] = Date.now() - t0;
    log(`bench: ${name} done in ${(timings[name] / 1000).toFixed(1)} s`);
  };
  let pagesDir;
  let profilingDir;
  if (want('qr') || want('ttq') || want('views') || want('leaks')) {
    pagesDir = await buildPages();
    profilingDir = await buildPages({ profiling: true });
  }
  await step('bundle', 'bundle', () => bundleBench());
  await step('qr', 'qr', () => qrBench({ quick, pagesDir, log }));
  await step('ttq', 'timeToQr', () => timeToQrBench({ quick, pagesDir, profilingDir }));
  await step('views', 'lazyViews', () => lazyViewsBench({ quick, pagesDir }));
  await step('polling', 'polling', () => pollingBench({ quick }));
  await step('push', 'push', () => pushBench({ quick }));
  await step('fanout', 'crossInstance', () => crossInstanceBench({ quick }));
  await step('server', 'server', () => serverOverheadBench({ quick, cpuProfDir, libRoot }));
  await step('budget', 'sharedBudget', () => sharedBudgetBench({ quick }));
  await step('buckets', 'budgetBuckets', () => budgetBucketsBench());
  await step('memstore', 'memoryStoreFull', () => memoryStoreFullBench());
  await step('retry', 'resultRetry', () => resultRetryBench({ quick }));
  await step('doctor', 'doctor', () => doctorBench({ quick }));
  await step('telemetry', 'telemetry', () => telemetryBench({ quick }));
  await step('outage', 'redisOutage', () => redisOutageBench({ quick }));
  await step('uploads', 'uploads', () => uploadBench({ quick }));
  await step('listAssets', 'listAssets', () => listAssetsBench({ quick }));
  await step('leaks', 'leaks', () => leaksBench({ quick, pagesDir }));

  const table = rows(results);
  printTable(table);
  const report = {
    generatedAt: new Date().toISOString(),
    command: `node bench/run.mjs ${args.join(' ')}`.trim(),
    quick,
    machine: machine(),
    durationMs: Date.now() - started,
    stepMs: timings,
    table,
    results,
  };
  if (write) {
    const file = out ?? 'bench/results.json';
    writeFileSync(resolve(repo, file), `${JSON.stringify(report, null, 2)}\n`);
    log(`bench: wrote ${file}`);
  }
  log(`bench: finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
