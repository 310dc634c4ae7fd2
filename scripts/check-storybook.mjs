#!/usr/bin/env node
/*
 * Opens every story of the built Storybook (storybook-static/, from `npm run build-storybook`) in a
 * real Chromium and checks that it reaches the state it exists to show, with the msw worker playing
 * the backend. Also decodes the QR codes, looks for script links and page errors, and saves a
 * screenshot of the all-states grid to screenshots/all-states.png.
 *
 *   node scripts/check-storybook.mjs [--dir storybook-static] [--only <story-id-substring>]
 *
 * The static server runs inside this process on 127.0.0.1 and an ephemeral port, and is closed on
 * exit; Chromium is a child of this process, started and closed by playwright-core. Exits 1 on any
 * failure, 2 when the build or the browser is missing.
 */
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/chromium.mjs';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const argValue = (name) => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
};
const staticDir = resolve(root, argValue('--dir') ?? 'storybook-static');
const only = argValue('--only');
const screenshotDir = join(root, 'screenshots');
const executablePath = CHROMIUM_PATH;
const STATE_TIMEOUT_MS = 15_000;

// English display text the error stories must show (kept in sync with src/react/displayText.ts by this check).
const TEXT = {
  network: 'We couldn’t reach the server',
  timeout: 'The server took too long to answer',
  rateLimited: 'too many attempts',
  unauthorized: 'You are not signed in',
  server: 'Something went wrong on our side',
  invalidResponse: 'unexpected answer from the server',
  invalidLink: 'could not be trusted',
  verified: 'You’re verified',
  failed: 'Verification didn’t succeed',
  expired: 'This code has expired',
  newCode: 'Get a new code',
  retry: 'Try again',
  inAppHint: 'This app’s browser may not be able to use your camera',
};

/**
 * What each story must show. Every story in index.json needs an entry here and every entry a story,
 * so a new story cannot slip through unchecked.
 * state: the settled `data-state`; mode: `data-mode`; text: substrings of the root's text;
 * qr: 'h5Link' (the code encodes the link behind "open on this device") or a URL prefix;
 * stays: ms the state must hold (for states that never settle); check: extra page assertions.
 */
const EXPECT = {
  'components-livenesssession--creating': { state: 'creating', stays: 1500, check: ariaBusy },
  'components-livenesssession--qr-desktop': { state: 'ready', mode: 'qr', qr: 'h5Link', check: safeLinks },
  'components-livenesssession--link-mobile': { state: 'ready', mode: 'link', check: safeLinks },
  'components-livenesssession--short-qr-url': { state: 'ready', mode: 'qr', qr: 'https://h5.example.test/q/', check: safeLinks },
  'components-livenesssession--network-error': { state: 'error', text: [TEXT.network, 'Try again'] },
  'components-livenesssession--timeout': { state: 'error', text: [TEXT.timeout] },
  'components-livenesssession--rate-limited': { state: 'error', text: [TEXT.rateLimited] },
  'components-livenesssession--server-error': { state: 'error', text: [TEXT.server] },
  'components-livenesssession--unauthorized': { state: 'error', text: [TEXT.unauthorized] },
  'components-livenesssession--invalid-response': { state: 'error', text: [TEXT.invalidResponse] },
  'components-livenesssession--invalid-link': { state: 'error', text: [TEXT.invalidLink], check: safeLinks },
  'components-livenesssession--retry-recovers': { state: 'ready', mode: 'link', check: safeLinks },
  'components-livenesssession--idle': { state: 'idle', text: ['Start verification'], check: startFromIdle },
  'components-livenesssession--dark': { state: 'ready', mode: 'qr', qr: 'h5Link', check: darkLook },
  'components-livenesssession--custom-theme': { state: 'ready', mode: 'link', check: themedLook },
  'components-livenesssession--unstyled': { state: 'ready', mode: 'qr', check: unstyledLook },
  'components-livenesssession--zh-cn': { state: 'ready', mode: 'qr', text: ['验证是您本人', '请用手机相机扫描'], check: lang('zh-CN') },
  'components-livenesssession--zh-tw': { state: 'ready', mode: 'qr', text: ['驗證是您本人', '請用手機相機掃描'], check: lang('zh-TW') },
  'components-livenesssession--custom-error-component': { state: 'error', text: ['Custom error view', 'HTTP 503'] },
  'components-livenesssession--verified': { state: 'verified', text: [TEXT.verified], check: noLinkLeft },
  'components-livenesssession--failed': { state: 'failed', text: [TEXT.failed, TEXT.retry], check: noLinkLeft },
  'components-livenesssession--expired': { state: 'expired', text: [TEXT.expired, TEXT.newCode], check: newCodeRecovers },
  'components-livenesssession--countdown': { state: 'ready', mode: 'qr', qr: 'h5Link', check: countdownTicks },
  'components-livenesssession--in-app-browser-hint': { state: 'ready', mode: 'link', text: [TEXT.inAppHint], check: userAgentRestored },
  'components-all-states--grid': { grid: true },
};

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

