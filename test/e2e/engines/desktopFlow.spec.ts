// Issue 22: the desktop half in Firefox (`firefox-desktop`, a Linux Firefox user agent) and WebKit
// (`webkit-desktop`, a Mac Safari user agent): the QR code read from the engine's own rendering, a
// phone (plain HTTP) passing, the outcome pushed over the event stream; the stream cut mid-session;
// "Not you? Start again"; a failure with its reason; consent; no CSP violation; issue 24's "Can't scan?
// Send the link to your phone" (the form this engine loads and draws, the demo's outbox, a phone over
// plain HTTP). Chromium runs the same ground in the desktop project's own specs (qr, handOff,
// streamFault, csp, sendLink, whose phone is a real browser).
import { assert, phonePress, ROOT, sleep } from '../helpers.js';
import { clientStats, decodeQrIn, rootText, waitForState, waitUntil, type EnginePage } from './enginePage.js';
import { test } from './fixtures.js';
import { defaultDisplayTextEn } from '../../../src/react/text/displayText.js';
import { sendLinkTextEn } from '../../../src/react/sendLink/sendLinkTextEn.js';

const en = { ...defaultDisplayTextEn, ...sendLinkTextEn };

const cspViolations = (page: EnginePage) => page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? ['the CSP watch did not load'], null);
const shownSession = (page: EnginePage) => page.evaluate(() => document.querySelector('[data-testid="demo-session-id"]')?.textContent ?? null, null);

async function showsCode(page: EnginePage, origin: string, query = '') {
  await page.goto(`${origin}/${query}`);
  await waitForState(page, 'ready', 'qr');
  const qrUrl = await decodeQrIn(page);
  assert(new URL(qrUrl).origin === origin && new URL(qrUrl).pathname.includes('/l/'), `the code decodes to ${new URL(qrUrl).pathname}, not the short link`);
  const sessionId = await shownSession(page);
  assert(sessionId, 'the demo shows no session id');
  return { qrUrl, sessionId };
}

test('desktop: the QR code as this engine draws it → a phone passes → verified, pushed over the stream; no status polls while waiting; no CSP violation', async ({ open, origin, shot, note }) => {
  const { page, client } = await open();
  const { qrUrl } = await showsCode(page, origin);
  await shot(page, 'ready-qr');
  await sleep(500);
  const waiting = await clientStats(origin, client);
  assert(waiting.events === 1, `${waiting.events} event streams opened, want 1`);
  const pressed = Date.now();
  await phonePress(qrUrl, 'pass');
  await waitForState(page, 'verified');
  const ms = Date.now() - pressed;
  const after = await clientStats(origin, client);
  note(`${page.engine}: Pass → verified on the desktop in ${ms} ms (pushed); ${after.status - waiting.status} status requests while waiting`);
  // The stream carried it: a status poll comes at most every 30 s while the stream is up.
  assert(after.status - waiting.status <= 1, `${after.status - waiting.status} status requests while the stream was up`);
  const violations = await cspViolations(page);
  assert(violations.length === 0, `CSP violations: ${violations.join(', ')}`);
  const again = await fetch(qrUrl, { redirect: 'manual' });
  assert(again.status === 410, `the used code answers ${again.status}, want 410`);
  await shot(page, 'qr-verified');
});

test('desktop: the stream drops mid-session → the page keeps learning (polls or reconnects) and gets the outcome once', async ({ open, origin, allowConsole, note }) => {
  // Firefox logs a dropped stream as a console error ("The connection to … was interrupted").
  allowConsole(/interrupted|EventSource|connection/i);
  const { page, client } = await open();
  const { qrUrl, sessionId } = await showsCode(page, origin);
  await sleep(500);
  await page.evaluate((root) => {
    const element = document.querySelector(root)!;
    const seen: string[] = [];
    (window as unknown as { seenStates: string[] }).seenStates = seen;
    new MutationObserver(() => seen.push(element.getAttribute('data-state') ?? '')).observe(element, { attributes: true, attributeFilter: ['data-state'] });
  }, ROOT);
  const before = await clientStats(origin, client);
  const dropped = (await (await fetch(`${origin}/demo/drop-streams?session=${encodeURIComponent(sessionId)}`, { method: 'POST' })).json()) as { dropped: number };
  assert(dropped.dropped === 1, `the demo dropped ${dropped.dropped} streams of this session, want 1`);
  // Within a few seconds the page asks again: a status poll, or the browser's own reconnection.
  const deadline = Date.now() + 10_000;
  let now = before;
  while (Date.now() < deadline) {
    now = await clientStats(origin, client);
    if (now.status > before.status || now.events > before.events) break;
    await sleep(200);
  }
  note(`${page.engine}: after the drop, ${now.status - before.status} status polls and ${now.events - before.events} reconnections`);
  assert(now.status > before.status || now.events > before.events, 'nothing asked after the stream dropped');
  await phonePress(qrUrl, 'pass');
  await waitForState(page, 'verified');
  await sleep(2500);
  const seen = await page.evaluate(() => (window as unknown as { seenStates: string[] }).seenStates, null);
  assert(seen.filter((state) => state === 'verified').length === 1, `states seen: ${seen.join(' → ')}`);
});

