// 2. QR scannability: version and module count at the level the component picks, and the smallest
// rendered size that still decodes after a simulated cheap phone camera (see lib/degrade.mjs).
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { QRCodeSVG } from 'qrcode.react';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { launchChromium } from './lib/browser.mjs';
import { CAMERA, HFOV_DEG, MM_PER_CSS_PX, PREVIEW_PX, scaleAtDistance, toGray } from './lib/degrade.mjs';
import { startAppServer } from './lib/pages.mjs';
import { seededRandom } from './lib/stats.mjs';
/* global window, document -- used only inside functions that run in the browser (page.evaluate and the like) */

export const DEFAULT_QR_SIZE = 200; // src/react/views/views.tsx
export const MARGIN = 4; // modules of quiet zone, the component's default
const PASS_RATE = 0.95;
const LEVELS = ['L', 'M', 'Q', 'H'];
// CAMERA.scale is one distance (~22 cm, see scaleAtDistance); the sweep asks how close the phone must be.
const SWEEP_CM = [10, 15, 22]; // ~10 cm: a cheap phone's minimum focus distance
const REACH_CM = [10, 12, 15, 18, 22, 26, 30, 35, 40, 50];
const REACH_SIZES = [96, DEFAULT_QR_SIZE]; // the issue's goal size and the default
const SWEEP_EXTRA_SIZES = [64]; // closer than ~22 cm a code below the 80 px grid may decode

/** src/react/views/qrErrorCorrection.ts, copied: the benchmark reports what the component picks. */
export function componentLevel(text) {
  if (text.length <= 46) return 'Q';
  if (text.length <= 62) return 'M';
  return 'L';
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function randomText(random, length, alphabet = ALNUM) {
  let text = '';
  for (let i = 0; i < length; i += 1) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}

/** An older-style H5 link with fake STS credentials (as src/testing/fakeH5Link.ts builds them), exactly `length` characters. */
export function fakeH5Link(length, seed) {
  const random = seededRandom(seed);
  const params = [
    ['accessKeyId', `FAKEAKLT${randomText(random, 24)}`],
    ['secretAccessKey', `FAKESK${randomText(random, 34)}`],
    ['sessionToken', 'FAKE'],
    ['configId', `FAKE-cfg-${randomText(random, 8).toLowerCase()}-${randomText(random, 12).toLowerCase()}`],
    ['region', 'ap-singapore-1'],
    ['bytedToken', `20260702221642${randomText(random, 18, '0123456789ABCDEF')}`],
    ['lng', 'en'],
  ];
  const build = () => `https://h5-v2.kych5.com/liveness-face/authorization?${params.map(([k, v]) => `${k}=${v}`).join('&')}`;
  params[2][1] = `FAKE${randomText(random, length - build().length)}`;
  const link = build();
  if (link.length !== length) throw new Error(`fake link is ${link.length} characters, want ${length}`);
  return link;
}

// The short link's key: its 16 random bytes as 22 base64url characters (src/server/shortLink.ts), or with
// `uppercaseShortLink` as 26 base32 characters (A-Z, 2-7) in an all upper-case URL, which a QR code
// holds in alphanumeric mode (5.5 bits a character instead of 8).
const shortId = (seed) => randomText(seededRandom(seed), 22, `${ALNUM}-_`);
const upperKey = (seed) => randomText(seededRandom(seed), 26, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');

export function qrCases() {
  const longLink = fakeH5Link(900, 99);
  return [
    { name: 'H5 link, 600 chars', h5Link: fakeH5Link(600, 1) },
    { name: 'H5 link, 900 chars', h5Link: fakeH5Link(900, 2) },
    { name: 'H5 link, 1,200 chars', h5Link: fakeH5Link(1200, 3) },
    { name: 'short link, http://127.0.0.1', h5Link: longLink, qrUrl: `http://127.0.0.1:5173/api/liveness/l/${shortId(4)}` },
    { name: 'short link, https', h5Link: longLink, qrUrl: `https://app.example.com/api/liveness/l/${shortId(5)}` },
    { name: 'short link, https, long host', h5Link: longLink, qrUrl: `https://identity.accounts.example.com/api/liveness/l/${shortId(6)}` },
    { name: 'upper-case short link, HTTP://127.0.0.1', h5Link: longLink, qrUrl: `HTTP://127.0.0.1:5173/API/LIVENESS/L/${upperKey(7)}` },
    { name: 'upper-case short link, HTTPS', h5Link: longLink, qrUrl: `HTTPS://APP.EXAMPLE.COM/API/LIVENESS/L/${upperKey(8)}` },
    { name: 'upper-case short link, HTTPS, long host', h5Link: longLink, qrUrl: `HTTPS://IDENTITY.ACCOUNTS.EXAMPLE.COM/API/LIVENESS/L/${upperKey(9)}` },
  ];
}

function svgOf(value, props) {
  const markup = renderToStaticMarkup(createElement(QRCodeSVG, { value, size: 200, marginSize: MARGIN, ...props }));
  const viewBox = Number(/viewBox="0 0 (\d+) \d+"/.exec(markup)[1]);
  const path = /<path[^>]* d="([^"]+)"[^>]*fill="#000000"|<path[^>]*fill="#000000"[^>]* d="([^"]+)"/.exec(markup);
  return { modules: viewBox - 2 * MARGIN, markup, path: path ? (path[1] ?? path[2]) : markup };
}

