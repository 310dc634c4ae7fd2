// 5. The axe scans' shared step: the demo's Dark switch, then axe on the component, light and dark.
import type { Page } from '@playwright/test';
import { axeScan, ROOT, screenshot } from './helpers.js';

/** Scans the component in the light and the dark scheme; violations are added to `found`. */
export async function scanBoth(page: Page, name: string, found: string[], note: (text: string) => void) {
  for (const dark of [false, true]) {
    await page.getByLabel('Dark').setChecked(dark);
    await page.waitForSelector(`${ROOT}[data-color-scheme="${dark ? 'dark' : 'light'}"]`);
    const label = `${name}-${dark ? 'dark' : 'light'}`;
    await screenshot(page, `axe-${label}`);
    for (const violation of await axeScan(page)) {
      found.push(`${label}: ${violation.id} (${violation.impact}) ${violation.help}: ${violation.nodes.join(' | ')}`);
    }
    note(`axe ${label}: scanned`);
  }
}
