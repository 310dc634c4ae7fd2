// Issue 15: a strict Content-Security-Policy. The demo serves its pages with `default-src 'self';
// script-src 'self'; style-src 'self'` (no inline script or style, no eval), and a whole verification,
// dark scheme included, runs under it without a single violation.
import { test } from './fixtures.js';
import { assert, openDemo, phonePress, ROOT, waitForState } from './helpers.js';

test('strict CSP: the demo page runs a whole verification with zero violations, styled', async ({ page, origin }) => {
  const page0 = await fetch(`${origin}/`);
  const policy = page0.headers.get('content-security-policy') ?? '';
  for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'"]) {
    assert(policy.includes(directive), `the demo's policy lacks ${directive}: ${policy}`);
  }
  assert(!/unsafe-inline|unsafe-eval|nonce-|sha256-/.test(policy), `the demo's policy allows inline code: ${policy}`);

  // Chromium reports every refused script, style or image as an event (and a console error, which the
  // fixture turns into a failure too): count them explicitly.
  await page.addInitScript(() => {
    (window as unknown as { violations: string[] }).violations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { violations: string[] }).violations.push(`${event.effectiveDirective} ${event.blockedURI}`);
    });
  });
  const created = await openDemo(page, origin);
  await waitForState(page, 'ready', 'qr');
  await page.waitForSelector(`${ROOT}[data-qr="drawn"] [data-slot="qrCode"] svg`);
  await page.getByLabel('Dark').setChecked(true);
  await page.waitForSelector(`${ROOT}[data-color-scheme="dark"]`);
  await phonePress(created.qrUrl!, 'pass');
  await waitForState(page, 'verified');

  const violations = await page.evaluate(() => (window as unknown as { violations: string[] }).violations);
  assert(violations.length === 0, `CSP violations: ${violations.join(', ')}`);
  // The stylesheet reached the page (a link, not an injected <style>), and the live region stays
  // hidden: its inline style is applied through the CSSOM, which the policy allows.
  const looks = await page.evaluate((root) => {
    const element = document.querySelector(root)!;
    const live = element.querySelector('[data-slot="liveRegion"]')!;
    return { radius: getComputedStyle(element).borderRadius, liveWidth: live.getBoundingClientRect().width };
  }, ROOT);
  assert(looks.radius !== '0px', `the component's stylesheet did not apply (border-radius ${looks.radius})`);
  assert(looks.liveWidth <= 1, `the live region is visible (${looks.liveWidth} px wide)`);
});
