// 6. The hand-off a person can follow, on the desktop: the code gives way to "Continue on your phone"
// once a phone opens it; "Not you? Start again" ends that session for good; consent comes before any
// request; a failure says why. axe on each new view, light and dark.
import { test } from './fixtures.js';
import { scanBoth } from './axe.js';
import { assert, decodeQr, openDemo, ROOT, rootIn, screenshot, sessionResultCalls, sleep, trackApi, waitForState } from './helpers.js';
import { STATE_TIMEOUT_MS } from './settings.js';

test.use({ deviceScaleFactor: 1, reducedMotion: 'reduce' });

const GROUP_ID = /^group-\d{14}-[a-z0-9]{5}$/;

/** The session's status as the desktop would read it (a plain HTTP GET, no browser). */
async function statusOf(origin: string, sessionId: string) {
  const response = await fetch(`${origin}/api/liveness/sessions/${sessionId}`);
  assert(response.ok, `GET the status answered ${response.status}`);
  return (await response.json()) as { status: string; openedAt?: string; groupId?: string };
}

test('6. desktop QR → a phone opens the code → the desktop shows opened → Pass → verified; axe on opened', async ({ page, phone, origin, note }) => {
  const found: string[] = [];
  const created = await openDemo(page, origin);
  await waitForState(page, 'ready', 'qr');
  const qrUrl = await decodeQr(page);
  assert(qrUrl === created.qrUrl, `the code decodes to ${qrUrl}, the server issued ${created.qrUrl}`);

  await phone.goto(qrUrl);
  assert(new URL(phone.url()).pathname.startsWith('/mock-upstream/h5/'), `the code led the phone to ${new URL(phone.url()).pathname}`);
  // The next status poll says openedAt: the code is gone, "Continue on your phone".
  await waitForState(page, 'opened', 'qr');
  const text = (await page.textContent(ROOT)) ?? '';
  assert(text.includes('Continue on your phone'), `the opened view says: ${text}`);
  assert(text.includes('Keep this page open'), 'the opened view does not ask to keep the page open');
  assert(text.includes('Not you?'), 'the opened view offers no "Not you?"');
  assert((await page.$(`${ROOT} [data-slot="qrCode"], ${ROOT} a`)) === null, 'the code or a link is still on the page once the phone has it');
  assert((await statusOf(origin, created.sessionId)).openedAt, 'the server has no openedAt');
  await screenshot(page, 'handoff-opened-qr');
  await scanBoth(page, 'opened-qr', found, note);
  await page.getByLabel('Dark').setChecked(false);

  await phone.locator('[data-mock-outcome="pass"]').tap();
  await waitForState(page, 'verified');
  await screenshot(page, 'handoff-opened-then-verified');
  const groupId = await page.textContent('[data-testid="demo-group-id"]');
  assert(GROUP_ID.test(groupId ?? ''), `demo shows group id ${groupId}`);
  // The per-session count the Start again test relies on sees the result call that fetched the GroupId.
  const resultCalls = await sessionResultCalls(origin, created.sessionId);
  assert(resultCalls >= 1, `the demo counted ${resultCalls} result calls for a verified session`);
  assert(found.length === 0, `axe violations:\n        ${found.join('\n        ')}`);
});

