// Bundles the command line (src/cli/main.ts) into one self-contained ES module for Node ≥ 20: no import
// but node: builtins, so `npx react-liveness-session` runs without the app's dependencies. esbuild keeps
// the entry's `#!/usr/bin/env node` line; the file is made executable, as a bin must be.
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Writes the CLI to `outfile` (default dist/cli.js). */
export async function buildCli(outfile = join(repo, 'dist', 'cli.js')) {
  await build({
    entryPoints: [join(repo, 'src', 'cli', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Production: the shared server code's development-only messages drop out.
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    logLevel: 'warning',
  });
  chmodSync(outfile, 0o755);
  return outfile;
}
