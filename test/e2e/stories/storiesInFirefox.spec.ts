// Issue 22: every story of the built Storybook in a second engine, Firefox ESR (project
// `firefox-stories`): its play function must finish without error (read from the `storyFinished`
// event Storybook's preview emits, which also carries the a11y addon's own report), then axe-core
// scans the story's root, in the light and the dark scheme, as the Chromium story tests do.
import axe from 'axe-core';
import type { Browser, Page } from 'puppeteer-core';
import { test as base, expect } from '../fixtures.js';
import { launchFirefox } from '../engines/firefoxPage.js';
import { serveStorybook, storiesOfBuild, storyUrl, type StoryEntry } from './storybookStatic.js';

interface Finished {
  type: string;
  status?: string;
  message?: string;
  reports?: { type: string; status: string }[];
}

const test = base.extend<object, { storybook: string; firefox: Browser }>({
  storybook: [
    async ({}, use) => {
      const server = await serveStorybook();
      await use(server.origin);
      await server.close();
    },
    { scope: 'worker' },
  ],
  firefox: [
    async ({}, use) => {
      const browser = await launchFirefox();
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],
});

/** Listens to the preview's channel from the first moment: Storybook assigns it to this global. */
function listenToPreview() {
  const results: unknown[] = [];
  (window as unknown as { storyResults: unknown[] }).storyResults = results;
  let channel: { on: (event: string, listener: (payload: never) => void) => void } | undefined;
  Object.defineProperty(window, '__STORYBOOK_ADDONS_CHANNEL__', {
    configurable: true,
    get: () => channel,
    set(value: typeof channel) {
      channel = value;
      value!.on('storyFinished', (event: { status: string; reporters: { type: string; status: string }[] }) =>
        results.push({ type: 'finished', status: event.status, reports: event.reporters.map((r) => ({ type: r.type, status: r.status })) }),
      );
      value!.on('playFunctionThrewException', (error: { message?: string }) => results.push({ type: 'play threw', message: error?.message }));
      value!.on('storyThrewException', (error: { message?: string }) => results.push({ type: 'story threw', message: error?.message }));
      value!.on('storyErrored', (error: { title?: string; description?: string }) => results.push({ type: 'story errored', message: `${error?.title}: ${error?.description}` }));
      value!.on('storyMissing', () => results.push({ type: 'story missing' }));
    },
  });
}

async function runStory(page: Page, url: string): Promise<Finished[]> {
  await page.evaluateOnNewDocument(listenToPreview);
  await page.goto(url, { waitUntil: 'load' });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const results = await page.evaluate(() => (window as unknown as { storyResults?: Finished[] }).storyResults ?? []);
    if (results.some((result) => result.type === 'finished' || result.type === 'story missing')) return results;
    if (Date.now() > deadline) return [...results, { type: 'timeout', message: 'no storyFinished within 30 s' }];
    await new Promise((done) => setTimeout(done, 100));
  }
}

let stories: StoryEntry[] = [];
let missing: string | undefined;
try {
  stories = storiesOfBuild();
} catch (error) {
  missing = (error as Error).message;
}

if (missing) {
  test('the built Storybook is there', () => {
    throw new Error(missing);
  });
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`stories in Firefox, ${scheme}`, () => {
    for (const story of stories) {
      test(`${story.title} › ${story.name} (${scheme})`, async ({ firefox, storybook }) => {
        const context = await firefox.createBrowserContext();
        try {
          const page = await context.newPage();
          await page.setViewport({ width: 1280, height: 900 });
          const errors: string[] = [];
          page.on('pageerror', (error) => {
            const message = String((error as Error).message ?? error);
            // How msw's HttpResponse.error() (the network-error stories) looks in Firefox: the point of those stories.
            if (!/A ServiceWorker passed an Error Response to FetchEvent\.respondWith\(\)/.test(message)) errors.push(message);
          });
          const results = await runStory(page, storyUrl(storybook, story.id, scheme));
          const finished = results.find((result) => result.type === 'finished');
          const problems = results.filter((result) => result.type !== 'finished').map((result) => `${result.type}: ${result.message ?? ''}`);
          expect(problems, `the story's play function in Firefox`).toEqual([]);
          expect(finished?.status, `storyFinished (reports: ${JSON.stringify(finished?.reports)})`).toBe('success');
          // axe-core, as the Chromium story tests run it (all default rules, contrast included), on the story's root.
          await page.addScriptTag({ content: axe.source });
          const violations = await page.evaluate(async () => {
            const run = (window as unknown as { axe: typeof axe }).axe.run;
            const result = await run(document.querySelector('#storybook-root')!, { resultTypes: ['violations'] });
            return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
          });
          expect(violations, 'axe violations in Firefox').toEqual([]);
          expect(errors, 'page errors').toEqual([]);
        } finally {
          await context.close();
        }
      });
    }
  });
}
