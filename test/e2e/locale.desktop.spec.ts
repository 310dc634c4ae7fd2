// Issue 29, item 1: an app that passes no `locale` (the demo at `/?locale=browser`) in a browser whose
// language is English or Chinese. The create request carries the browser's preferred locale, the
// phone's H5 page opens in it (`lng`), and the component's root says its text is English.
import { expect, test } from './fixtures.js';
import { assert, openDemo, ROOT, waitForState } from './helpers.js';

for (const [browserLocale, wire, pageLang] of [
  ['en-GB', 'en', 'en'],
  ['zh-CN', 'zh', 'zh'],
  ['zh-TW', 'zh-Hant', 'zh'],
] as const) {
  test.describe(`a ${browserLocale} browser, no locale prop`, () => {
    test.use({ locale: browserLocale });

    test(`sends locale ${wire}, and the phone's page opens with lng=${wire}`, async ({ page, phone, origin }) => {
      const bodies: unknown[] = [];
      page.on('request', (request) => {
        if (request.method() === 'POST' && request.url() === `${origin}/api/liveness/sessions`) bodies.push(request.postDataJSON());
      });
      const created = await openDemo(page, origin, '/?locale=browser');
      await waitForState(page, 'ready', 'qr');
      expect(bodies).toEqual([{ locale: wire, device: 'desktop', pageUrl: `${origin}/?locale=browser` }]);
      expect(await page.getAttribute(ROOT, 'lang')).toBe('en');

      // The short link the QR code encodes leads the phone to the page in that language.
      assert(typeof created.qrUrl === 'string', 'the create answer has no qrUrl');
      await phone.goto(created.qrUrl);
      const h5 = new URL(phone.url());
      expect(h5.searchParams.getAll('lng')).toEqual([wire]);
      expect(await phone.getAttribute('html', 'lang')).toBe(pageLang);
    });
  });
}