/** Version, module count and the level actually used (qrcode.react boosts the level when it fits). */
export function qrGeometry(value, level) {
  const picked = svgOf(value, { level });
  const effective = LEVELS.find((l) => svgOf(value, { level: l, boostLevel: false }).path === picked.path) ?? level;
  const versionAt = Object.fromEntries(LEVELS.map((l) => [l, (svgOf(value, { level: l, boostLevel: false }).modules - 17) / 4]));
  return { level, effectiveLevel: effective, version: (picked.modules - 17) / 4, modules: picked.modules, versionAt };
}

/** Cuts the code plus `pad` px of page around it out of a full-page screenshot. */
function crop(full, box, pad) {
  const x0 = Math.max(0, Math.floor(box.x) - pad);
  const y0 = Math.max(0, Math.floor(box.y) - pad);
  const width = Math.min(full.width - x0, Math.ceil(box.width) + 2 * pad);
  const height = Math.min(full.height - y0, Math.ceil(box.height) + 2 * pad);
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y += 1) full.data.copy(data, y * width * 4, ((y0 + y) * full.width + x0) * 4, ((y0 + y) * full.width + x0 + width) * 4);
  return { data, width, height };
}

function pool(size) {
  const workers = Array.from({ length: size }, () => new Worker(new URL('./lib/decodeWorker.mjs', import.meta.url)));
  const idle = [...workers];
  const queue = [];
  const waiting = new Map();
  let nextId = 0;
  const pump = () => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop();
      const job = queue.shift();
      waiting.set(job.message.id, { ...job, worker });
      worker.postMessage(job.message);
    }
  };
  for (const worker of workers) {
    worker.on('message', (msg) => {
      const job = waiting.get(msg.id);
      waiting.delete(msg.id);
      idle.push(worker);
      job.resolve(msg);
      pump();
    });
  }
  return {
    run(message) {
      return new Promise((resolve) => {
        queue.push({ message: { ...message, id: nextId++ }, resolve });
        pump();
      });
    },
    close: () => Promise.all(workers.map((w) => w.terminate())),
  };
}

/**
 * The short links (and the 600-character H5 link at the default size) with the phone at a given
 * distance instead of the fixed CAMERA.scale: the smallest size decoding at each of SWEEP_CM, and the
 * farthest of REACH_CM from which 96 px and 200 px still decode. Same screenshots, same workers, same
 * pass rate and trials; only the camera's scale changes (scaleAtDistance), jitter, rotation, blur and
 * noise stay. The seed does not depend on the distance, so every distance sees the same random draws
 * (rotation, jitter, offset) and a difference between distances is the distance's.
 */
