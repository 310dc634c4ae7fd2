// Chromium through playwright-core, Debian's executable, a fresh temp profile per launch (TOOLCHAIN.md).
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/lib/chromium.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const executablePath = CHROMIUM_PATH;
const ARGS = [...CHROMIUM_ARGS];

/** Launches Chromium; `close()` closes it and removes its profile. Extra `args` are appended. */
export async function launchChromium({ deviceScaleFactor = 1, viewport = { width: 1000, height: 800 }, args = [] } = {}) {
  process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
  const profile = mkdtempSync(join(tmpdir(), 'liveness-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport,
    deviceScaleFactor,
    args: [...ARGS, ...args],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const close = async () => {
    await context.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, close, version: context.browser()?.version() };
}
