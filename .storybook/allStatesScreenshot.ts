/*
 * A Vitest setup file of the `storybook:light` project (vitest.config.ts), never part of Storybook's
 * build: once the all-states Grid story has passed its play function, it keeps a picture of every
 * state at desktop width in screenshots/all-states.png, for people reviewing a CSS change.
 */
import { afterEach, beforeEach } from 'vitest';
import { page } from 'vitest/browser';

const GRID = 'Grid';

beforeEach(async ({ task }) => {
  if (task.name === GRID) await page.viewport(1280, 900);
});

// Registered after the Storybook addon's own hooks, so it runs before they unmount the story.
afterEach(async ({ task }) => {
  if (task.name !== GRID || task.result?.state === 'fail') return;
  await document.fonts.ready;
  // The tester frame shows only its viewport: make it as tall as the grid first.
  await page.viewport(1280, Math.ceil(document.documentElement.scrollHeight));
  await new Promise((done) => requestAnimationFrame(() => done(undefined)));
  // Relative to the story file (stories/AllStates.stories.tsx).
  await page.screenshot({ path: '../screenshots/all-states.png', element: document.body });
});