async function sweepDistances({ cases, shots, workers, trials, maxFailures, sizes, extraSizes, log }) {
  const results = new Map(); // `${case}@${size}@${cm}` → promise, so no pair is run twice
  const atDistance = (c, size, cm) => {
    const key = `${c.name}@${size}@${cm}`;
    if (!results.has(key)) {
      const scale = scaleAtDistance(cm);
      const shot = shots.get(`${c.name}@${size}`);
      // The code has to fit in the preview too (only matters for big codes up close).
      const fits = shot.rendered * scale * (1 + CAMERA.scaleJitter) <= PREVIEW_PX;
      results.set(
        key,
        workers.run({ image: shot.image, camera: { ...CAMERA, scale }, trials, seed: size * 1000 + c.chars, expected: c.value, maxFailures }).then(({ ok, run }) => ({
          rate: Number((ok / run).toFixed(2)),
          trials: run,
          pass: fits && run === trials && ok / trials >= PASS_RATE,
          ...(fits ? {} : { fits }),
        })),
      );
    }
    return results.get(key);
  };
  const rates = (list) => Object.fromEntries(list.map(([k, r]) => [k, r.rate]));

  // Ascending, stopping at the first size that passes (the main sweep's minSize): below it the
  // failures stop early, so a distance costs about one full run of trials, not one per size.
  const smallest = async (c, cm) => {
    const tried = [];
    let minSize = null;
    for (const size of [...sizes, ...extraSizes]) {
      const r = await atDistance(c, size, cm);
      tried.push([size, r]);
      if (r.pass) {
        minSize = size;
        break;
      }
    }
    return { scale: Number(scaleAtDistance(cm).toFixed(3)), minSize, rates: rates(tried) };
  };

  const reach = async (c, size) => {
    const byCm = await Promise.all(REACH_CM.map(async (cm) => [cm, await atDistance(c, size, cm)]));
    const passes = byCm.filter(([, r]) => r.pass).map(([cm]) => cm);
    // Farthest passing distance, and the farthest up to which every nearer distance passes (rates are
    // not monotonic in the scale, as they are not in the size).
    const firstFail = byCm.find(([, r]) => !r.pass)?.[0];
    const reliableToCm = firstFail === undefined ? REACH_CM.at(-1) : (REACH_CM.filter((cm) => cm < firstFail).at(-1) ?? null);
    return { farthestCm: passes.at(-1) ?? null, reliableToCm, rates: rates(byCm) };
  };

  const picked = cases.filter((c) => c.qrUrl || c.chars === 600); // the short links, the shortest H5 link
  const out = await Promise.all(
    picked.map(async (c) => {
      const short = Boolean(c.qrUrl);
      const [smallestAt, reachAt] = await Promise.all([
        short ? Promise.all(SWEEP_CM.map(async (cm) => [cm, await smallest(c, cm)])) : [],
        Promise.all((short ? REACH_SIZES : [DEFAULT_QR_SIZE]).map(async (size) => [size, await reach(c, size)])),
      ]);
      const entry = { name: c.name, chars: c.chars, version: c.version, modules: c.modules, encodes: short ? 'qrUrl' : 'h5Link' };
      if (short) entry.smallestSize = Object.fromEntries(smallestAt);
      entry.reach = Object.fromEntries(reachAt);
      log(
        `${c.name}: ${short ? `smallest ${SWEEP_CM.map((cm) => `${entry.smallestSize[cm].minSize ?? '>640'} px @ ${cm} cm`).join(', ')}; ` : ''}` +
          Object.entries(entry.reach)
            .map(([size, r]) => `${size} px up to ${r.farthestCm ?? '–'} cm`)
            .join(', '),
      );
      return entry;
    }),
  );
  return {
    model: {
      previewPx: PREVIEW_PX,
      hfovDeg: HFOV_DEG,
      mmPerCssPx: MM_PER_CSS_PX,
      scaleAtCm: Object.fromEntries(REACH_CM.map((cm) => [cm, Number(scaleAtDistance(cm).toFixed(3))])),
    },
    smallestSizeCm: SWEEP_CM,
    sizes: [...sizes],
    reachCm: REACH_CM,
    cases: out,
  };
}

