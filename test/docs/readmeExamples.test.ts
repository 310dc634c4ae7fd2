// @vitest-environment node
// The README's examples that name a file under docs/examples/ on their first line are that file, word
// for word: the files are type-checked (tsconfig.json includes docs/) and some are run (the end-to-end
// suite serves the mock both ways), so the README shows code that compiles and runs.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codeBlocks, readRepoFile as read, repo } from './markdown.js';

const named = (markdown: string) =>
  codeBlocks(markdown)
    .map(({ code }) => ({ code, path: /^\/\/ (docs\/examples\/\S+)\n/.exec(code)?.[1] }))
    .filter((block): block is { code: string; path: string } => block.path !== undefined);

describe('README examples backed by files', () => {
  const blocks = named(read('README.md'));

  it('there are some (the quick start and both mock setups)', () => {
    expect(blocks.map((block) => block.path)).toEqual(
      expect.arrayContaining([
        'docs/examples/quickstart/VerifyStep.tsx',
        'docs/examples/quickstart/server/liveness.ts',
        'docs/examples/quickstart/server/express.ts',
        'docs/examples/quickstart/app/api/liveness/[...path]/route.ts',
        'docs/examples/mock-upstream/mockUnderAPath.ts',
        'docs/examples/mock-upstream/mockOnItsOwnPort.ts',
      ]),
    );
  });

  it.each(blocks.map((block) => [block.path, block.code]))('%s is shown as it is in the file', (path, code) => {
    expect(existsSync(new URL(path, repo)), `${path} exists`).toBe(true);
    expect(code.trimEnd()).toBe(read(path).trimEnd());
  });
});
