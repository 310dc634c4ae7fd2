// 2. Expiry and refresh, against the demo whose sessions live EXPIRY_TTL_MS: the code is replaced
// three times on its own, then the page shows `expired`, and "Get a new code" makes one new session.
import { test } from './fixtures.js';
import { assert, decodeQr, readCreates, ROOT, screenshot, sleep, trackApi, waitForState, type CreateAnswer } from './helpers.js';
import { EXPIRY_TTL_MS } from './settings.js';

test(`2. expiry: code refreshed 3 times (TTL ${EXPIRY_TTL_MS} ms), then expired, then "Get a new code"`, async ({ page, shortOrigin: origin }) => {
  const api = trackApi(page, origin);
  const responses: CreateAnswer[] = [];
  // Read each create answer on its way to the page (a response body read later may be gone).
  await readCreates(page, origin, (_status, body) => responses.push(body));
  await page.goto(`${origin}/`);
  const seen: string[] = [];
  for (let i = 0; i < 4; i += 1) {
    // Each code: wait for its create answer, for `ready`, and decode it.
    while (responses.length <= i) await sleep(50);
    const created = responses[i]!;
    await page.waitForFunction(
      (sid) => document.querySelector('[data-testid="demo-status"]')?.textContent?.includes(sid) && document.querySelector('[data-liveness-session]')?.getAttribute('data-state') === 'ready',
      created.sessionId,
      { timeout: 15_000 },
    );
    const decoded = await decodeQr(page);
    assert(decoded === created.qrUrl, `code ${i + 1} decodes to ${decoded}, the server issued ${created.qrUrl}`);
    assert(!seen.includes(decoded), `code ${i + 1} repeats an earlier URL`);
    seen.push(decoded);
    if (i === 0) await screenshot(page, 'expiry-1-ready');
    if (i === 1) await screenshot(page, 'expiry-2-refreshed');
  }
  await waitForState(page, 'expired');
  await screenshot(page, 'expiry-3-expired');
  await sleep(500);
  const beforeExpired = api.creates.length;
  assert(beforeExpired === 4, `${beforeExpired} sessions before "expired", want 4 (1 + 3 refreshes)`);
  assert((await page.$(`${ROOT} [data-slot="qrCode"]`)) === null, 'an expired page still shows a QR code');
  const old = await fetch(seen[0]!, { redirect: 'manual' });
  assert(old.status === 410, `an expired code's URL answers ${old.status}, want 410`);

  await page.getByRole('button', { name: 'Get a new code' }).click();
  await waitForState(page, 'ready', 'qr');
  const fresh = await decodeQr(page);
  assert(!seen.includes(fresh), 'the new code repeats an old URL');
  assert(api.creates.length === 5, `"Get a new code" made ${api.creates.length - 4} create requests, want 1`);
  await screenshot(page, 'expiry-4-new-code');
});
