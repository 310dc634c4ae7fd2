// @vitest-environment node
// The examples of the README and docs/ that name a file under docs/examples/ on their first line are that
// file, word for word: the files are type-checked (tsconfig.json includes docs/) and some are run (the
// end-to-end suite serves the mock both ways, test/docs/quickstartServer.test.ts runs the quick start's
// server, and `npm run test:unit` runs docs/examples/**/*.test.ts), so the docs show code that compiles
// and runs. After changing such a file (or `npm run format`), `UPDATE_DOCS=1 npx vitest run
// test/docs/examples.test.ts` copies each file into the blocks that show it.
import { existsSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { documentationPages, fencedBlocks, readRepoFile as read, repo } from './markdown.js';

const named = (page: string) =>
  fencedBlocks(read(page))
    .map(({ code, line }) => ({ page, line, code, path: /^\/\/ (docs\/examples\/\S+)\n/.exec(code)?.[1] }))
    .filter((block): block is { page: string; line: number; code: string; path: string } => block.path !== undefined);

/** `markdown` with each block that names a file of docs/examples/ replaced by that file, at the block's indent. */
function withFilesShown(markdown: string): string {
  const lines = markdown.split('\n');
  for (const block of fencedBlocks(markdown).reverse()) {
    const path = /^\/\/ (docs\/examples\/\S+)\n/.exec(block.code)?.[1];
    if (path === undefined || !existsSync(new URL(path, repo))) continue;
    const indent = /^ */.exec(lines[block.line - 1]!)![0];
    const close = lines.findIndex((text, j) => j >= block.line && text === `${indent}\`\`\``);
    const file = read(path)
      .trimEnd()
      .split('\n')
      .map((text) => (text ? `${indent}${text}` : text));
    lines.splice(block.line, close - block.line, ...file);
  }
  return lines.join('\n');
}

if (process.env.UPDATE_DOCS === '1') {
  for (const page of documentationPages()) {
    const updated = withFilesShown(read(page));
    if (updated !== read(page)) writeFileSync(new URL(page, repo), updated);
  }
}

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
