#!/usr/bin/env node
/*
 * Consumer tests: the packed tarball installed into fresh apps, the way users get it.
 *
 *   node test/consumers/run.mjs [--only react18-vite,nextjs,express5,hono] [--keep] [--no-next-dev] [--no-public-url] [--verbose]
 *
 * 1. `npm run build` and `npm pack` in the repository (the tarball goes to a temp dir).
 * 2. For each app under test/consumers/<app>/ (committed package.json with exact versions, its
 *    package-lock.json, sources): copy it to a fresh temp dir, `npm ci`, then
 *    `npm install --no-save <tarball>` (the lock never names the tarball).
 * 3. Type-check and build the app, start its server on 127.0.0.1:<free port> as a child process, and
 *    drive it with Debian's Chromium (playwright-core, fresh temp profile per app).
 *
 *   react18-vite / react19-vite: `tsc` against the package's types; `vite build` (production) and a
 *     NODE_ENV=development build (React's development warnings); server.mjs mounts
 *     createLivenessHandler + toNodeHandler + createMockUpstream. In Chromium, on both builds:
 *     data-state=ready with a decodable QR code, exactly one POST (StrictMode), no console error or
 *     warning; then a phone round trip through the server's short link to `verified`.
 *   nextjs: `next build` (type-check included), `next start`; the HTML is server-rendered, the page
 *     hydrates in place (the server's root element survives) without console errors or warnings,
 *     reaches ready with one POST, the route handler's short link leads to the mock's H5 page, and a
 *     phone round trip ends in `verified`, learned over the route handler's event stream (no polls);
 *     a second stream read from Node gets its first event while the session is pending (the route
 *     handler does not buffer it), then `verified`, then its end. Then the same page under `next dev`,
 *     where React reports every hydration mismatch (skip with --no-next-dev).
 *   express5 / hono: the server half alone, as the README mounts it (`app.use(toNodeHandler(liveness))`
 *     behind a global express.json(); `app.all('/api/liveness/*', (c) => liveness(c.req.raw))` on
 *     @hono/node-server). `tsc` (NodeNext) builds it; started on a free port, it is driven through
 *     create → short link → Pass → `verified` over HTTP.
 *
 * The phone is always a real Chromium page with an iPhone's settings: it opens the short link (which
 * may bind itself to the first device that opens it), presses Pass on the mock's H5 page and follows
 * the callback, as a person's phone would.
 *
 * One `ok`/`FAIL` line per app, then `N passed, N failed`; exits 1 on any failure, 2 when Chromium is
 * missing. Every server is started as a child process and stopped by its own PID (its process group
 * only if it leaves children behind). npm's cache (~/.npm) is reused. --keep leaves the temp dir.
 */
import { freePort } from '../../scripts/lib/demoServer.mjs';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { decodeQr, executablePath, launchBrowser, phoneCompletes, safeUrl } from './browser.mjs';
/* global window, document, MutationObserver, getComputedStyle -- used only inside functions that run in the browser (page.evaluate and the like) */

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const fixtures = join(repoRoot, 'test', 'consumers');
const APPS = ['react18-vite', 'react19-vite', 'nextjs', 'express5', 'hono'];

const args = process.argv.slice(2);
const argValue = (name) => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
};
const only = argValue('--only')?.split(',').filter(Boolean);
const keep = args.includes('--keep');
const nextDev = !args.includes('--no-next-dev');
const publicUrl = !args.includes('--no-public-url');
const verbose = args.includes('--verbose');

const ROOT = '[data-liveness-session]';
const STATE_TIMEOUT_MS = 20_000;
const started = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

class Failure extends Error {}
function assert(condition, message) {
  if (!condition) throw new Failure(message);
}

// ---------- child processes ----------

/**
 * The environment for child processes: npm's per-script variables (npm_config_local_prefix would point
 * a nested npm at this repository) and NODE_ENV are dropped; Next's telemetry and Playwright's browser
 * download are off.
 */
function childEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) && !/^npm_config_/i.test(key)) continue;
    if (/^npm_config_(local_prefix|loglevel|save|prefix$)/i.test(key)) continue;
    if (key === 'NODE_ENV' || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  return { ...env, NEXT_TELEMETRY_DISABLED: '1', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', ...extra };
}

/** Children that are running now: ended by PID on Ctrl-C or a crash of this script. */
const running = new Set();

/** Ends one child we started: SIGTERM to its PID, SIGKILL after 5 s, then any process left in its group. */
async function stopChild(child, exited) {
  if (child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    let timer;
    const result = await Promise.race([exited, new Promise((done) => (timer = setTimeout(() => done('timeout'), 5_000)))]);
    clearTimeout(timer);
    if (result === 'timeout') {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
      await exited;
    }
  }
  // The child leads its own process group (detached): anything it forked and left (a Next worker)
  // is still in that group. Only that group, which this script created.
  try {
    process.kill(-child.pid, 0);
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is empty
  }
  running.delete(child);
}

/** Runs a command to completion; rejects with the end of its output when it fails or times out. */
function run(command, commandArgs, { cwd, env = childEnv(), timeoutMs = 300_000, label } = {}) {
  return new Promise((done, fail) => {
    const t0 = Date.now();
    const child = spawn(command, commandArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child);
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise((resolveExit) => child.once('close', (code, signal) => resolveExit({ code, signal })));
    const timer = setTimeout(() => {
      stopChild(child, exited).then(() => fail(new Failure(`${label ?? command} timed out after ${seconds(timeoutMs)}:\n${tail(output)}`)));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      fail(new Failure(`${label ?? command}: ${error.message}`));
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      running.delete(child);
      if (verbose) process.stdout.write(output);
      if (code === 0) done({ output, ms: Date.now() - t0 });
      else fail(new Failure(`${label ?? `${command} ${commandArgs.join(' ')}`} exited with ${code ?? signal}:\n${tail(output)}`));
    });
  });
}

const tail = (text, lines = 40) =>
  text
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((line) => `    ${line}`)
    .join('\n');

/** Starts a server as a child process and resolves once `origin + readyPath` answers 200. */
async function startServer(command, commandArgs, { cwd, env, origin, readyPath = '/', timeoutMs = 60_000, label }) {
  const child = spawn(command, commandArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.add(child);
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((done) => child.once('close', (code, signal) => done({ code, signal })));
  const stop = () => stopChild(child, exited);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Failure(`${label} exited early (${child.exitCode ?? child.signalCode}):\n${tail(output)}`);
    }
    try {
      const response = await fetch(`${origin}${readyPath}`);
      await response.arrayBuffer();
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Failure(`${label} did not answer within ${seconds(timeoutMs)}:\n${tail(output)}`);
    }
    await new Promise((done) => setTimeout(done, 150));
  }
  return { pid: child.pid, stop, output: () => output };
}

// ---------- the browser ----------

/**
 * Opens `url` in a new page of `context` and checks the component the way a person would meet it:
 * ready, a QR code that decodes to the session's short link, exactly one create request, no console
 * error or warning, no page error. With `hydration`, also that the element the server rendered is
 * the one still in the page (React hydrated it instead of throwing it away and rendering anew).
 * Returns what the next steps need; the page stays open.
 */
