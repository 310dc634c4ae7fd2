// The two devices of the end-to-end suite (Playwright projects `desktop` and `phone`; the QR round
// trip also opens a phone context from a desktop test).
import type { BrowserContextOptions } from '@playwright/test';

export const DESKTOP = {
  viewport: { width: 1280, height: 800 },
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
  deviceScaleFactor: 2,
  isMobile: false,
  hasTouch: false,
} satisfies BrowserContextOptions;

export const IPHONE = {
  viewport: { width: 390, height: 844 },
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
} satisfies BrowserContextOptions;
