// Packs the library as npm would publish it and checks the tarball: only dist, README and LICENSE
// inside, exports resolve for every consumer (attw, ESM-only profile), package.json lint (publint),
// the bin (`npx react-liveness-session doctor`) is there, executable, and runs from the unpacked
// tarball alone, and the README npm shows is written for people who install the package: the install
// comes first, the clone's commands come later, and no link points at a file the tarball lacks.
// Packing leaves the repository's own README as it was.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync as readFile, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const bin = (name) => join('node_modules', '.bin', name);
const dir = mkdtempSync(join(tmpdir(), 'liveness-pack-'));
const repoReadme = readFile('README.md', 'utf8');
try {
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { encoding: 'utf8' });
  if (readFile('README.md', 'utf8') !== repoReadme) throw new Error("packing changed the repository's README.md (postpack did not restore it)");
  const [info] = JSON.parse(out.slice(out.indexOf('[')));
  const tarball = join(dir, info.filename);
  const files = info.files.map((f) => f.path).sort();
  const stray = files.filter((f) => !(f.startsWith('dist/') || f === 'README.md' || f === 'LICENSE' || f === 'package.json'));
  if (stray.length) throw new Error(`unexpected files in the tarball: ${stray.join(', ')}`);
  for (const required of ['dist/index.js', 'dist/index.d.ts', 'dist/locales.js', 'dist/locales.d.ts', 'dist/assets.js', 'dist/assets.d.ts', 'dist/styles.css', 'README.md', 'LICENSE']) {
    if (!files.includes(required)) throw new Error(`missing from the tarball: ${required}`);
  }
  const leaked = files.filter((f) => /\.(test|stories)\.|mockServiceWorker/.test(f));
  if (leaked.length) throw new Error(`test or story files in the tarball: ${leaked.join(', ')}`);
  // RSC bundlers need the directive first in the client entries, and nowhere in the server entry.
  const { readFileSync } = await import('node:fs');
  for (const entry of ['dist/index.js', 'dist/assets.js']) {
    if (!/^["']use client["'];/.test(readFileSync(entry, 'utf8'))) throw new Error(`${entry} does not start with 'use client'`);
  }
  // The locales are plain data that server components import too.
  for (const entry of ['dist/server.js', 'dist/locales.js']) {
    if (/use client/.test(readFileSync(entry, 'utf8'))) throw new Error(`${entry} carries 'use client'`);
  }
  checkPackedReadme(tarball, files);
  checkBin(tarball, dir);
  console.log(`tarball: ${info.filename}, ${files.length} files, ${info.size} bytes packed, ${info.unpackedSize} unpacked`);
  execFileSync(bin('publint'), ['run', tarball, '--strict'], { stdio: 'inherit' });
  // CSS has no type declarations to resolve: attw would call that a failure.
  execFileSync(bin('attw'), [tarball, '--profile', 'esm-only', '--exclude-entrypoints', './styles.css'], { stdio: 'inherit' });
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Every bin package.json declares: in the tarball, executable (npm links it as it is), starting with a
 * `node` shebang, and runnable from the unpacked tarball with no node_modules at all (the CLI is bundled),
 * by its shebang under this Node (20 in CI): `--help` and `doctor --help` exit 0.
 */
function checkBin(tarball, dir) {
  const { bin } = JSON.parse(readFile('package.json', 'utf8'));
  if (!bin || typeof bin !== 'object' || Object.keys(bin).length === 0) throw new Error('package.json declares no bin');
  const listing = execFileSync('tar', ['-tvzf', tarball], { encoding: 'utf8' });
  const unpacked = join(dir, 'unpacked');
  execFileSync('mkdir', ['-p', unpacked]);
  execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
  for (const [name, target] of Object.entries(bin)) {
    const path = `package/${target.replace(/^\.\//, '')}`;
    const entry = listing.split('\n').find((line) => line.endsWith(` ${path}`));
    if (!entry) throw new Error(`bin ${name}: ${path} is not in the tarball`);
    if (!/^-rwx/.test(entry)) throw new Error(`bin ${name}: ${path} is not executable in the tarball (${entry.split(' ')[0]})`);
    const file = join(unpacked, path);
    if (!readFile(file, 'utf8').startsWith('#!/usr/bin/env node\n')) throw new Error(`bin ${name}: ${path} does not start with #!/usr/bin/env node`);
    // PATH first holds this Node, so the shebang's `env node` is the one running these checks.
    const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
    const help = execFileSync(file, ['--help'], { encoding: 'utf8', env, cwd: unpacked });
    if (!help.includes('doctor')) throw new Error(`bin ${name} --help does not list the doctor`);
    const doctorHelp = execFileSync(file, ['doctor', '--help'], { encoding: 'utf8', env, cwd: unpacked });
    if (!doctorHelp.includes('--public-url')) throw new Error(`bin ${name} doctor --help does not list its options`);
    console.log(`bin ${name}: ${path}, executable, runs --help with Node ${process.versions.node}`);
  }
}

/** The README in the tarball: what npm shows. */
function checkPackedReadme(tarball, files) {
  const readme = execFileSync('tar', ['-xzOf', tarball, 'package/README.md'], { encoding: 'utf8' });
  const firstBlock = /^```[^\n]*\n([^\n]*)/m.exec(readme)?.[1] ?? '';
  if (!firstBlock.startsWith('npm install react-liveness-session')) {
    throw new Error(`the packed README's first command is \`${firstBlock}\`, not the install (npm install react-liveness-session …)`);
  }
  const firstClone = readme.search(/npm ci\b/);
  if (firstClone !== -1 && firstClone < readme.indexOf('npm install react-liveness-session')) throw new Error('the packed README shows `npm ci` before the install');
  // Links that are not absolute (scheme) or in-page (#) must name a file inside the tarball.
  const dead = [...readme.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1])
    .filter((target) => !/^([a-z][a-z0-9+.-]*:|#)/i.test(target))
    .filter((target) => !files.includes(target.replace(/^\.\//, '').replace(/#.*$/, '')));
  if (dead.length) throw new Error(`the packed README links to files the tarball lacks: ${[...new Set(dead)].join(', ')}`);
}