async function visit(context, url, { hydration = false, notes, label }) {
  const origin = new URL(url).origin;
  const where = label ? `${label} ${url}` : url;
  const page = await context.newPage();
  const problems = [];
  const creates = [];
  page.on('console', (message) => {
    const type = message.type();
    if (type !== 'error' && type !== 'warning') return;
    const source = message.location()?.url;
    problems.push(`console ${type}: ${message.text().slice(0, 400)}${source ? ` (${safeUrl(source)})` : ''}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${String(error.message).slice(0, 400)}`));
  const isCreate = (request) => request.method() === 'POST' && request.url() === `${origin}/api/liveness/sessions`;
  // How the page learns the outcome: event streams opened, and status requests (polls) made.
  const reads = { streams: [], statuses: [] };
  page.on('request', (request) => {
    if (isCreate(request)) creates.push(request);
    const path = new URL(request.url()).pathname;
    if (request.method() === 'GET' && /^\/api\/liveness\/sessions\/[^/]+\/events$/.test(path)) reads.streams.push(request.url());
    else if (request.method() === 'GET' && /^\/api\/liveness\/sessions\/[^/]+$/.test(path)) reads.statuses.push(Date.now());
  });
  // Bodies are read as they arrive: Chromium drops them once the page navigates (even in-document).
  const answers = [];
  page.on('response', (response) => {
    if (!isCreate(response.request())) return;
    // Under `next dev` Chromium may still drop the body (the router's early history change): then the
    // QR code's text stands in for the qrUrl.
    answers.push(
      response.json().then(
        (body) => ({ status: response.status(), body }),
        () => ({ status: response.status(), body: undefined }),
      ),
    );
  });
  // Full page loads (a reload would also mean a second session); in-document history changes, which
  // Next's router makes on hydration, do not count.
  let loads = 0;
  page.on('domcontentloaded', () => (loads += 1));
  if (hydration) {
    await page.addInitScript(() => {
      // Remember the first root element the HTML parser inserts (the server's), and its state.
      new MutationObserver((_records, observer) => {
        const root = document.querySelector('[data-liveness-session]');
        if (!root) return;
        window.__serverRoot = root;
        window.__serverState = root.getAttribute('data-state');
        observer.disconnect();
      }).observe(document, { childList: true, subtree: true });
    });
  }
  const t0 = Date.now();
  const response = await page.goto(url, { waitUntil: 'load' });
  assert(response?.ok(), `GET ${url} answered ${response?.status()}`);
  await page.waitForSelector(`${ROOT}[data-state="ready"][data-mode="qr"]`, { timeout: STATE_TIMEOUT_MS }).catch(async () => {
    const got = await page.$eval(ROOT, (el) => `${el.getAttribute('data-state')}/${el.getAttribute('data-mode')}`).catch(() => 'no root');
    throw new Failure(`${where}: never reached data-state=ready data-mode=qr (shows ${got})${problems.length ? `\n    ${problems.join('\n    ')}` : ''}`);
  });
  const readyMs = Date.now() - t0;
  // The QR code is a lazily loaded chunk: it may follow `ready` by a moment; `data-qr="drawn"` says it is there.
  await page.waitForSelector(`${ROOT}[data-qr="drawn"] [data-slot="qrCode"] svg`, { timeout: 5_000 }).catch(() => {
    throw new Failure(`${where}: no data-qr="drawn" with a QR svg inside [data-slot=qrCode] within 5 s of data-state=ready`);
  });
  const qrMs = Date.now() - t0;
  const qrText = await decodeQr(page);
  await page.waitForTimeout(1_000); // a second create (StrictMode double effects) would show up by now
  assert(creates.length === 1, `${where}: ${creates.length} POST /api/liveness/sessions, want exactly 1`);
  assert(answers.length === 1, `${where}: ${answers.length} answers to the create request`);
  const { status, body } = await answers[0];
  assert(status === 201, `${where}: create answered ${status}, want 201`);
  if (!body) notes.push(`${label ?? new URL(url).pathname}: create body unreadable in Chromium, used the QR text`);
  const session = body ?? { qrUrl: qrText };
  assert(loads === 1, `${where}: the page loaded ${loads} times, want 1`);
  assert(session.qrUrl && qrText === session.qrUrl, `${where}: the QR code decodes to ${safeUrl(qrText)}, not the session's qrUrl ${safeUrl(session.qrUrl)}`);
  assert(session.qrUrl.startsWith(`${origin}/api/liveness/`), `${where}: qrUrl ${safeUrl(session.qrUrl)} is not on the app's origin`);
  if (hydration) {
    const state = await page.evaluate(() => ({
      same: window.__serverRoot === document.querySelector('[data-liveness-session]'),
      serverState: window.__serverState ?? null,
    }));
    assert(state.serverState !== null, `${where}: the server's HTML had no [data-liveness-session] element`);
    assert(state.same, `${where}: the server-rendered root was replaced on the client (hydration failed and React rendered anew)`);
    notes.push(`${label}: server state ${state.serverState}, hydrated in place`);
  }
  assert(problems.length === 0, `${where}:\n    ${problems.join('\n    ')}`);
  notes.push(`${new URL(url).pathname} ready in ${seconds(readyMs)}, QR in ${seconds(qrMs)}`);
  return { page, session, problems, reads };
}

/**
 * The phone's side, in a phone's Chromium (the short link may bind itself to the first device that
 * opens it): short link → the mock's H5 page → Pass → callback; the page then shows verified.
 */
async function roundTrip(page, session, scratch, problems) {
  await phoneCompletes(scratch, session.qrUrl, 'pass');
  await page.waitForSelector(`${ROOT}[data-state="verified"]`, { timeout: STATE_TIMEOUT_MS }).catch(async () => {
    const got = await page.$eval(ROOT, (el) => el.getAttribute('data-state')).catch(() => 'no root');
    throw new Failure(`after the phone pressed Pass the page shows ${got}, want verified`);
  });
  assert(problems.length === 0, `during the round trip:\n    ${problems.join('\n    ')}`);
}

/**
 * An event stream read from Node over HTTP: `next(ms)` is the next status event, `'end'` when the
 * server closed the stream, or `undefined` when nothing came within `ms` (a buffering server).
 */
async function listen(url) {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { Accept: 'text/event-stream' }, signal: abort.signal });
  assert(response.status === 200, `GET ${safeUrl(url)} answered ${response.status}`);
  assert(/^text\/event-stream/.test(response.headers.get('content-type') ?? ''), `GET ${safeUrl(url)} is ${response.headers.get('content-type')}, not text/event-stream`);
  assert(!response.headers.get('content-encoding'), `GET ${safeUrl(url)} is compressed (${response.headers.get('content-encoding')})`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let ended = false;
  let reading;
  return {
    async next(ms) {
      const deadline = Date.now() + ms;
      for (;;) {
        const cut = buffer.indexOf('\n\n');
        if (cut !== -1) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (block.startsWith('data: ')) return JSON.parse(block.slice(6));
          continue;
        }
        if (ended) return 'end';
        reading ??= reader.read();
        let timer;
        const chunk = await Promise.race([reading, new Promise((done) => (timer = setTimeout(() => done(undefined), Math.max(0, deadline - Date.now()))))]);
        clearTimeout(timer);
        if (chunk === undefined) {
          abort.abort();
          return undefined;
        }
        reading = undefined;
        if (chunk.done) ended = true;
        else buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
  };
}

// ---------- apps ----------

/** Copies the fixture (without anything generated) and installs it: `npm ci`, then the tarball. */
async function install(app, scratch, tarball, steps) {
  const dir = join(scratch, app);
  const copy = (from) =>
    cpSync(join(fixtures, from), dir, {
      recursive: true,
      filter: (source) => !/[\\/](node_modules|dist|dist-dev|\.next)([\\/]|$)|next-env\.d\.ts$|\.tsbuildinfo$/.test(source.slice(join(fixtures, from).length)),
    });
  // The Vite apps share one app (vite-app/); each React version only brings its package.json and lock.
  if (app.endsWith('-vite')) copy('vite-app');
  copy(app);
  assert(existsSync(join(dir, 'package-lock.json')), `${app}: no committed package-lock.json`);
  const lock = readFileSync(join(dir, 'package-lock.json'), 'utf8');
  assert(!lock.includes('react-liveness-session'), `${app}: package-lock.json names react-liveness-session (it must come from the tarball)`);
  steps.push(['npm ci', (await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, label: `${app}: npm ci` })).ms]);
  steps.push(['install tarball', (await run('npm', ['install', '--no-save', '--no-audit', '--no-fund', tarball], { cwd: dir, label: `${app}: npm install <tarball>` })).ms]);
  const installed = JSON.parse(readFileSync(join(dir, 'node_modules/react-liveness-session/package.json'), 'utf8'));
  assert(installed.version, `${app}: react-liveness-session is not installed`);
  return dir;
}