function startServer(dir) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let file = normalize(join(dir, decodeURIComponent(url.pathname)));
    if (file !== dir && !file.startsWith(dir + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      // Unmocked API calls and missing assets both end here; a story that needs a backend gets it from msw.
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolvePromise(server));
  });
}

// ---------- per-story extra checks (each returns a list of problems) ----------

async function ariaBusy(page, rootEl) {
  return (await rootEl.getAttribute('aria-busy')) === 'true' ? [] : ['creating root lacks aria-busy="true"'];
}

async function safeLinks(page) {
  const hrefs = await page.$$eval('[data-liveness-session] a', (links) => links.map((a) => a.getAttribute('href') ?? ''));
  const problems = [];
  for (const href of hrefs) {
    if (!/^https:\/\/h5\.example\.test\//.test(href)) problems.push(`unexpected link href ${href.slice(0, 40)}…`);
    if (href.includes('\\u0026')) problems.push('link still contains a literal \\u0026');
  }
  const anyScript = await page.$$eval('a[href]', (links) => links.some((a) => /^\s*(javascript|data):/i.test(a.getAttribute('href') ?? '')));
  if (anyScript) problems.push('a javascript:/data: href is on the page');
  return problems;
}

/** A decided session leaves neither the link nor the QR code on the page. */
async function noLinkLeft(page, rootEl) {
  const problems = [];
  if ((await rootEl.$$('a, [data-slot="qrCode"]')).length > 0) problems.push('a link or QR code is still shown after the outcome');
  if ((await rootEl.innerHTML()).includes('h5.example.test')) problems.push('the H5 link is still in the markup');
  return problems;
}

async function newCodeRecovers(page, rootEl) {
  const problems = await noLinkLeft(page, rootEl);
  await page.getByRole('button', { name: TEXT.newCode }).click();
  try {
    await page.waitForSelector('[data-liveness-session][data-state="ready"]', { timeout: STATE_TIMEOUT_MS });
  } catch {
    problems.push('pressing "Get a new code" did not reach "ready"');
  }
  return problems;
}

/** The countdown shows m:ss between 1:20 and 1:30 (the story's code lives 90 s) and goes down. */
async function countdownTicks(page, rootEl) {
  const read = () => rootEl.$eval('[data-slot="countdown"] [aria-hidden="true"]', (el) => el.textContent ?? '').catch(() => '');
  const first = await read();
  const match = /^Expires in (\d):(\d\d)$/.exec(first);
  if (!match) return [`countdown reads "${first}", want "Expires in m:ss"`];
  const seconds = Number(match[1]) * 60 + Number(match[2]);
  if (seconds > 90 || seconds < 80) return [`countdown starts at ${first}, want about 1:30`];
  await page.waitForTimeout(2100);
  const later = await read();
  return later !== first ? [] : [`countdown did not move from "${first}"`];
}

/** The faked WeChat User-Agent is gone once the story has mounted. */
async function userAgentRestored(page) {
  const ua = await page.evaluate(() => navigator.userAgent);
  return /MicroMessenger/.test(ua) ? ['navigator.userAgent is still the faked WeChat one after mount'] : [];
}

async function startFromIdle(page) {
  await page.getByRole('button', { name: 'Start verification' }).click();
  try {
    await page.waitForSelector('[data-liveness-session][data-state="ready"]', { timeout: STATE_TIMEOUT_MS });
    return [];
  } catch {
    return ['pressing Start in the idle story did not reach "ready"'];
  }
}

const cssOf = (rootEl, selector, property) =>
  rootEl.evaluate((el, [sel, prop]) => getComputedStyle(sel ? el.querySelector(sel) : el)[prop], [selector, property]);

async function darkLook(page, rootEl) {
  const background = await cssOf(rootEl, null, 'backgroundColor');
  return background === 'rgb(17, 24, 39)' ? [] : [`dark root background is ${background}, want rgb(17, 24, 39)`];
}

async function themedLook(page, rootEl) {
  const problems = [];
  const background = await cssOf(rootEl, null, 'backgroundColor');
  if (background !== 'rgb(240, 253, 250)') problems.push(`themed background is ${background}`);
  const radius = await cssOf(rootEl, '[data-slot="primaryLink"]', 'borderRadius');
  if (radius !== '4px') problems.push(`themed button radius is ${radius}`);
  const accent = await cssOf(rootEl, '[data-slot="primaryLink"]', 'backgroundColor');
  if (accent !== 'rgb(15, 118, 110)') problems.push(`themed accent is ${accent}`);
  return problems;
}

async function unstyledLook(page, rootEl) {
  const problems = [];
  if ((await rootEl.getAttribute('data-unstyled')) === null) problems.push('root lacks data-unstyled');
  const padding = await cssOf(rootEl, null, 'paddingTop');
  if (padding !== '0px') problems.push(`unstyled root still has padding ${padding}`);
  return problems;
}

function lang(expected) {
  return async (page, rootEl) => {
    const value = await rootEl.getAttribute('lang');
    return value === expected ? [] : [`root lang is ${value}, want ${expected}`];
  };
}

/**
 * Decodes the QR code. It is decoded from a copy of its SVG drawn at a whole number of pixels per
 * module, so the check is about what the code encodes, not about how the screenshot's resampling
 * treats a dense code; how dense the code is on screen is reported separately (see `warnings`).
 */
async function decodeQr(page, rootEl) {
  // The QR encoder is a lazy chunk: the svg follows the ready state by a module load.
  await rootEl.evaluate(
    (el) =>
      new Promise((resolve) => {
        const deadline = Date.now() + 10_000;
        const poll = () => (el.querySelector('[data-slot="qrCode"] svg') || Date.now() > deadline ? resolve() : setTimeout(poll, 25));
        poll();
      }),
  );
  const info = await rootEl.evaluate((el) => {
    const svg = el.querySelector('[data-slot="qrCode"] svg');
    if (!svg) return null;
    const modules = svg.viewBox.baseVal.width;
    const shown = svg.getBoundingClientRect().width;
    const copy = svg.cloneNode(true);
    copy.setAttribute('width', String(modules * 4));
    copy.setAttribute('height', String(modules * 4));
    const holder = document.createElement('div');
    holder.id = 'check-storybook-qr';
    holder.style.cssText = 'position:fixed;left:0;top:0;z-index:2147483647;background:#fff;line-height:0;padding:0';
    holder.append(copy);
    document.body.append(holder);
    return { modules, shown };
  });
  if (!info) return { error: 'no QR code <svg> in [data-slot="qrCode"]' };
  const holder = await page.$('#check-storybook-qr');
  const png = PNG.sync.read(await holder.screenshot());
  await holder.evaluate((el) => el.remove());
  const result = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  const pxPerModule = info.shown / info.modules;
  return result ? { text: result.data, pxPerModule, modules: info.modules } : { error: `QR code (${info.modules} modules incl. quiet zone) did not decode` };
}

// ---------- runner ----------

async function waitForState(page, state) {
  await page.waitForSelector(`[data-liveness-session][data-state="${state}"]`, { timeout: STATE_TIMEOUT_MS });
}

async function storybookError(page) {
  return page.evaluate(() => {
    const shown = document.body.classList.contains('sb-show-errordisplay');
    return shown ? (document.querySelector('#error-message')?.textContent ?? 'Storybook error display') : null;
  });
}

async function checkStory(page, baseUrl, id, expect) {
  const problems = [];
  const warnings = [];
  const pageErrors = [];
  const onError = (error) => pageErrors.push(error.message);
  page.on('pageerror', onError);
  try {
    await page.goto(`${baseUrl}/iframe.html?id=${encodeURIComponent(id)}&viewMode=story`, { waitUntil: 'load' });
    if (expect.grid) {
      await page.waitForSelector('figure[data-expected-state] [data-liveness-session]', { timeout: STATE_TIMEOUT_MS });
      const cells = await page.$$('figure[data-expected-state]');
      if (cells.length === 0) problems.push('grid has no cells');
      const states = new Set();
      for (const cell of cells) {
        const want = await cell.getAttribute('data-expected-state');
        const label = await cell.$eval('figcaption', (el) => el.textContent ?? '');
        states.add(want);
        try {
          await cell.waitForSelector(`[data-liveness-session][data-state="${want}"]`, { timeout: STATE_TIMEOUT_MS });
        } catch {
          const got = await cell.$eval('[data-liveness-session]', (el) => el.getAttribute('data-state')).catch(() => 'none');
          problems.push(`cell "${label}": data-state ${got}, want ${want}`);
        }
      }
      for (const state of ['idle', 'creating', 'ready', 'error', 'verified', 'failed', 'expired']) if (!states.has(state)) problems.push(`grid shows no "${state}" cell`);
      problems.push(...(await safeLinks(page)));
      // The faked WeChat User-Agent reaches its own cell only, and is gone once the grid has mounted.
      const hinted = await page.$$eval('figure[data-expected-state]', (figures) =>
        figures.filter((f) => f.querySelector('[data-slot="hint"]')).map((f) => f.querySelector('figcaption')?.textContent ?? ''),
      );
      if (hinted.length !== 1 || !hinted[0].includes('in-app browser')) problems.push(`in-app browser hint shown in cells [${hinted.join(', ')}], want only the in-app browser cell`);
      problems.push(...(await userAgentRestored(page)));
      if (!(await page.$('[data-slot="countdown"]'))) problems.push('grid shows no countdown');
      // Let fonts and the spinner settle, then keep a picture for people to look at.
      await page.evaluate(() => document.fonts.ready);
      mkdirSync(screenshotDir, { recursive: true });
      await page.screenshot({ path: join(screenshotDir, 'all-states.png'), fullPage: true, animations: 'disabled' });
    } else {
      try {
        await waitForState(page, expect.state);
      } catch {
        const got = await page
          .$eval('[data-liveness-session]', (el) => el.getAttribute('data-state'))
          .catch(() => 'no [data-liveness-session] element');
        problems.push(`data-state ${got}, want ${expect.state}`);
      }
      if (problems.length === 0) {
        if (expect.stays) {
          await page.waitForTimeout(expect.stays);
          const still = await page.$(`[data-liveness-session][data-state="${expect.state}"]`);
          if (!still) problems.push(`left "${expect.state}" within ${expect.stays} ms`);
        }
        const rootEl = await page.$('[data-liveness-session]');
        if (expect.mode) {
          const mode = await rootEl.getAttribute('data-mode');
          if (mode !== expect.mode) problems.push(`data-mode ${mode}, want ${expect.mode}`);
        }
        if (expect.text) {
          const text = await rootEl.innerText();
          for (const part of expect.text) if (!text.includes(part)) problems.push(`text lacks "${part}"`);
        }
        if (expect.qr) {
          const decoded = await decodeQr(page, rootEl);
          if (decoded.error) problems.push(decoded.error);
          else if (decoded.pxPerModule < 2) {
            warnings.push(`QR code is dense: ${decoded.modules} modules in ${Math.round(decoded.pxPerModule * decoded.modules)} px (${decoded.pxPerModule.toFixed(2)} px per module)`);
          }
          else if (expect.qr === 'h5Link') {
            const href = await rootEl.$eval('[data-slot="secondaryLink"]', (a) => a.getAttribute('href')).catch(() => null);
            if (decoded.text !== href) problems.push('QR code does not encode the link behind "open on this device"');
          } else if (!decoded.text.startsWith(expect.qr)) {
            problems.push(`QR code encodes ${decoded.text.slice(0, 40)}…, want ${expect.qr}…`);
          }
        }
        if (expect.check) problems.push(...(await expect.check(page, rootEl)));
      }
    }
    const sbError = await storybookError(page);
    if (sbError) problems.push(`Storybook shows an error: ${sbError.slice(0, 200)}`);
    for (const message of pageErrors) {
      // msw (2.x, get-worker-instance) calls `registration.update()` on its existing worker without awaiting
      // it; when Chromium drops that update (e.g. one from the previous story is still running) the
      // rejection surfaces here. It concerns the mock worker's script, not the story: report, don't fail.
      if (/^Failed to update a ServiceWorker for scope .* with script .*\/mockServiceWorker\.js'\): Not found$/.test(message)) {
        warnings.push(`msw worker update rejected (ignored): ${message.slice(0, 120)}`);
      } else problems.push(`page error: ${message.slice(0, 200)}`);
    }
  } finally {
    page.off('pageerror', onError);
  }
  return { problems, warnings };
}

async function main() {
  const started = Date.now();
  const indexFile = join(staticDir, 'index.json');
  if (!existsSync(indexFile)) {
    console.error(`check-storybook: ${indexFile} not found; run \`npm run build-storybook\` first.`);
    return 2;
  }
  if (!existsSync(join(staticDir, 'mockServiceWorker.js'))) {
    console.error('check-storybook: mockServiceWorker.js is missing from the build (staticDirs in .storybook/main.ts).');
    return 1;
  }
  if (!existsSync(executablePath)) {
    console.error(`check-storybook: no Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH).`);
    return 2;
  }

  const index = JSON.parse(readFileSync(indexFile, 'utf8'));
  const storyIds = Object.values(index.entries)
    .filter((entry) => entry.type === 'story')
    .map((entry) => entry.id);
  const failures = [];
  for (const id of storyIds) if (!(id in EXPECT)) failures.push(`${id}: no expectation in scripts/check-storybook.mjs`);
  for (const id of Object.keys(EXPECT)) if (!storyIds.includes(id)) failures.push(`${id}: expected story is missing from the build`);
  const toRun = storyIds.filter((id) => id in EXPECT && (!only || id.includes(only)));

  const server = await startServer(staticDir);
  const { port } = server.address();
  const baseUrl = `http://127.0.0.1:${port}`;
  const profile = mkdtempSync(join(tmpdir(), 'check-storybook-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      viewport: { width: 1280, height: 900 },
      deviceScaleFactor: 2,
      reducedMotion: 'reduce',
      args: [...CHROMIUM_ARGS],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    for (const id of toRun) {
      const t0 = Date.now();
      let problems;
      let warnings = [];
      try {
        ({ problems, warnings } = await checkStory(page, baseUrl, id, EXPECT[id]));
      } catch (error) {
        problems = [`crashed: ${error instanceof Error ? error.message : String(error)}`];
      }
      const ms = Date.now() - t0;
      for (const warning of warnings) console.log(`warn ${id}: ${warning}`);
      if (problems.length === 0) console.log(`ok   ${id} (${ms} ms)`);
      else {
        console.log(`FAIL ${id} (${ms} ms)`);
        for (const problem of problems) {
          console.log(`       - ${problem}`);
          failures.push(`${id}: ${problem}`);
        }
      }
    }
  } finally {
    await context?.close().catch(() => undefined);
    const closed = new Promise((done) => server.close(() => done()));
    server.closeAllConnections();
    await closed;
    rmSync(profile, { recursive: true, force: true });
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (failures.length > 0) {
    console.error(`\ncheck-storybook: ${failures.length} problem(s) in ${seconds} s`);
    for (const failure of failures) console.error(`  ${failure}`);
    return 1;
  }
  console.log(`\ncheck-storybook: ${toRun.length} stories ok in ${seconds} s; screenshot in screenshots/all-states.png`);
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
