// Issue 22: the all-states grid rendered in WebKit (project `webkit-stories`): the Grid story of the
// built Storybook in MiniBrowser (a Mac Safari user agent, desktop width), its play function finished
// without error, and a picture of the whole grid kept in screenshots/all-states-webkit.png for people
// reviewing how Safari's engine draws every state. WebKitWebDriver shows only the viewport: the picture
// is stitched from one screenshot per viewport height.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { expect, test as base } from '../fixtures.js';
import { sleep } from '../helpers.js';
import { startWebKit, webkitPage, type WebKitServer } from '../engines/webkitPage.js';
import { serveStorybook, storiesOfBuild, storyUrl } from './storybookStatic.js';

const MAC_SAFARI = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const PICTURE = new URL('../../../screenshots/all-states-webkit.png', import.meta.url);

const test = base.extend<object, { storybook: string; webkit: WebKitServer }>({
  storybook: [
    async ({}, use) => {
      const server = await serveStorybook();
      await use(server.origin);
      await server.close();
    },
    { scope: 'worker' },
  ],
  webkit: [
    async ({}, use) => {
      const server = await startWebKit(1);
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ],
});

test('the all-states grid in WebKit: played without error, every cell in its state, kept as a picture', async ({ storybook, webkit, note }) => {
  const grid = storiesOfBuild().find((story) => story.id.endsWith('all-states--grid'));
  expect(grid, 'the Grid story is in the build').toBeTruthy();
  const { page, close } = await webkitPage(webkit, { width: 1280, height: 1400, scale: 1, userAgent: MAC_SAFARI }, storybook, 'stories');
  try {
    await page.goto(storyUrl(storybook, grid!.id, 'light'));
    // No init scripts over classic WebDriver: read the preview's own render phase instead of its events.
    const deadline = Date.now() + 60_000;
    let phase: string | undefined;
    while (Date.now() < deadline) {
      phase = await page
        .evaluate(() => (window as unknown as { __STORYBOOK_PREVIEW__?: { currentRender?: { phase?: string } } }).__STORYBOOK_PREVIEW__?.currentRender?.phase, null)
        .catch(() => undefined);
      if (phase === 'finished' || phase === 'errored') break;
      await sleep(200);
    }
    const errored = await page.evaluate(() => document.body.classList.contains('sb-show-errordisplay') || document.body.classList.contains('sb-show-nopreview'), null);
    expect(phase, 'the Grid story’s render phase in WebKit').toBe('finished');
    expect(errored, 'Storybook shows an error instead of the grid').toBe(false);
    const cells = await page.evaluate(() => {
      const frames = [...document.querySelectorAll('[data-expected-state]')];
      return frames.map((frame) => {
        const root = frame.querySelector('[data-liveness-session]');
        return { want: frame.getAttribute('data-expected-state'), got: root?.getAttribute('data-state') ?? null };
      });
    }, null);
    const wrong = cells.filter((cell) => cell.want !== cell.got);
    expect(cells.length, 'cells in the grid').toBeGreaterThan(20);
    expect(wrong, 'cells not in their state in WebKit').toEqual([]);

    // Stitch the whole grid from viewport screenshots.
    const size = await page.evaluate(() => ({ height: document.documentElement.scrollHeight, view: innerHeight }), null);
    const parts: PNG[] = [];
    for (let top = 0; top < size.height; top += size.view) {
      await page.evaluate((y) => window.scrollTo(0, y), top);
      await sleep(200);
      parts.push(PNG.sync.read(await page.screenshot()));
    }
    const scale = parts[0]!.height / size.view;
    const whole = new PNG({ width: parts[0]!.width, height: Math.round(size.height * scale) });
    parts.forEach((part, i) => {
      const y = Math.round(i * size.view * scale);
      // The last viewport is scrolled only as far as the page goes: take its bottom part.
      const height = Math.min(part.height, whole.height - y);
      PNG.bitblt(part, whole, 0, part.height - height, part.width, height, 0, y);
    });
    mkdirSync(new URL('.', PICTURE), { recursive: true });
    writeFileSync(fileURLToPath(PICTURE), PNG.sync.write(whole));
    note(`webkit: ${cells.length} cells in their states; picture in ${fileURLToPath(PICTURE)} (${whole.width}x${whole.height})`);
  } finally {
    await close();
  }
});