async function viteApp(app, { scratch, tarball, reactMajor }) {
  const steps = [];
  const notes = [];
  const dir = await install(app, scratch, tarball, steps);
  const bin = (name) => join(dir, 'node_modules', '.bin', name);
  steps.push(['tsc', (await run(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: dir, label: `${app}: tsc` })).ms]);
  const built = await run(bin('vite'), ['build'], { cwd: dir, label: `${app}: vite build` });
  steps.push(['vite build', built.ms]);
  const warnings = built.output.split('\n').filter((line) => /warn|\(!\)|directive/i.test(line));
  if (warnings.length) notes.push(`vite build warnings: ${warnings.join(' | ').slice(0, 300)}`);
  steps.push([
    'vite build (development)',
    (await run(bin('vite'), ['build', '--outDir', 'dist-dev', '--base', '/dev/'], { cwd: dir, env: childEnv({ NODE_ENV: 'development' }), label: `${app}: vite build (development)` })).ms,
  ]);
  const devBundle = readdirSync(join(dir, 'dist-dev/assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(dir, 'dist-dev/assets', f), 'utf8'))
    .join('\n');
  assert(devBundle.includes('validateDOMNesting'), `${app}: dist-dev does not hold React's development build`);

  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  const server = await startServer(process.execPath, ['server.mjs'], { cwd: dir, env: childEnv({ PORT: String(port) }), origin, label: `${app}: node server.mjs` });
  let context;
  try {
    steps.push(['server start', Date.now() - t0]);
    const t1 = Date.now();
    context = await launchBrowser(scratch);
    for (const path of ['/', '/dev/']) {
      const { page, session, problems } = await visit(context, `${origin}${path}`, { notes });
      const seen = await page.evaluate(() => window.__consumer);
      assert(seen?.react?.startsWith(`${reactMajor}.`), `${path}: the page runs React ${seen?.react}, want ${reactMajor}.x`);
      assert(seen.created.length === 1, `${path}: onSessionCreated called ${seen.created.length} times, want 1`);
      if (path === '/') {
        await roundTrip(page, session, scratch, problems);
        notes.push('round trip verified');
      }
      await page.close();
    }
    const stats = await (await fetch(`${origin}/consumer/stats`)).json();
    assert(stats.create === 2 && stats.result === 1, `the mock saw ${stats.create} creates and ${stats.result} result calls, want 2 and 1`);
    steps.push(['browser', Date.now() - t1]);
  } finally {
    await context?.close().catch(() => undefined);
    await server.stop();
  }
  return { steps, notes };
}

async function nextApp(app, { scratch, tarball }) {
  const steps = [];
  const notes = [];
  const dir = await install(app, scratch, tarball, steps);
  const next = join(dir, 'node_modules', 'next', 'dist', 'bin', 'next');
  const built = await run(process.execPath, [next, 'build'], { cwd: dir, label: `${app}: next build`, timeoutMs: 400_000 });
  steps.push(['next build', built.ms]);
  notes.push(`next ${JSON.parse(readFileSync(join(dir, 'node_modules/next/package.json'), 'utf8')).version}`);
  if (/warn/i.test(built.output))
    notes.push(
      `build warnings: ${built.output
        .split('\n')
        .filter((line) => /warn/i.test(line))
        .join(' | ')
        .slice(0, 300)}`,
    );

  const check = async (mode) => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const t0 = Date.now();
    const server = await startServer(process.execPath, [next, mode, '--hostname', '127.0.0.1', '--port', String(port)], {
      cwd: dir,
      // Next.js gives route handlers request.url = http://localhost:<port>, whatever the Host: the
      // handler needs its public URL (see lib/liveness.ts). --no-public-url shows what happens without.
      env: childEnv(publicUrl ? { PUBLIC_URL: origin } : {}),
      origin,
      // `next dev` compiles on the first request: that request is the wait.
      timeoutMs: mode === 'dev' ? 180_000 : 60_000,
      label: `${app}: next ${mode}`,
    });
    let context;
    try {
      steps.push([`next ${mode} start`, Date.now() - t0]);
      const t1 = Date.now();
      const first = await fetch(`${origin}/`);
      const html = await first.text();
      assert(/data-liveness-session/.test(html), `next ${mode}: GET / has no server-rendered [data-liveness-session]`);
      // A strict Content-Security-Policy with a per-request nonce (proxy.ts): under `next start` no
      // 'unsafe-inline' and no 'unsafe-eval' at all (`next dev` needs eval and its overlay's style attributes). The component's styles come in a <style nonce>, and the
      // themed root carries no style attribute such a policy would drop.
      const policy = first.headers.get('content-security-policy') ?? '';
      const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
      assert(nonce && (mode === 'dev' || /style-src 'self' 'nonce-/.test(policy)), `next ${mode}: no nonce-based policy on the page: ${policy}`);
      assert(mode === 'dev' || !/unsafe-inline|unsafe-eval/.test(policy), `next ${mode}: the policy allows inline code: ${policy}`);
      const sheet = new RegExp(`<style nonce="${nonce.replace(/[+/=]/g, (c) => `\\${c}`)}">([^<]*--liveness-accent:#7c3aed[^<]*)</style>`).exec(html);
      assert(sheet, `next ${mode}: the server HTML has no <style nonce> with the theme`);
      assert(!/<div[^>]*data-liveness-session[^>]*\sstyle=/.test(html), `next ${mode}: the component's root carries a style attribute`);
      // The page passes `zhCN` (react-liveness-session/locales) from a server component.
      assert(/lang="zh-CN"/.test(html) && html.includes('验证是您本人'), `next ${mode}: the server HTML lacks the zh-CN locale passed from the server component`);
      context = await launchBrowser(scratch);
      const { page, session, problems, reads } = await visit(context, `${origin}/`, { hydration: true, notes, label: `next ${mode}` });
      // The theme reached the page through the nonce'd sheet (console errors, which CSP violations are,
      // already fail `visit`).
      const accent = await page.$eval(ROOT, (root) => getComputedStyle(root).getPropertyValue('--liveness-accent').trim());
      assert(accent === '#7c3aed', `next ${mode}: the theme's accent is ${JSON.stringify(accent)} in the browser, want #7c3aed`);
      // The round trip goes through the route handler's event stream, and it is not buffered: a stream
      // opened here gets its first event while the session is still pending, and the outcome later.
      // (The page's create answer may be unreadable here under `next dev`: the stream it opened names the URL.)
      assert(reads.streams.length === 1, `next ${mode}: the page opened ${reads.streams.length} event streams, want 1`);
      assert(!session.eventsUrl || reads.streams[0] === `${origin}${session.eventsUrl}`, `next ${mode}: the page's stream is not the create answer's eventsUrl`);
      const listener = await listen(reads.streams[0]);
      const opening = await listener.next(10_000);
      assert(opening?.status === 'pending', `next ${mode}: the stream's first event (within 10 s) is ${JSON.stringify(opening)}, want the pending status`);
      const started = Date.now();
      const pollsBefore = reads.statuses.length;
      await roundTrip(page, session, scratch, problems);
      const polls = reads.statuses.length - pollsBefore;
      // A count, not a time: while the stream is up the page asks the status at most once per 30 s.
      assert(polls <= Math.floor((Date.now() - started) / 30_000), `next ${mode}: the page polled ${polls} times during the round trip, so the outcome did not come over the stream`);
      // openedAt and checkingSince may come first (pending), then the outcome.
      let last = await listener.next(10_000);
      while (last?.status === 'pending') last = await listener.next(10_000);
      assert(last?.status === 'verified', `next ${mode}: the stream's last event is ${JSON.stringify(last)}, want verified`);
      assert((await listener.next(5_000)) === 'end', `next ${mode}: the stream did not end after the final status`);
      // The route file exports every method the handler serves: HEAD and DELETE reach it (Next answers
      // 405 itself for a method the file does not export). A cancel of a decided session changes nothing.
      const statusUrl = reads.streams[0].replace(/\/events$/, '');
      const head = await fetch(statusUrl, { method: 'HEAD' });
      assert(head.status === 200, `next ${mode}: HEAD the status answered ${head.status}, want 200`);
      // With the create answer's ownerKey (issue 21) the handler answers the status; when Chromium could
      // not read that answer, the handler's own 404 (not Next's 405) still shows DELETE reached it.
      const cancel = await fetch(statusUrl, { method: 'DELETE', headers: { Origin: origin, ...(session.ownerKey ? { 'Liveness-Owner-Key': session.ownerKey } : {}) } });
      const cancelled = await cancel.json().catch(() => undefined);
      if (session.ownerKey) {
        assert(cancel.status === 200 && cancelled?.status === 'verified', `next ${mode}: DELETE the status answered ${cancel.status} ${JSON.stringify(cancelled)}, want 200 and the verified status`);
      } else {
        assert(
          cancel.status === 404 && cancelled?.error?.code === 'not_found',
          `next ${mode}: DELETE without the owner key answered ${cancel.status} ${JSON.stringify(cancelled)}, want the handler's 404 not_found`,
        );
      }
      notes.push(
        `next ${mode}: round trip verified under ${mode === 'dev' ? "next dev's relaxed" : 'a strict'} CSP, over the event stream (${polls} status requests); a second stream got pending, then verified, then ended`,
      );
      const serverLog = server.output();
      assert(!/error/i.test(serverLog.replace(/0 errors?/gi, '')), `next ${mode} logged an error:\n${tail(serverLog)}`);
      steps.push([`next ${mode} browser`, Date.now() - t1]);
    } finally {
      await context?.close().catch(() => undefined);
      await server.stop();
    }
  };
  await check('start');
  if (nextDev) await check('dev');
  return { steps, notes };
}

/**
 * The server half alone (Express 5, Hono): `tsc` against the package's types (NodeNext, no DOM, its
 * .d.ts files checked) builds the app, which starts on 127.0.0.1:<free port>; then a full round trip
 * as the browser half and a phone make it: create over HTTP, the short link opened by a phone's
 * Chromium, Pass on the mock's H5 page, and the status answer says `verified` (and so does the app's
 * own server through getSession). Asserts only what the README and the wire protocol promise.
 */
async function serverApp(app, { scratch, tarball }) {
  const steps = [];
  const notes = [];
  const dir = await install(app, scratch, tarball, steps);
  steps.push(['tsc', (await run(join(dir, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: dir, label: `${app}: tsc` })).ms]);

  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  const server = await startServer(process.execPath, ['dist/server.js'], { cwd: dir, env: childEnv({ PORT: String(port) }), origin, readyPath: '/health', label: `${app}: node dist/server.js` });
  try {
    steps.push(['server start', Date.now() - t0]);
    const t1 = Date.now();
    const json = async (response) => ({ status: response.status, type: response.headers.get('content-type') ?? '', body: await response.json().catch(() => undefined) });

    // The browser half's create request (README: POST {basePath}/sessions; the wire protocol).
    const created = await json(
      await fetch(`${origin}/api/liveness/sessions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID(), Origin: origin },
        body: JSON.stringify({ locale: 'zh' }),
      }),
    );
    assert(created.status === 201, `POST /api/liveness/sessions answered ${created.status} ${JSON.stringify(created.body?.error ?? '')}`);
    const session = created.body;
    for (const field of ['sessionId', 'h5Link', 'expiresAt', 'statusUrl', 'qrUrl']) assert(typeof session?.[field] === 'string', `the create answer has no ${field}`);
    // The body reached the handler (behind Express's global express.json() too): lng follows locale.
    assert(new URL(session.h5Link).searchParams.get('lng') === 'zh', `the H5 link's lng is not zh (the create body's locale was lost)`);
    assert(session.qrUrl.startsWith(`${origin}/api/liveness/`), `qrUrl ${safeUrl(session.qrUrl)} is not the app's short link`);
    const statusUrl = new URL(session.statusUrl, origin).href;
    const pending = await json(await fetch(statusUrl));
    assert(pending.status === 200 && pending.body?.status === 'pending', `the new session's status is ${pending.status} ${pending.body?.status}, want 200 pending`);
    assert(!JSON.stringify(pending.body).includes(session.h5Link), 'the status answer carries the H5 link');

    // A phone scans the code and passes the check.
    const phone = await phoneCompletes(scratch, session.qrUrl, 'pass');
    notes.push(`phone: short link → ${new URL(phone.h5).pathname} → Pass → ${new URL(phone.landed).pathname}`);

    // The browser half polls statusUrl until the outcome (bounded: the result call may be retried).
    let decided;
    const deadline = Date.now() + STATE_TIMEOUT_MS;
    for (;;) {
      decided = await json(await fetch(statusUrl));
      assert(decided.status === 200, `GET statusUrl answered ${decided.status}`);
      if (decided.body?.status !== 'pending' || Date.now() > deadline) break;
      await new Promise((done) => setTimeout(done, 250));
    }
    assert(decided.body.status === 'verified', `after Pass the status is ${decided.body.status}${decided.body.reason ? ` (${decided.body.reason})` : ''}, want verified`);
    assert(typeof decided.body.groupId === 'string' && decided.body.groupId.length > 0, 'a verified status has no groupId');
    assert(decided.body.sessionId === session.sessionId, 'the status answer names another session');

    // The app's own server agrees (getSession), and the upstream was asked once to create and once for the result.
    const own = await json(await fetch(`${origin}/consumer/sessions/${encodeURIComponent(session.sessionId)}`));
    assert(
      own.status === 200 && own.body?.status === 'verified' && own.body.groupId === decided.body.groupId,
      `getSession says ${own.body?.status} ${own.body?.groupId === decided.body.groupId ? '' : '(another groupId)'}`,
    );
    const stats = (await json(await fetch(`${origin}/consumer/stats`))).body;
    assert(stats.create === 1 && stats.result === 1, `the mock saw ${stats.create} creates and ${stats.result} result calls, want 1 and 1`);

    // A photographed code stops working once the session is decided (README: 410 after).
    const used = await fetch(session.qrUrl, { redirect: 'manual' });
    await used.arrayBuffer();
    assert(used.status === 410, `the used short link answers ${used.status}, want 410`);
    // Bad input gets a clear JSON error, and the app's other routes still answer.
    const unknown = await json(await fetch(`${origin}/api/liveness/sessions/FAKE-unknown-session`));
    assert(
      unknown.status === 404 && unknown.type.includes('json') && typeof unknown.body?.error?.code === 'string',
      `an unknown session answers ${unknown.status} ${unknown.type}, want a 404 JSON error`,
    );
    const health = await json(await fetch(`${origin}/health`));
    assert(health.status === 200 && health.body?.ok === true, `GET /health answered ${health.status}`);
    steps.push(['round trip', Date.now() - t1]);
    notes.push('round trip verified');
    const log = server.output();
    assert(!/error/i.test(log), `${app} logged an error:\n${tail(log)}`);
  } finally {
    await server.stop();
  }
  return { steps, notes };
}

// ---------- main ----------

if (!existsSync(executablePath)) {
  console.error(`consumers: Chromium not found at ${executablePath} (apt-get install chromium fonts-liberation)`);
  process.exit(2);
}

const scratch = mkdtempSync(join(tmpdir(), 'liveness-consumers-'));
const cleanup = async () => {
  await Promise.all([...running].map((child) => stopChild(child, new Promise((done) => child.once('close', done)))));
  if (!keep) rmSync(scratch, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => cleanup().finally(() => process.exit(130)));
// A stray rejection (a playwright call left behind) must not leave servers running: stop them, then fail.
for (const event of ['uncaughtException', 'unhandledRejection']) {
  process.on(event, (error) => {
    console.log(`FAIL ${event}: ${error?.stack ?? error}`);
    cleanup().finally(() => process.exit(1));
  });
}
// Last resort: whatever is still listed gets SIGKILL, by PID and then its own process group.
process.on('exit', () => {
  for (const child of running) {
    for (const target of [child.pid, -child.pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
});

let passed = 0;
let failed = 0;
try {
  const tPack = Date.now();
  await run('npm', ['run', 'build'], { cwd: repoRoot, label: 'npm run build' });
  const packed = await run('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: repoRoot, label: 'npm pack' });
  const [info] = JSON.parse(packed.output.slice(packed.output.indexOf('[')));
  const tarball = join(scratch, info.filename);
  console.log(`consumers: packed ${info.filename} (${info.files.length} files) in ${seconds(Date.now() - tPack)}; apps in ${scratch}`);

  const apps = {
    'react18-vite': (app) => viteApp(app, { scratch, tarball, reactMajor: 18 }),
    'react19-vite': (app) => viteApp(app, { scratch, tarball, reactMajor: 19 }),
    nextjs: (app) => nextApp(app, { scratch, tarball }),
    express5: (app) => serverApp(app, { scratch, tarball }),
    hono: (app) => serverApp(app, { scratch, tarball }),
  };
  for (const app of APPS) {
    if (only && !only.includes(app)) continue;
    const t0 = Date.now();
    try {
      const { steps, notes } = await apps[app](app);
      passed += 1;
      console.log(`ok   ${app} (${seconds(Date.now() - t0)}: ${steps.map(([name, ms]) => `${name} ${seconds(ms)}`).join(', ')}; ${notes.join('; ')})`);
    } catch (error) {
      failed += 1;
      console.log(`FAIL ${app} (${seconds(Date.now() - t0)}): ${error instanceof Failure ? error.message : (error?.stack ?? error)}`);
    }
  }
} catch (error) {
  failed += 1;
  console.log(`FAIL setup: ${error instanceof Failure ? error.message : (error?.stack ?? error)}`);
} finally {
  await cleanup();
}
console.log(`${passed} passed, ${failed} failed (${seconds(Date.now() - started)})${keep ? `; kept ${scratch}` : ''}`);
process.exit(failed ? 1 : 0);
