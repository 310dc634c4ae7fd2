// The README npm shows. The repository's README starts with what a contributor types on a fresh clone
// (`npm ci && npm start`, `npm ci && npm test`: a project rule); in `node_modules` those mean nothing,
// and its links to CONTRIBUTING.md, SECURITY.md, docs/… would be dead (only dist, README and LICENSE
// ship). So packing swaps in a README for people who install the package: the same text with the
// clone's commands moved to a section at the end, and relative links made absolute on the repository.
//
//   node scripts/npm-readme.mjs prepack     README.md → the npm version (the original kept aside)
//   node scripts/npm-readme.mjs postpack    puts the original back (not during `npm publish`, which
//                                           reads the README again after packing: postpublish does)
//   node scripts/npm-readme.mjs restore     puts the original back (postpublish; or by hand)
//   node scripts/npm-readme.mjs print       prints the npm version, changes nothing
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const README = 'README.md';
/** Where the repository's README waits while the npm one is in its place (git shows it if left over). */
const KEPT = '.README.repository.md';

/** `git+https://github.com/o/r.git` → `https://github.com/o/r`. */
export function repositoryWebUrl(pkg) {
  const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  if (!url) throw new Error('package.json has no repository url: the npm README links to it');
  return url
    .replace(/^git\+/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
}

/**
 * The npm README from the repository's: the block of clone commands right under the introduction, with
 * the paragraph right after it, moves to a "Working on this package" section at the end; every relative
 * link points at the file in the repository (`blob/main/…`, folders `tree/main/…`) and every relative
 * image at its raw bytes (`raw/main/…`: a `blob` page is HTML, which npm cannot show as a picture).
 */
export function npmReadme(text, webUrl) {
  const block = /\n```sh\n(?:npm ci[^\n]*\n)+```\n/.exec(text);
  if (!block) throw new Error('README.md has no block of `npm ci` commands under its introduction: nothing to move');
  if (text.indexOf('\n## ', block.index) === -1) throw new Error('README.md has no section after its clone commands');
  // The block and the paragraph that explains it (up to the next blank line); what follows stays.
  const blank = text.indexOf('\n\n', block.index + block[0].length - 1);
  const end = blank === -1 ? text.length : blank + 1;
  const moved = text.slice(block.index, end).trim();
  const body = `${text.slice(0, block.index)}\n${text.slice(end).replace(/^\n+/, '').trimEnd()}\n`;
  const absolute = (target, image) => {
    const path = target.replace(/^\.\//, '');
    return `${webUrl}/${image ? 'raw' : path.endsWith('/') ? 'tree' : 'blob'}/main/${path}`;
  };
  const linked = (markdown) => markdown.replace(/(!?)\[([^\]]*)\]\((?![a-z][a-z0-9+.-]*:|#)([^)\s]+)\)/gi, (_match, bang, label, target) => `${bang}[${label}](${absolute(target, bang === '!')})`);
  const section = `\n## Working on this package\nFrom a clone of [the repository](${webUrl}):\n${moved}\n`;
  return linked(body + section);
}

function prepack() {
  // A pack that died before postpack left the npm README in place: start again from the original.
  if (existsSync(KEPT)) renameSync(KEPT, README);
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  const original = readFileSync(README, 'utf8');
  const packed = npmReadme(original, repositoryWebUrl(pkg));
  renameSync(README, KEPT);
  writeFileSync(README, packed);
}

function restore() {
  if (existsSync(KEPT)) renameSync(KEPT, README);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const command = process.argv[2];
  if (command === 'prepack') prepack();
  else if (command === 'postpack') {
    if (process.env.npm_command !== 'publish') restore();
  } else if (command === 'restore') restore();
  else if (command === 'print') {
    const source = existsSync(KEPT) ? KEPT : README;
    process.stdout.write(npmReadme(readFileSync(source, 'utf8'), repositoryWebUrl(JSON.parse(readFileSync('package.json', 'utf8')))));
  } else {
    console.error('usage: node scripts/npm-readme.mjs prepack | postpack | restore | print');
    process.exit(2);
  }
}
