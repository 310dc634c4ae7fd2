// The TypeScript samples of the docs, compiled with `tsc` against the sources (issue 25, item 2).
//
// Every fenced `ts` or `tsx` block of the README, SECURITY.md, CONTRIBUTING.md, docs/**/*.md and the
// Storybook MDX pages is one of three kinds:
//   - shown from a file: its first line is `// docs/examples/<path>` and it is that file word for word
//     (`npm run typecheck` compiles the file; test/docs/examples.test.ts compares the two);
//   - declarations copied from the sources: its first line is `// src/<path>` (docs/types.md; written
//     and checked by test/docs/typesReference.test.ts);
//   - compiled here: written as its own module into .tmp/doc-samples/, with the package's name resolved
//     to src/ (tsconfig.json's `paths`) and the few app-side names a sample may use undeclared
//     (`db`, `redis`…) declared once in test/docs/codeSamplePrelude.d.ts;
//   - opted out, rarely, by the line right above its fence: `<!-- not type-checked: <why> -->`.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fencedBlocks, readRepoFile, repo, type FencedBlock } from './markdown.js';

export const TYPED_LANGS = new Set(['ts', 'tsx', 'typescript']);
const FROM_FILE = /^\/\/ (docs\/examples\/\S+)\n/;
const FROM_SOURCE = /^\/\/ (src\/\S+\.tsx?)\n/;
const OPT_OUT = /^<!-- not type-checked: (.*?) -->$/;

export type SampleKind = { kind: 'file'; path: string } | { kind: 'source'; path: string } | { kind: 'compiled' } | { kind: 'opted-out'; reason: string };

/** A typed sample of a page and what is done with it. */
export type Sample = FencedBlock & { page: string } & SampleKind;

export function kindOf(block: FencedBlock): SampleKind {
  const path = FROM_FILE.exec(block.code)?.[1];
  if (path) return { kind: 'file', path };
  const source = FROM_SOURCE.exec(block.code)?.[1];
  if (source) return { kind: 'source', path: source };
  const reason = OPT_OUT.exec(block.above)?.[1];
  if (reason !== undefined) return { kind: 'opted-out', reason: reason.trim() };
  return { kind: 'compiled' };
}

/** The typed samples of the given pages. */
export function typedSamples(pages: string[]): Sample[] {
  return pages.flatMap((page) =>
    fencedBlocks(readRepoFile(page))
      .filter((block) => TYPED_LANGS.has(block.lang))
      .map((block) => ({ ...block, page, ...kindOf(block) })),
  );
}

/** A compiler diagnostic, placed on the page's own line. */
export interface SampleError {
  page: string;
  line: number;
  message: string;
}

const OUT_DIR = '.tmp/doc-samples';

/**
 * Writes each sample to compile as a module of its own (`export {}` appended, so its top-level names
 * never clash with another's or with the prelude's) and runs `tsc` over them once. Returns the errors,
 * each on the line of the page it comes from.
 */
export async function compileSamples(samples: Sample[], { outDir = OUT_DIR } = {}): Promise<{ errors: SampleError[]; output: string }> {
  const dir = new URL(`${outDir}/`, repo);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = new Map<string, Sample>();
  for (const sample of samples) {
    const name = `${sample.page.replace(/[^\w.-]+/g, '_')}.L${sample.line}.${sample.lang === 'tsx' ? 'tsx' : 'ts'}`;
    files.set(name, sample);
    writeFileSync(new URL(name, dir), `${sample.code}export {};\n`);
  }
  const depth = outDir.split('/').length;
  const up = '../'.repeat(depth);
  writeFileSync(
    new URL('tsconfig.json', dir),
    JSON.stringify(
      {
        extends: `${up}tsconfig.json`,
        // Samples are shown to be read: a name they declare and do not use is not an error.
        compilerOptions: { noEmit: true, noUnusedLocals: false, noUnusedParameters: false },
        files: [`${up}test/docs/codeSamplePrelude.d.ts`, ...files.keys()],
        include: [],
      },
      null,
      2,
    ),
  );
  const tsc = fileURLToPath(new URL('node_modules/.bin/tsc', repo));
  const output = await new Promise<string>((resolve) => {
    execFile(tsc, ['-p', fileURLToPath(new URL('tsconfig.json', dir)), '--pretty', 'false'], { cwd: fileURLToPath(repo), maxBuffer: 16 * 1024 * 1024 }, (_error, stdout, stderr) =>
      resolve(`${stdout}${stderr}`),
    );
  });
  const errors: SampleError[] = [];
  for (const line of output.split('\n')) {
    const match = /([^/\s]+)\((\d+),(\d+)\): (error .*)$/.exec(line);
    if (!match) continue;
    const sample = files.get(match[1]!);
    // An error outside the samples (in src/ or the prelude) is an error of the check itself: keep it whole.
    if (!sample) errors.push({ page: '(outside the samples)', line: 0, message: line });
    else errors.push({ page: sample.page, line: sample.line + Number(match[2]), message: match[4]! });
  }
  if (errors.length === 0 && /error/i.test(output)) errors.push({ page: '(tsc)', line: 0, message: output.trim() });
  return { errors, output };
}
