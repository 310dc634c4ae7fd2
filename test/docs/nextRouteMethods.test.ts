// @vitest-environment node
// Issue 29, item 8: a Next.js route file answers only the methods it exports (others get 405 from
// Next, before the handler sees them). Every Next.js route the docs show, and the Next.js consumer
// app's, must export each method the handler serves: without DELETE, "Start again" cannot cancel.
import { describe, expect, it } from 'vitest';
import { createLivenessHandler } from '../../src/server.js';
import { createMockUpstream } from '../../src/testing.js';
import { codeBlocks, documentationPages, readRepoFile } from './markdown.js';

/** The methods the handler serves, learned from the handler: the `Allow` header of each route's 405. */
async function servedMethods(): Promise<string[]> {
  const mock = createMockUpstream();
  const handler = createLivenessHandler({ apiKey: 'test-key-not-secret', fetch: mock.fetch, publicUrl: 'https://app.example.test', backgroundTimers: false });
  const routes = ['/sessions', '/sessions/FAKE-id', '/sessions/FAKE-id/events', '/callback', '/l/FAKE-key'];
  const methods = new Set<string>();
  for (const route of routes) {
    const response = await handler(new Request(`https://app.example.test${handler.basePath}${route}`, { method: 'PATCH' }));
    expect(response.status, `PATCH ${route}`).toBe(405);
    for (const method of response.headers.get('Allow')!.split(',')) methods.add(method.trim());
  }
  return [...methods].sort();
}

const METHOD = /export\s+(?:const|(?:async\s+)?function)\s+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b/g;
const exported = (code: string) => [...new Set([...code.matchAll(METHOD)].map((match) => match[1]!))].sort();

/** Every Next.js route the docs show: each code block (or each line of one) that exports a method handler. */
function docRoutes(): [string, string[]][] {
  const routes: [string, string[]][] = [];
  for (const file of [...documentationPages(), 'stories/GettingStarted.mdx']) {
    for (const [index, { code }] of codeBlocks(readRepoFile(file)).entries()) {
      if (!METHOD.test(code)) continue;
      METHOD.lastIndex = 0;
      // A one-line summary (`// Next.js: export const GET = liveness; …`) counts on its own.
      const lines = code.split('\n').filter((line) => /^\s*\/\/.*export const (GET|POST)/.test(line));
      for (const line of lines) routes.push([`${file}, code block ${index + 1}: ${line.trim().slice(0, 60)}`, exported(line)]);
      const rest = code
        .split('\n')
        .filter((line) => !lines.includes(line))
        .join('\n');
      if (exported(rest).length > 0) routes.push([`${file}, code block ${index + 1}`, exported(rest)]);
    }
  }
  return routes;
}

describe('Next.js routes export every method the handler serves', () => {
  it('the handler serves GET, HEAD, POST and DELETE', async () => {
    expect(await servedMethods()).toEqual(['DELETE', 'GET', 'HEAD', 'POST']);
  });

  it('the docs show Next.js routes (README, docs/)', () => {
    expect(docRoutes().length).toBeGreaterThanOrEqual(3);
  });

  it.each(docRoutes())('%s', async (_where, methods) => {
    expect(methods).toEqual(await servedMethods());
  });

  it.each(['test/consumers/nextjs/app/api/liveness/[...path]/route.ts', 'docs/examples/quickstart/app/api/liveness/[...path]/route.ts'])('%s', async (path) => {
    expect(exported(readRepoFile(path))).toEqual(await servedMethods());
  });
});
