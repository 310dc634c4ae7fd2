// Issue 24: "Can't scan? Send the link to your phone", end to end in Chromium. The desktop sends the code's
// link by SMS to the demo's outbox (its sendLink); a phone opens the link from the outbox page, a second
// phone opening the same link gets "opened on another phone", the first passes, and the desktop shows
// verified. axe on the form, light and dark.
import { test } from './fixtures.js';
import { scanBoth } from './axe.js';
import { IPHONE } from './devices.js';
import { assert, openDemo, ROOT, screenshot, trackApi, waitForState } from './helpers.js';
import { STATE_TIMEOUT_MS } from './settings.js';

test.use({ deviceScaleFactor: 1, reducedMotion: 'reduce' });

/** A number of its own for each run: the outbox is shared by the tests that run beside this one. */
const uniqueNumber = () => `+447700${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;

test('desktop sends an SMS to the outbox → a phone opens it from there, a second phone is turned away → Pass → verified', async ({ page, phone, browser, watch, origin, note, allowConsole }) => {
  // The second phone's page comes with 409 (the link is another phone's), which Chromium logs.
  allowConsole(/Failed to load resource: the server responded with a status of 409/);
  const found: string[] = [];
  const api = trackApi(page, origin);
  const sends: { body: unknown; ownerKey: string | null }[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/send')) sends.push({ body: request.postDataJSON(), ownerKey: request.headers()['liveness-owner-key'] ?? null });
  });
  const created = await openDemo(page, origin);
  await waitForState(page, 'ready', 'qr');
  assert(typeof created.sendUrl === 'string', 'the demo’s create answer offers no sendUrl');

  // The form is a lazy chunk: nothing of it until the person opens it.
  const open = page.getByRole('button', { name: 'Can’t scan? Send the link to your phone' });
  await open.click();
  const form = page.getByRole('form', { name: 'Send the link to your phone' });
  await form.waitFor({ timeout: STATE_TIMEOUT_MS });
  const field = form.getByLabel('Your mobile number, with the country code');
  assert(await field.evaluate((input) => input === document.activeElement), 'the field does not have the focus once the form opens');
  await screenshot(page, 'send-link-form');
  await scanBoth(page, 'send-link-form', found, note);
  await page.getByLabel('Dark').setChecked(false);

  const number = uniqueNumber();
  // As a person writes it: spaces; the form sends E.164.
  await field.pressSequentially(`${number.slice(0, 3)} ${number.slice(3, 7)} ${number.slice(7)}`);
  await form.getByRole('button', { name: 'Send link' }).click();
  const status = page.locator(`${ROOT} [data-slot="sendLinkStatus"]`);
  await status.filter({ hasText: `Sent to •••• ${number.slice(-4)}. Open it on your phone.` }).waitFor({ timeout: STATE_TIMEOUT_MS });
  assert(sends.length === 1, `${sends.length} send requests, want 1`);
  assert(JSON.stringify(sends[0]!.body) === JSON.stringify({ channel: 'sms', to: number }), `the page sent ${JSON.stringify(sends[0]!.body)}`);
  assert(sends[0]!.ownerKey === created.ownerKey, 'the send carried no owner key, or another one');
  assert((await page.$(`${ROOT} [data-slot="qrCode"] svg`)) !== null, 'the QR code is gone once the link was sent');
  await screenshot(page, 'send-link-sent');
  await scanBoth(page, 'send-link-sent', found, note);
  await page.getByLabel('Dark').setChecked(false);

  // The phone: its messages (the demo's outbox), then the link in the newest one.
  await phone.goto(`${origin}/demo/outbox?to=${encodeURIComponent(number)}`);
  const message = phone.locator('[data-outbox-message]');
  assert((await message.count()) === 1, `the outbox holds ${await message.count()} messages for this number`);
  const link = (await message.locator('a').getAttribute('href'))!;
  assert(link === created.qrUrl, `the message carries ${new URL(link).pathname}, not the code’s short link`);
  assert(!link.includes('mock-upstream'), 'the message carries the H5 link');
  await message.locator('a').tap();
  await phone.waitForURL((url) => url.pathname.startsWith('/mock-upstream/h5/'), { timeout: STATE_TIMEOUT_MS });
  await waitForState(page, 'opened', 'qr');
  const opened = (await page.textContent(ROOT)) ?? '';
  assert(opened.includes('Continue on your phone'), `the opened view says: ${opened}`);

  // Whoever else opens the same link (a forwarded message): the one-device page, no check.
  const second = await browser.newContext({ ...IPHONE });
  watch(second, 'second phone');
  const secondPhone = await second.newPage();
  const turnedAway = await secondPhone.goto(link);
  assert(turnedAway?.status() === 409, `the second phone got ${turnedAway?.status()}, want 409`);
  const kind = await secondPhone.getAttribute('[data-liveness-callback]', 'data-liveness-callback');
  assert(kind === 'opened_elsewhere', `the second phone’s page says ${kind}`);
  assert(!secondPhone.url().includes('mock-upstream'), 'the second phone reached the check');
  await screenshot(secondPhone, 'send-link-second-phone');
  await second.close();

  await phone.locator('[data-mock-outcome="pass"]').tap();
  await waitForState(page, 'verified');
  assert(api.creates.length === 1, `${api.creates.length} create requests, want 1`);
  await screenshot(page, 'send-link-verified');
  assert(found.length === 0, `axe violations:\n        ${found.join('\n        ')}`);
});

test('desktop: a number without its country code is refused in words, before any request', async ({ page, origin }) => {
  const sends: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/send')) sends.push(request.url());
  });
  await openDemo(page, origin);
  await waitForState(page, 'ready', 'qr');
  await page.getByRole('button', { name: 'Can’t scan? Send the link to your phone' }).click();
  const form = page.getByRole('form', { name: 'Send the link to your phone' });
  const field = form.getByLabel('Your mobile number, with the country code');
  await field.pressSequentially('07700 900123');
  await page.keyboard.press('Enter');
  await page.locator(`${ROOT} [data-slot="sendLinkStatus"]`).filter({ hasText: 'Enter your mobile number with its country code' }).waitFor({ timeout: STATE_TIMEOUT_MS });
  assert((await field.getAttribute('aria-invalid')) === 'true', 'the field is not marked invalid');
  assert(sends.length === 0, `${sends.length} send requests for an invalid number`);
});
