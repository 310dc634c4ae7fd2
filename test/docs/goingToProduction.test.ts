// @vitest-environment node
// docs/going-to-production.md: its examples backed by files are those files, word for word (the .ts one
// is type-checked with the package), and its links lead somewhere. The doctor's outputs on the page are
// checked against real runs in test/cli/doctor.test.ts.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codeBlocks, readRepoFile as read, repo } from './markdown.js';

const PAGE = 'docs/going-to-production.md';
const page = read(PAGE);

describe(PAGE, () => {
  const named = codeBlocks(page)
    .map(({ code }) => ({ code, path: /^\/\/ (docs\/examples\/\S+)\n/.exec(code)?.[1] }))
    .filter((block): block is { code: string; path: string } => block.path !== undefined);

  it('shows the telemetry setup and the Redis Cluster setups from files', () => {
    expect(named.map((block) => block.path)).toEqual([
      'docs/examples/telemetry/instrumentation.mjs',
      'docs/examples/telemetry/liveness.ts',
      'docs/examples/redis/cluster.ts',
      'docs/examples/redis/ioredis.ts',
    ]);
  });

  it.each(named.map((block) => [block.path, block.code]))('%s is shown as it is in the file', (path, code) => {
    expect(code.trimEnd()).toBe(read(path).trimEnd());
  });

  it('every relative link names a file of the repository, every in-page link a heading', () => {
    const anchors = new Set(
      [...page.matchAll(/^#+ (.*)$/gm)].map((match) =>
        match[1]!
          .toLowerCase()
          .replace(/[^\w\s-]/g, '')
          .trim()
          .replace(/\s/g, '-'),
      ),
    );
    for (const [, target] of page.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (target!.startsWith('#')) expect(anchors, target).toContain(target!.slice(1));
      else if (!/^[a-z]+:/.test(target!)) expect(existsSync(new URL(target!.replace(/#.*$/, ''), new URL(PAGE, repo))), target).toBe(true);
    }
  });

  it('the README links to it from its contents', () => {
    expect(read('README.md').split('## Quick start')[0]).toContain('](./docs/going-to-production.md)');
  });
});
