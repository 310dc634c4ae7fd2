// @vitest-environment node
// The examples of the README and docs/ that name a file under docs/examples/ on their first line are that
// file, word for word: the files are type-checked (tsconfig.json includes docs/) and some are run (the
// end-to-end suite serves the mock both ways, test/docs/quickstartServer.test.ts runs the quick start's
// server, and `npm run test:unit` runs docs/examples/**/*.test.ts), so the docs show code that compiles
// and runs.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { documentationPages, fencedBlocks, readRepoFile as read, repo } from './markdown.js';

const named = (page: string) =>
  fencedBlocks(read(page))
    .map(({ code, line }) => ({ page, line, code, path: /^\/\/ (docs\/examples\/\S+)\n/.exec(code)?.[1] }))
    .filter((block): block is { page: string; line: number; code: string; path: string } => block.path !== undefined);

const QUICK_START = [
  'docs/examples/quickstart/VerifyStep.tsx',
  'docs/examples/quickstart/server/liveness.ts',
  'docs/examples/quickstart/server/express.ts',
  'docs/examples/quickstart/app/api/liveness/[...path]/route.ts',
];

describe('examples backed by files', () => {
  const blocks = documentationPages().flatMap(named);

  it('the README’s quick start is the files of docs/examples/quickstart/, in order', () => {
    expect(named('README.md').map((block) => block.path)).toEqual(QUICK_START);
  });

  it('the docs show the mock setups and the test of a server half from files too', () => {
    expect(blocks.map((block) => block.path)).toEqual(
      expect.arrayContaining(['docs/examples/mock-upstream/mockUnderAPath.ts', 'docs/examples/mock-upstream/mockOnItsOwnPort.ts', 'docs/examples/testing/passTheCheck.test.ts']),
    );
  });

  it.each(blocks.map((block) => [`${block.page}:${block.line} ${block.path}`, block.path, block.code]))('%s is shown as it is in the file', (_where, path, code) => {
    expect(existsSync(new URL(path, repo)), `${path} exists`).toBe(true);
    expect(code.trimEnd()).toBe(read(path).trimEnd());
  });
});

describe('Storybook’s Getting started page', () => {
  const mdx = read('stories/GettingStarted.mdx');
  const shown = [...mdx.matchAll(/^import (\w+) from '\.\.\/(docs\/examples\/[^']+)\?raw';$/gm)].map((match) => ({ name: match[1]!, path: match[2]! }));

  it('shows the README’s quick start from the same files, in the same order', () => {
    expect(shown.map((file) => file.path)).toEqual(QUICK_START);
    const order = shown.map((file) => mdx.indexOf(`code={${file.name}}`));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});

