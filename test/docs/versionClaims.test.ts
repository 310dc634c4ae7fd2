// @vitest-environment node
// Issue 29, item 8: the docs must not claim a version the package does not have. Versions and the
// changelog are written by `changeset version` at release (see .changeset/README.md): until then the
// pending changes live in .changeset/*.md, CHANGELOG.md ends at the version package.json says, and no
// page says something was "added in" a later one.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRepoFile } from './markdown.js';

const version = (JSON.parse(readRepoFile('package.json')) as { version: string }).version;
const parts = (text: string) => text.split('.').map(Number);
/** `a` > `b` for dotted versions (missing parts are 0). */
function newer(a: string, b: string): boolean {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i += 1) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  return false;
}

const listed = (dir: string, pattern: RegExp) =>
  readdirSync(new URL(`../../${dir}/`, import.meta.url))
    .filter((name) => pattern.test(name))
    .map((name) => `${dir}/${name}`);
const PAGES = ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', ...listed('stories', /\.mdx$/), ...listed('.changeset', /^(?!README).*\.md$/)];
// "added in 0.2", "since v0.3.0", "new in 1.0" (not "in 0.94 s" or "from 0.20 s": times are not versions).
const CLAIM = /\b(?:in|since|from|until|as of)\s+v?(\d+\.\d+(?:\.\d+)?)(?![\d.]|\s*(?:s|ms|KB|kB|MiB|%)\b)/gi;

describe(`the docs and the changelog agree with package.json (${version})`, () => {
  it('CHANGELOG.md has no section for a version the package does not have, and no "unreleased" one', () => {
    const headings = [...readRepoFile('CHANGELOG.md').matchAll(/^## (.*)$/gm)].map((match) => match[1]!);
    expect(headings.filter((heading) => /unreleased/i.test(heading))).toEqual([]);
    const versions = headings.map((heading) => /^v?(\d+\.\d+\.\d+)/.exec(heading)?.[1]);
    expect(versions.filter((v) => v === undefined || newer(v, version))).toEqual([]);
    if (versions.length > 0) expect(versions[0]).toBe(version);
  });

  it.each(PAGES)('%s claims no version newer than the package', (page) => {
    const claims = [...readRepoFile(page).matchAll(CLAIM)].filter((match) => newer(match[1]!, version)).map((match) => match[0]);
    expect(claims).toEqual([]);
  });
});