export async function qrBench({ quick, pagesDir, log }) {
  const trials = quick ? 20 : 50;
  const maxFailures = Math.floor(trials * (1 - PASS_RATE) + 1e-9);
  const sizes = [];
  for (let s = 80; s <= 320; s += 16) sizes.push(s);
  sizes.push(DEFAULT_QR_SIZE); // 200 is not on the 16 px grid
  sizes.sort((a, b) => a - b);
  const extraSizes = [384, 448, 512, 576, 640];
  const cases = qrCases().map((c) => {
    const value = c.qrUrl ?? c.h5Link;
    return { ...c, value, chars: value.length, ...qrGeometry(value, c.level ?? componentLevel(value)) };
  });

  const startedAt = Date.now();
  const server = await startAppServer(pagesDir);
  const browser = await launchChromium({ deviceScaleFactor: 1, viewport: { width: 1800, height: 900 } });
  const shots = new Map();
  try {
    const { page } = browser;
    await page.goto(`${server.origin}/qr.html`);
    await page.waitForFunction(() => window.benchReady === true);
    await page.evaluate(() => (document.getElementById('root').style.padding = '24px'));
    for (const size of [...SWEEP_EXTRA_SIZES, ...sizes, ...extraSizes]) {
      const boxes = await page.evaluate((args) => window.showQrs(args), { cases: cases.map(({ h5Link, qrUrl, level }) => ({ h5Link, qrUrl, level })), size });
      const full = PNG.sync.read(await page.screenshot({ fullPage: true }));
      cases.forEach((c, i) => {
        const box = boxes[i];
        if (box.viewBox !== c.modules + 2 * MARGIN) throw new Error(`${c.name}: the component drew ${box.viewBox} modules, Node ${c.modules + 2 * MARGIN}`);
        const png = crop(full, box, 16);
        shots.set(`${c.name}@${size}`, { image: toGray(png), rendered: box.width, png });
      });
    }
  } finally {
    await browser.close();
    await server.close();
  }

  const shotsMs = Date.now() - startedAt;
  const workers = pool(Math.max(1, Math.min(4, cpus().length)));
  let distanceSweep;
  try {
    for (const c of cases) {
      c.sizes = {};
      const runSize = async (size) => {
        const shot = shots.get(`${c.name}@${size}`);
        // Sanity: the undegraded screenshot must decode to the value (otherwise the render is wrong).
        const clean = jsQR(new Uint8ClampedArray(shot.png.data), shot.png.width, shot.png.height);
        const { ok, run } = await workers.run({ image: shot.image, trials, seed: size * 1000 + c.chars, expected: c.value, maxFailures });
        c.sizes[size] = { rate: Number((ok / run).toFixed(2)), trials: run, pass: run === trials && ok / trials >= PASS_RATE, cleanDecodes: clean?.data === c.value };
        return c.sizes[size].pass;
      };
      await Promise.all(sizes.map(runSize));
      c.minSize = sizes.find((s) => c.sizes[s].pass) ?? null;
      // Smallest grid size from which every larger grid size passes too (rates are not monotonic:
      // at fractional pixels per module some sizes draw uneven modules).
      const fails = sizes.filter((s) => !c.sizes[s].pass);
      c.reliableFrom = fails.length === 0 ? sizes[0] : fails.at(-1) === sizes.at(-1) ? null : sizes[sizes.indexOf(fails.at(-1)) + 1];
      if (c.minSize === null) {
        for (const size of extraSizes) {
          if (await runSize(size)) {
            c.minSize = size;
            break;
          }
        }
      }
      const total = c.modules + 2 * MARGIN;
      c.pxPerModuleAtDefault = Number((DEFAULT_QR_SIZE / total).toFixed(2));
      c.pxPerModuleNeeded = (c.reliableFrom ?? c.minSize) ? Number(((c.reliableFrom ?? c.minSize) / total).toFixed(2)) : null;
      c.defaultDecodes = c.sizes[DEFAULT_QR_SIZE].pass;
      c.decodesAt96 = c.sizes[96].pass;
      log?.(`  ${Date.now() - startedAt} ms qr: ${c.name}: v${c.version} ${c.effectiveLevel} ${c.modules} modules, min size ${c.minSize ?? '>640'} px, 200 px ${c.defaultDecodes ? 'ok' : 'FAILS'}`);
    }
    distanceSweep = await sweepDistances({
      cases,
      shots,
      workers,
      trials,
      maxFailures,
      sizes: [...SWEEP_EXTRA_SIZES, ...sizes],
      extraSizes,
      log: (line) => log?.(`  ${Date.now() - startedAt} ms qr: ${line}`),
    });
  } finally {
    await workers.close();
  }
  // A size rule: the most screen pixels per module (quiet zone included) the short links needed; the
  // long links are reported apart (most never reach the pass rate below 640 px with this decoder).
  const rule = (list) => {
    const needed = list.map((c) => c.pxPerModuleNeeded).filter((x) => x !== null);
    return needed.length ? Math.max(...needed) : null;
  };
  const pxPerModule = rule(cases.filter((c) => !c.whatIf && c.qrUrl));
  const pxPerModuleLong = rule(cases.filter((c) => !c.qrUrl));
  return {
    timing: { screenshotsMs: shotsMs, totalMs: Date.now() - startedAt },
    trials,
    passRate: PASS_RATE,
    camera: CAMERA,
    sizes,
    cases: cases.map(({ h5Link, qrUrl, value, ...rest }) => ({ ...rest, encodes: qrUrl ? 'qrUrl' : 'h5Link', sample: value.slice(0, 48) + '…' })),
    sizeRule: pxPerModule && {
      pxPerModule,
      rule: `size = max(${DEFAULT_QR_SIZE}, ceil(${pxPerModule} × (modules + ${2 * MARGIN})))`,
      longLinksPxPerModule: pxPerModuleLong,
      longLinksDecodedBelow640: cases.filter((c) => !c.qrUrl && c.minSize).map((c) => c.name),
    },
    distanceSweep,
  };
}