test('desktop: a phone opens the code → "Continue on your phone" → "Not you? Start again" → a new code; the old one answers 410', async ({ open, origin, shot }) => {
  const { page, client } = await open();
  const { qrUrl, sessionId } = await showsCode(page, origin);
  const opened = await fetch(qrUrl, { redirect: 'manual' });
  assert(opened.status === 302, `the phone's GET of the code answered ${opened.status}`);
  await waitForState(page, 'opened', 'qr');
  const text = await rootText(page);
  assert(text.includes(en.openedTitle) && text.includes(en.notYouText), `the opened view says: ${text}`);
  assert(await page.evaluate((root) => document.querySelector(`${root} a, ${root} [data-slot="qrCode"]`) === null, ROOT), 'the code or a link is still shown once a phone has it');
  await shot(page, 'opened-by-phone');
  await page.click(`${ROOT} [data-slot="startAgain"]`);
  await waitForState(page, 'ready', 'qr');
  const fresh = await decodeQrIn(page);
  assert(fresh !== qrUrl, 'Start again shows the same code');
  assert((await shownSession(page)) !== sessionId, 'Start again kept the session');
  let stats = await clientStats(origin, client);
  for (let tries = 0; tries < 30 && stats.cancel === 0; tries += 1) {
    await sleep(100);
    stats = await clientStats(origin, client);
  }
  assert(stats.cancel === 1, `${stats.cancel} cancel requests, want 1`);
  const old = await fetch(qrUrl, { redirect: 'manual' });
  assert(old.status === 410, `the old code answers ${old.status}, want 410`);
});

test('desktop: a failed check says why (the camera)', async ({ open, origin, shot }) => {
  const { page } = await open();
  const { qrUrl } = await showsCode(page, origin);
  await phonePress(qrUrl, 'camera');
  await waitForState(page, 'failed');
  const reason = await page.evaluate((root) => document.querySelector(root)?.getAttribute('data-reason'), ROOT);
  assert(reason === 'device', `data-reason is ${reason}`);
  const text = await rootText(page);
  assert(text.includes(en.failedDeviceTitle) && text.includes(en.failedDeviceText), `the failed view says: ${text}`);
  await shot(page, 'failed-device');
});

test('desktop: consent first: nothing is sent until the person accepts; then the code', async ({ open, origin }) => {
  const { page, client } = await open();
  await page.goto(`${origin}/?consent`);
  await waitUntil(page, (root) => document.querySelector(`${root} [data-slot="consentAccept"]`) !== null, ROOT, 'the accept button');
  await sleep(1500);
  const before = await clientStats(origin, client);
  assert(before.create === 0 && before.status === 0 && before.events === 0, `requests before consent: ${JSON.stringify(before)}`);
  await page.click(`${ROOT} [data-slot="consentAccept"]`);
  await waitForState(page, 'ready', 'qr');
  await decodeQrIn(page);
  assert((await clientStats(origin, client)).create === 1, 'accepting made no create request');
});

test('desktop: "Can’t scan?" → the form (a chunk this engine loads) → an SMS to the demo outbox → a phone opens it and passes → verified', async ({ open, origin, shot, note }) => {
  const { page, client } = await open();
  const { qrUrl } = await showsCode(page, origin);
  // The offer is a lazily loaded part: until it is in, an empty element holds its place in its slot.
  await waitUntil(page, (root) => document.querySelector(`${root} button[data-slot="sendLinkOpen"]`) !== null, ROOT, 'the offer’s button');
  await page.click(`${ROOT} button[data-slot="sendLinkOpen"]`);
  await waitUntil(page, (root) => document.activeElement === document.querySelector(`${root} [data-slot="sendLinkInput"]`), ROOT, 'the form, its field focused');
  // A number of its own: the outbox is shared by the tests running beside this one.
  const number = `+447700${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  await page.type(`${ROOT} [data-slot="sendLinkInput"]`, `${number.slice(0, 3)} ${number.slice(3, 7)} ${number.slice(7)}`);
  await page.click(`${ROOT} [data-slot="sendLinkSubmit"]`);
  const sent = en.sendLinkSentText.replace('{to}', `•••• ${number.slice(-4)}`);
  await waitUntil(page, ([root, text]) => document.querySelector(`${root} [data-slot="sendLinkStatus"]`)?.textContent === text, [ROOT, sent] as const, `"${sent}"`);
  await shot(page, 'send-link-sent');
  const stats = await clientStats(origin, client);
  assert(stats.send === 1 && stats.create === 1, `requests: ${JSON.stringify(stats)}`);
  // The phone reads its message from the outbox: the code's own one-device link, never the H5 link.
  const outbox = (await (await fetch(`${origin}/demo/outbox?to=${encodeURIComponent(number)}`)).json()) as { messages: { channel: string; link: string }[] };
  assert(outbox.messages.length === 1 && outbox.messages[0]!.channel === 'sms', `the outbox holds ${JSON.stringify(outbox.messages.map((m) => m.channel))}`);
  assert(outbox.messages[0]!.link === qrUrl, 'the message carries another link than the code');
  const pressed = Date.now();
  await phonePress(outbox.messages[0]!.link, 'pass');
  await waitForState(page, 'verified');
  note(`${page.engine}: texted link → Pass → verified on the desktop in ${Date.now() - pressed} ms`);
});