test('6. "Not you? Start again" in opened: the old short link answers 410, the phone’s later Pass changes nothing', async ({ page, phone, origin }) => {
  const api = trackApi(page, origin);
  const deletes: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'DELETE') deletes.push(new URL(request.url()).pathname);
  });
  const created = await openDemo(page, origin);
  await waitForState(page, 'ready', 'qr');
  const oldQrUrl = await decodeQr(page);
  await phone.goto(oldQrUrl);
  await phone.locator('[data-mock-outcome="pass"]').waitFor({ timeout: 10_000 });
  await waitForState(page, 'opened', 'qr');
  const resultCallsBefore = await sessionResultCalls(origin, created.sessionId);

  // The person at the desktop did not scan it.
  await page.getByRole('button', { name: 'Start again' }).click();
  await waitForState(page, 'ready', 'qr');
  const newQrUrl = await decodeQr(page);
  assert(newQrUrl !== oldQrUrl, 'Start again shows the same code');
  assert(api.creates.length === 2, `${api.creates.length} create requests, want 2 (one per code)`);
  const deadline = Date.now() + STATE_TIMEOUT_MS;
  while (deletes.length === 0 && Date.now() < deadline) await sleep(50);
  assert(deletes.length === 1 && deletes[0] === `/api/liveness/sessions/${created.sessionId}`, `DELETE requests: ${deletes.join(', ') || 'none'}`);
  await screenshot(page, 'handoff-start-again-new-code');

  // The old code no longer opens anything, for a new phone or for the one that opened it.
  const fresh = await fetch(oldQrUrl, { redirect: 'manual' });
  assert(fresh.status === 410, `the old short link answers ${fresh.status}, want 410`);
  assert(fresh.headers.get('location') === null, 'the old short link still redirects');
  const cookies = await phone.context().cookies();
  const again = await fetch(oldQrUrl, { redirect: 'manual', headers: { Cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') } });
  assert(again.status === 410, `the old short link answers ${again.status} to the phone that opened it, want 410`);

  // The phone, still on the H5 page, passes: the old session stays expired, no result is fetched.
  await phone.locator('[data-mock-outcome="pass"]').tap();
  await phone.waitForURL((url) => url.pathname.endsWith('/callback'), { timeout: 10_000 });
  await phone.waitForSelector('[data-liveness-callback]', { timeout: 10_000 });
  const kind = await phone.getAttribute('[data-liveness-callback]', 'data-liveness-callback');
  assert(kind === 'expired', `the phone's callback page says ${kind}, want expired`);
  await screenshot(phone, 'handoff-phone-after-cancel');
  const old = await statusOf(origin, created.sessionId);
  assert(old.status === 'expired' && old.groupId === undefined, `the cancelled session reads ${JSON.stringify(old)}`);
  await sleep(2_500); // a poll or two of the desktop
  assert((await page.getAttribute(ROOT, 'data-state')) === 'ready', `the desktop left its new code: ${await page.getAttribute(ROOT, 'data-state')}`);
  assert((await page.$('[data-testid="demo-group-id"]')) === null, 'the desktop shows a group id');
  const resultCallsAfter = await sessionResultCalls(origin, created.sessionId);
  assert(resultCallsAfter === resultCallsBefore, `result calls for the cancelled session: ${resultCallsBefore} before Start again, ${resultCallsAfter} after`);
});

test('6. consent: no request until the person accepts; axe on the consent step', async ({ page, origin, note }) => {
  const found: string[] = [];
  const api = trackApi(page, origin);
  const posts: string[] = [];
  page.on('request', (request) => {
    if (request.method() !== 'GET') posts.push(`${request.method()} ${new URL(request.url()).pathname}`);
  });
  await page.goto(`${origin}/?consent`);
  await page.waitForSelector(`${rootIn('idle')} [data-slot="consentAccept"]`, { timeout: STATE_TIMEOUT_MS });
  const text = (await page.textContent(ROOT)) ?? '';
  assert(text.includes('BytePlus'), `the consent step does not name BytePlus: ${text}`);
  const policy = page.getByRole('link', { name: 'How your face data is used' });
  assert((await policy.getAttribute('href')) === '/privacy.html', `the policy link goes to ${await policy.getAttribute('href')}`);
  await screenshot(page, 'handoff-consent');
  await scanBoth(page, 'consent', found, note);
  await page.getByLabel('Dark').setChecked(false);
  await sleep(2_000);
  const createsBefore = api.creates.length;
  assert(createsBefore === 0 && posts.length === 0, `requests before consent: ${posts.join(', ') || `${createsBefore} creates`}`);
  assert(!(await page.isVisible('[data-testid="demo-consent"]')), 'consent recorded before acceptance');

  // Keyboard: focus the accept button and press Enter.
  await page.locator('[data-slot="consentAccept"]').focus();
  await page.keyboard.press('Enter');
  await waitForState(page, 'ready', 'qr');
  assert(api.creates.length === 1, `${api.creates.length} create requests after consent, want 1`);
  const at = await page.textContent('[data-testid="demo-consent"]');
  assert(at && !Number.isNaN(Date.parse(at)), `onConsent reported ${at}`);
  assert(found.length === 0, `axe violations:\n        ${found.join('\n        ')}`);
});

test('6. a failure with a device resultCode shows the device advice; axe on it', async ({ page, phone, origin, note }) => {
  const found: string[] = [];
  await openDemo(page, origin);
  await waitForState(page, 'ready', 'qr');
  await phone.goto(await decodeQr(page));
  // The simulated page's "Camera error" sends resultCode 40003 (a device problem).
  await phone.locator('[data-mock-outcome="camera"]').tap();
  await waitForState(page, 'failed');
  assert((await page.getAttribute(ROOT, 'data-reason')) === 'device', `data-reason is ${await page.getAttribute(ROOT, 'data-reason')}`);
  const text = (await page.textContent(ROOT)) ?? '';
  assert(text.includes('The camera couldn’t be used'), `the failed view says: ${text}`);
  assert(text.includes('Allow camera access'), 'no advice to allow the camera');
  assert(!text.includes('Verification didn’t succeed'), 'the generic failure text shows instead of the device advice');
  assert((await page.textContent('[data-testid="demo-reason"]')) === 'device', 'the demo does not show the reason');
  await screenshot(page, 'handoff-failed-device');
  await scanBoth(page, 'failed-device', found, note);
  assert(found.length === 0, `axe violations:\n        ${found.join('\n        ')}`);
});
