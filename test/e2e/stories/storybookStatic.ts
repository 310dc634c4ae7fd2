// The built Storybook (`npm run build-storybook` → storybook-static/) served on 127.0.0.1 for the story
// tests in Firefox and WebKit. Storybook's Vitest runner (@storybook/addon-vitest) drives browsers only
// through a Vitest browser provider: Playwright's (its BiDi Firefox fails on ESR 153 at newContext, and
// it has no WebKitGTK) or WebdriverIO's (needs geckodriver, which Debian does not ship). So these open
// each story's iframe themselves and read the result Storybook's preview reports.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';

const ROOT = join(import.meta.dirname, '../../../storybook-static');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export interface StoryEntry {
  id: string;
  title: string;
  name: string;
}

/** Every story of the build, in the order Storybook lists them. */
export function storiesOfBuild(): StoryEntry[] {
  const index = join(ROOT, 'index.json');
  if (!existsSync(index)) throw new Error('storybook-static/index.json is missing: run `npm run build-storybook` first (npm test does)');
  const entries = Object.values((JSON.parse(readFileSync(index, 'utf8')) as { entries: Record<string, StoryEntry & { type: string }> }).entries);
  return entries.filter((entry) => entry.type === 'story').map(({ id, title, name }) => ({ id, title, name }));
}

/** Serves storybook-static on a free 127.0.0.1 port; `close` stops it. */
export async function serveStorybook(): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(ROOT, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(ROOT)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => {
        res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
        res.end(body);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The iframe URL of one story, with the colour scheme global the story tests pin. */
export const storyUrl = (origin: string, id: string, scheme: 'light' | 'dark') => `${origin}/iframe.html?id=${encodeURIComponent(id)}&viewMode=story&globals=colorScheme:${scheme}`;
