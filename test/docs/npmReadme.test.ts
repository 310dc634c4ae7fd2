// @vitest-environment node
// Issue 29, item 5: the repository's README starts with the two commands a contributor types on a
// fresh clone (a project rule); the README npm shows (written at pack time by scripts/npm-readme.mjs)
// starts with the install instead, and its links work outside the repository. scripts/check-pack.mjs
// checks the same on the real tarball.
import { describe, expect, it } from 'vitest';
import { npmReadme, repositoryWebUrl } from '../../scripts/npm-readme.mjs';
import { codeBlocks, readRepoFile } from './markdown.js';

const readme = readRepoFile('README.md');
const web = repositoryWebUrl(JSON.parse(readRepoFile('package.json')) as { repository?: { url?: string } });
const packed = npmReadme(readme, web);
const links = (markdown: string) => [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);

describe('the repository README', () => {
  it('starts with the two commands a newcomer types on a fresh clone', () => {
    expect(
      codeBlocks(readme)[0]!
        .code.split('\n')
        .map((line) => line.split('#')[0]!.trim())
        .filter(Boolean),
    ).toEqual(['npm ci && npm start', 'npm ci && npm test']);
  });

  it('package.json names the repository the npm README links to', () => {
    expect(web).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
  });
});

describe('the README npm shows', () => {
  it('starts with the install; the clone’s commands come in a section at the end', () => {
    expect(codeBlocks(packed)[0]!.code).toMatch(/^npm install react-liveness-session @tanstack\/react-query\n/);
    expect(packed.indexOf('npm ci')).toBeGreaterThan(packed.indexOf('\n## Working on this package\n'));
    expect(packed).toMatch(/\n## Working on this package\nFrom a clone of \[the repository\]\(https:\/\/github\.com\/[^)]+\):\n```sh\nnpm ci && npm start/);
  });

  it('keeps everything else: the same sections, in the same order, and every code block', () => {
    const headings = (markdown: string) => markdown.match(/^## .*$/gm)!;
    expect(headings(packed)).toEqual([...headings(readme), '## Working on this package']);
    expect(codeBlocks(packed).length).toBe(codeBlocks(readme).length);
  });

  it('has only absolute or in-page links; the relative ones point at the repository', () => {
    expect(links(packed).filter((target) => !/^(https:\/\/|#)/.test(target))).toEqual([]);
    const relative = [...readme.matchAll(/(!?)\[[^\]]*\]\(([^)\s]+)\)/g)]
      .map((match) => ({ image: match[1] === '!', target: match[2]! }))
      .filter(({ target }) => !/^([a-z][a-z0-9+.-]*:|#)/i.test(target));
    expect(relative.length).toBeGreaterThan(0);
    for (const { image, target } of relative) {
      // Pictures by their raw bytes (a blob page is HTML, which npm cannot show as an image).
      const kind = image ? 'raw' : target.endsWith('/') ? 'tree' : 'blob';
      expect(links(packed)).toContain(`${web}/${kind}/main/${target.replace(/^\.\//, '')}`);
    }
  });

  it('shows the screenshot right under the introduction, by an absolute address', () => {
    const image = /!\[[^\]]+\]\((https:\/\/[^)]+\.png)\)/.exec(packed);
    expect(image?.[1]).toMatch(new RegExp(`^${web}/raw/main/docs/images/`));
    expect(packed.indexOf(image![0])).toBeLessThan(packed.indexOf('\n## Contents\n'));
  });

  it('moves only the clone block and the paragraph that explains it', () => {
    const moved = packed.slice(packed.indexOf('\n## Working on this package\n'));
    expect(moved).toContain('npm ci && npm test');
    expect(moved).not.toContain('![');
    expect(moved.split('\n\n').length).toBe(1);
  });

  it('refuses a README without the clone block, rather than guess', () => {
    expect(() => npmReadme('# x\n\nintro\n\n## Quick start\n', web)).toThrow(/npm ci/);
  });
});
