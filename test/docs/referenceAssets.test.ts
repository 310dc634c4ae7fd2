// @vitest-environment node
// docs/reference-assets.md (issue 26): linked from the README's contents, its examples the files under
// docs/examples/assets/ word for word (type-checked with the rest of docs/), and every source file it
// names as where a fact is used exists.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codeBlocks, readRepoFile as read, repo } from './markdown.js';

const page = read('docs/reference-assets.md');

describe('docs/reference-assets.md', () => {
  it('is linked from the README’s contents under its title', () => {
    const contents = read('README.md').split('## Quick start')[0]!;
    expect(contents).toContain('[After verification: reference assets](./docs/reference-assets.md)');
    expect(page.split('\n')[0]).toBe('# After verification: reference assets');
  });

  const named = codeBlocks(page)
    .map(({ code }) => ({ code, path: /^\/\/ (docs\/examples\/\S+)\n/.exec(code)?.[1] }))
    .filter((block): block is { code: string; path: string } => block.path !== undefined);

  it('shows the server and the browser example', () => {
    expect(named.map((block) => block.path)).toEqual(['docs/examples/assets/liveness.ts', 'docs/examples/assets/ReferencePhotos.tsx']);
  });

  it.each(named.map((block) => [block.path, block.code]))('%s is shown as it is in the file', (path, code) => {
    expect(code.trimEnd()).toBe(read(path).trimEnd());
  });

  it('every source file its facts table names exists', () => {
    const table = page.split('## What the upstream does')[1]!.split('## Measured')[0]!;
    const files = [...table.matchAll(/`((?:server|core|upstream|routes)\/[\w/]+\.ts)`/g)].map((match) => match[1]!);
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const path = ['src/', 'src/server/'].map((prefix) => `${prefix}${file}`).find((candidate) => existsSync(new URL(candidate, repo)));
      expect(path, `${file} exists under src/`).toBeDefined();
    }
  });

  it('quotes the measured numbers (no placeholder left)', () => {
    expect(page).not.toContain('MEASURED-NUMBERS');
  });
});
