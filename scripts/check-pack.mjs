// Packs the library as npm would publish it and checks the tarball: only dist, README and LICENSE
// inside, exports resolve for every consumer (attw, ESM-only profile), package.json lint (publint).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = (name) => join('node_modules', '.bin', name);
const dir = mkdtempSync(join(tmpdir(), 'liveness-pack-'));
try {
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { encoding: 'utf8' });
  const [info] = JSON.parse(out);
  const tarball = join(dir, info.filename);
  const files = info.files.map((f) => f.path).sort();
  const stray = files.filter((f) => !(f.startsWith('dist/') || f === 'README.md' || f === 'LICENSE' || f === 'package.json'));
  if (stray.length) throw new Error(`unexpected files in the tarball: ${stray.join(', ')}`);
  for (const required of ['dist/index.js', 'dist/index.d.ts', 'dist/locales.js', 'dist/locales.d.ts', 'dist/styles.css', 'README.md', 'LICENSE']) {
    if (!files.includes(required)) throw new Error(`missing from the tarball: ${required}`);
  }
  const leaked = files.filter((f) => /\.(test|stories)\.|mockServiceWorker/.test(f));
  if (leaked.length) throw new Error(`test or story files in the tarball: ${leaked.join(', ')}`);
  // RSC bundlers need the directive first in the client entry, and nowhere in the server entry.
  const { readFileSync } = await import('node:fs');
  if (!/^["']use client["'];/.test(readFileSync('dist/index.js', 'utf8'))) throw new Error("dist/index.js does not start with 'use client'");
  // The locales are plain data that server components import too.
  for (const entry of ['dist/server.js', 'dist/locales.js']) {
    if (/use client/.test(readFileSync(entry, 'utf8'))) throw new Error(`${entry} carries 'use client'`);
  }
  console.log(`tarball: ${info.filename}, ${files.length} files, ${info.size} bytes packed, ${info.unpackedSize} unpacked`);
  execFileSync(bin('publint'), ['run', tarball, '--strict'], { stdio: 'inherit' });
  // CSS has no type declarations to resolve: attw would call that a failure.
  execFileSync(bin('attw'), [tarball, '--profile', 'esm-only', '--exclude-entrypoints', './styles.css'], { stdio: 'inherit' });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
