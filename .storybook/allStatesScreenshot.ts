/*
 * A Vitest setup file of the `storybook:light` project (vitest.config.ts), never part of Storybook's
 * build: once the all-states Grid story has passed its play function, it keeps a picture of every
 * state at desktop width in screenshots/all-states.png, for people reviewing a CSS change. The views of
 * the hand-off (opened, consent, failures by reason) also get a picture each, of the component alone,
 * in screenshots/stories/.
 */
import { afterEach, beforeEach } from 'vitest';
import { page } from 'vitest/browser';

const GRID = 'Grid';
/** Stories pictured one by one (test names as Vitest gives them), with their file name. */
const VIEWS: Record<string, string> = {
  'Opened On Phone': 'opened-qr',
  'Opened Checking': 'opened-checking',
  'Opened Link': 'opened-link',
  'Opened Zh TW': 'opened-zh-TW',
  Consent: 'consent',
  'Consent Zh CN': 'consent-zh-CN-dark',
  'Failed Device': 'failed-device',
  'Failed Liveness': 'failed-liveness',
  'Failed Unconfirmed': 'failed-unconfirmed',
  'Failed Device Zh CN': 'failed-device-zh-CN',
};

beforeEach(async ({ task }) => {
  if (task.name === GRID) await page.viewport(1280, 900);
});

// Registered after the Storybook addon's own hooks, so it runs before they unmount the story.
afterEach(async ({ task }) => {
  const view = VIEWS[task.name];
  if (view && task.result?.state !== 'fail') {
    await document.fonts.ready;
    const root = document.querySelector<HTMLElement>('[data-liveness-session]');
    if (root) await page.screenshot({ path: `../screenshots/stories/${view}.png`, element: root });
    return;
  }
  if (task.name !== GRID || task.result?.state === 'fail') return;
  await document.fonts.ready;
  // The tester frame shows only its viewport: make it as tall as the grid first.
  await page.viewport(1280, Math.ceil(document.documentElement.scrollHeight));
  await new Promise((done) => requestAnimationFrame(() => done(undefined)));
  // Relative to the story file (stories/AllStates.stories.tsx).
  await page.screenshot({ path: '../screenshots/all-states.png', element: document.body });
});
