// @vitest-environment node
// Issue 25, item 2: the README became a short page with its reference moved into docs/. Every relative
// link and #anchor in README.md, SECURITY.md, CONTRIBUTING.md and docs/**/*.md must lead to a file of
// the repository and, for an anchor, to a heading of that page (GitHub's anchors: lower case,
// punctuation dropped, spaces to hyphens). Comments in src/, stories and scripts that send a reader to
// a page of docs/ are held to the same.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { documentationPages, headingAnchor, headingAnchors, linkTargets, readRepoFile, repo } from './markdown.js';

const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i;

/** Why a link target of `page` does not resolve, or `undefined` when it does. */
function brokenLink(page: string, target: string): string | undefined {
  const [path, anchor] = target.split('#') as [string, string | undefined];
  const file = path === '' ? page : new URL(path, new URL(page, repo)).pathname.slice(new URL(repo).pathname.length);
  if (!existsSync(new URL(file, repo))) return `no file ${file}`;
  if (anchor === undefined) return undefined;
  if (!file.endsWith('.md')) return `an anchor into ${file}, which has no headings`;
  const anchors = headingAnchors(readRepoFile(file));
  return anchors.has(decodeURIComponent(anchor)) ? undefined : `no heading #${anchor} in ${file}`;
}

const pages = documentationPages();

describe('links in the documentation', () => {
  it('covers the README, SECURITY, CONTRIBUTING and every page of docs/', () => {
    expect(pages).toEqual(expect.arrayContaining(['README.md', 'SECURITY.md', 'CONTRIBUTING.md', 'docs/server.md', 'docs/types.md']));
  });

  it.each(pages)('%s: every relative link and #anchor resolves', (page) => {
    const broken = linkTargets(readRepoFile(page))
      .filter(({ target }) => !EXTERNAL.test(target))
      .map(({ target, line }) => ({ target, line, why: brokenLink(page, target) }))
      .filter(({ why }) => why !== undefined)
      .map(({ target, line, why }) => `${page}:${line} ${target}: ${why}`);
    expect(broken).toEqual([]);
  });

  it('the checker itself: a missing file, a missing heading and a good link', () => {
    expect(brokenLink('README.md', './docs/no-such-page.md')).toMatch(/no file docs\/no-such-page\.md/);
    expect(brokenLink('README.md', './docs/server.md#no-such-heading')).toMatch(/no heading #no-such-heading in docs\/server\.md/);
    expect(brokenLink('docs/server.md', '../README.md#quick-start')).toBeUndefined();
    expect(brokenLink('docs/server.md', '#options')).toBeUndefined();
    expect(headingAnchor("The phone's flow")).toBe('the-phones-flow');
    expect(headingAnchor('Check the setup: `npx react-liveness-session doctor`')).toBe('check-the-setup-npx-react-liveness-session-doctor');
    expect(headingAnchor('Pushed results (Server-Sent Events)')).toBe('pushed-results-server-sent-events');
    expect(headingAnchors('# A\n## A\n```\n# not a heading\n```\n')).toEqual(new Set(['a', 'a-1']));
  });
});

/** Files under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(new URL(`${dir}/`, repo)).flatMap((name) => {
    const path = `${dir}/${name}`;
    return statSync(new URL(path, repo)).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('pages of docs/ named in the code', () => {
  const named = ['src', 'stories', 'scripts', '.storybook']
    .flatMap(filesUnder)
    .filter((file) => /\.(ts|tsx|mjs|mdx)$/.test(file))
    .flatMap((file) => [...readRepoFile(file).matchAll(/\bdocs\/([\w-]+\.md)(#[\w-]+)?/g)].map((match) => ({ file, page: `docs/${match[1]}`, anchor: match[2] })));

  it('some are (the option comments and the stories point readers there)', () => {
    expect(named.length).toBeGreaterThan(0);
  });

  it.each(named.map(({ file, page, anchor }) => [`${file} → ${page}${anchor ?? ''}`, page, anchor]))('%s', (_label, page, anchor) => {
    expect(existsSync(new URL(page, repo)), `${page} exists`).toBe(true);
    if (anchor) expect(headingAnchors(readRepoFile(page))).toContain(anchor.slice(1));
  });

  it('no comment or story sends a reader to a section of the README that moved to docs/', () => {
    const stale = ['src', 'stories', '.storybook']
      .flatMap(filesUnder)
      .filter((file) => /\.(ts|tsx|mdx)$/.test(file))
      .filter((file) => /\b(see|in) the README\b|README(\.md)?#/i.test(readRepoFile(file)));
    expect(stale).toEqual([]);
  });
});
